"""SOAP envelopes for Nmbrs: building requests, hardened parsing, fault decoding.

Parsing never resolves entities, never loads a DTD or anything from the
network, and rejects any document that carries a DOCTYPE. XML that Nmbrs
carries as escaped text (SEPA, wage tax declarations, journals) is handed back
as bytes without being parsed.
"""
import base64
import binascii
import dataclasses
import functools
import re
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from . import api_facts, dates
from .errors import (
    NmbrsAccessError,
    NmbrsAuthenticationError,
    NmbrsPermissionError,
    NmbrsResponseError,
    NmbrsSubscriptionError,
    NmbrsUnknownError,
)
from .records import Records

SOAP_11 = '1.1'
SOAP_12 = '1.2'
SOAP_VERSIONS = {
    SOAP_11: (api_facts.SOAP11_NS, api_facts.SOAP11_CONTENT_TYPE),
    SOAP_12: (api_facts.SOAP12_NS, api_facts.SOAP12_CONTENT_TYPE),
}

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    dtd_validation=False,
)
_NIL = '{%s}nil' % api_facts.XSI_NS
_INTEGER = re.compile(r'-?\d+')
_BOOLEANS = {'true': True, '1': True, 'false': False, '0': False}
# Longest fault text kept in a message: ASMX may append a whole stack trace.
_MAX_FAULT_TEXT = 300


# ---------------------------------------------------------------- requests

def http_headers(service, operation, soap_version):
    envelope_ns, content_type = SOAP_VERSIONS[soap_version]
    action = api_facts.soap_action(service, operation)
    if soap_version == SOAP_11:
        return {'Content-Type': content_type, 'SOAPAction': action}
    return {'Content-Type': '%s; action=%s' % (content_type, action)}


def build_envelope(service, operation, params, *, username, token, domain, soap_version):
    """The request body for ``operation``.

    ``params`` maps the client's names (see api_facts.OPERATION_PARAMETERS) to
    values; they are sent under their wire names, in WSDL order.
    """
    parameters = api_facts.OPERATION_PARAMETERS[(service, operation)]
    expected = {name for name, _wire_name in parameters}
    if set(params) != expected:
        raise TypeError('%s.%s takes %s, got %s' % (
            service, operation, sorted(expected), sorted(params)))
    envelope_ns = SOAP_VERSIONS[soap_version][0]
    ns = api_facts.namespace(service)
    envelope = etree.Element(etree.QName(envelope_ns, 'Envelope'), nsmap={'soap': envelope_ns})
    header = etree.SubElement(envelope, etree.QName(envelope_ns, 'Header'))
    header_name = api_facts.auth_header(service, operation)
    auth = etree.SubElement(header, etree.QName(ns, header_name), nsmap={None: ns})
    _text_element(auth, ns, 'Username', username)
    _text_element(auth, ns, 'Token', token)
    if header_name == api_facts.AUTH_HEADER:
        _text_element(auth, ns, 'Domain', domain or '')
    body = etree.SubElement(envelope, etree.QName(envelope_ns, 'Body'))
    request = etree.SubElement(body, etree.QName(ns, operation), nsmap={None: ns})
    for name, wire_name in parameters:
        value = params[name]
        if dataclasses.is_dataclass(value):
            _record_element(request, ns, wire_name, value)
        elif value is not None:
            _text_element(request, ns, wire_name, to_text(value))
    return etree.tostring(envelope, xml_declaration=True, encoding='utf-8')


def _text_element(parent, ns, name, text):
    etree.SubElement(parent, etree.QName(ns, name)).text = text


def _record_element(parent, ns, name, record):
    element = etree.SubElement(parent, etree.QName(ns, name))
    for record_field, _value_type, _required in _wire_fields(type(record)):
        value = getattr(record, record_field.name)
        if value is not None:
            _text_element(element, ns, record_field.metadata['wire'], to_text(value))


def to_text(value):
    """A Python value as XML Schema text."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, datetime):
        return value.strftime('%Y-%m-%dT%H:%M:%S')
    if isinstance(value, date):
        return value.strftime('%Y-%m-%dT00:00:00')
    if isinstance(value, bytes):
        return base64.b64encode(value).decode('ascii')
    if isinstance(value, Decimal):
        return format(value, 'f')
    return str(value)


# ---------------------------------------------------------------- responses

def parse_xml(body):
    """Parse a response body safely; raise NmbrsResponseError for anything unsafe or broken."""
    doctype_refused = NmbrsResponseError(
        'Nmbrs sent an answer that could not be read.',
        detail='The response declares a DOCTYPE, which is refused.')
    # Refuse before parsing, so entity definitions never reach the parser;
    # the check after parsing covers bodies in other encodings than UTF-8.
    if b'<!DOCTYPE' in body:
        raise doctype_refused
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise NmbrsResponseError(
            'Nmbrs sent an answer that could not be read.', detail=str(error)) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise doctype_refused
    return root


def read_result(body, service, operation, params=None):
    """The ``<operation>Result`` element of a response, or None when Nmbrs left it out.

    Raises the matching NmbrsError for a SOAP fault. ``params`` (the client's
    names and values) lets an access error say which record was refused.
    """
    root = parse_xml(body)
    envelope_ns = etree.QName(root).namespace
    if etree.QName(root).localname != 'Envelope' or envelope_ns not in (
            api_facts.SOAP11_NS, api_facts.SOAP12_NS):
        raise _unexpected_shape('the answer is not a SOAP envelope')
    soap_body = root.find(etree.QName(envelope_ns, 'Body'))
    if soap_body is None:
        raise _unexpected_shape('the SOAP envelope has no Body')
    fault = soap_body.find(etree.QName(envelope_ns, 'Fault'))
    if fault is not None:
        raise fault_error(fault, service, operation, params or {})
    ns = api_facts.namespace(service)
    response = soap_body.find(etree.QName(ns, operation + 'Response'))
    if response is None:
        raise _unexpected_shape('the Body holds no %sResponse in %s' % (operation, ns))
    result = response.find(etree.QName(ns, operation + 'Result'))
    if result is None or is_nil(result):
        return None
    return result


def _unexpected_shape(detail):
    return NmbrsResponseError('Nmbrs sent an answer in an unexpected form.', detail=detail)


def is_nil(element):
    return element.get(_NIL) in ('true', '1')


# ---------------------------------------------------------------- faults

# Access errors: the kind of record, and the client parameter holding its id.
_ACCESS_ERRORS = {
    api_facts.ERROR_UNAUTHORIZED_DATA: ('data', None),
    api_facts.ERROR_UNAUTHORIZED_EMPLOYEE: ('employee', 'employee_id'),
    api_facts.ERROR_UNAUTHORIZED_COMPANY: ('company', 'company_id'),
    api_facts.ERROR_UNAUTHORIZED_DEBTOR: ('debtor', 'debtor_id'),
}


def fault_text(fault):
    """The fault string of a SOAP 1.1 or SOAP 1.2 fault ('' when absent)."""
    if etree.QName(fault).namespace == api_facts.SOAP12_NS:
        texts = fault.xpath('s:Reason/s:Text/text()', namespaces={'s': api_facts.SOAP12_NS})
    else:
        texts = fault.xpath('faultstring/text()')
    return ''.join(texts).strip()


def fault_error(fault, service, operation, params):
    """The NmbrsError for a SOAP fault, chosen by the Nmbrs code after ``--->``."""
    text = fault_text(fault)
    right = api_facts.operation_right(service, operation)
    match = re.search(api_facts.FAULT_CODE_PATTERN, text)
    code = int(match.group(1)) if match else None
    common = {'code': code, 'operation': right, 'detail': text}
    if code == api_facts.ERROR_INVALID_AUTHENTICATION:
        return NmbrsAuthenticationError(
            'Nmbrs refused the login: check the e-mail address, the API token and the '
            'tenant key (the part before .nmbrs.nl).', **common)
    if code == api_facts.ERROR_UNAUTHORIZED_OPERATION:
        return NmbrsPermissionError(
            'The Nmbrs API user may not use %s. Switch on this right in the API user '
            'template in Nmbrs, then try again.' % right, right=right, **common)
    if code in _ACCESS_ERRORS:
        record_kind, param_name = _ACCESS_ERRORS[code]
        record_id = params.get(param_name)
        if record_kind == 'data':
            message = ('The Nmbrs API user has no access to this data: a debtor or company '
                       'filter excludes it. Ask your Nmbrs administrator to widen the filters.')
        else:
            message = ('Nmbrs does not know %s %s, or the API user has no access to it.'
                       % (record_kind, record_id if record_id is not None else '(unknown id)'))
        return NmbrsAccessError(message, record_kind=record_kind, record_id=record_id, **common)
    if code == api_facts.ERROR_NO_SUBSCRIPTION:
        return NmbrsSubscriptionError(
            'This Nmbrs environment is disabled: it has no valid subscription.', **common)
    if code == api_facts.ERROR_UNKNOWN:
        return NmbrsUnknownError(
            'Nmbrs reported an unexplained error. Try again later; if it keeps happening, '
            'contact Nmbrs support.', **common)
    short_text = (match.group(2) if match else text).splitlines()[0] if text else ''
    return NmbrsUnknownError(
        'Nmbrs reported an error%s: %s' % (
            ' %s' % code if code else '', short_text[:_MAX_FAULT_TEXT] or '(no text)'),
        **common)



# ---------------------------------------------------------------- values

def _decimal(text):
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def _integer(text):
    if not _INTEGER.fullmatch(text):
        raise ValueError(text)
    return int(text)


def _base64(text):
    return base64.b64decode(''.join(text.split()), validate=True) or None


# Keyed by the classes themselves, taken when this module loads: a test clock
# (freezegun) that swaps ``datetime`` in modules later cannot break the lookup.
_CONVERTERS = {
    int: _integer,
    bool: _BOOLEANS.__getitem__,
    Decimal: _decimal,
    datetime: dates.parse_datetime,
    date: dates.parse_date,
    bytes: _base64,
}


def from_text(text, value_type):
    """Convert XML Schema text to ``value_type``; "not set" dates and empty non-strings give None."""
    if value_type is str:
        return text or ''
    if value_type not in _CONVERTERS:
        raise TypeError('no conversion to %r' % value_type)
    text = (text or '').strip()
    if not text:
        return None
    try:
        return _CONVERTERS[value_type](text)
    except (ValueError, KeyError, InvalidOperation, binascii.Error):
        raise NmbrsResponseError(
            'Nmbrs sent a value that could not be read.',
            detail='%r is not a valid %s' % (text[:50], value_type.__name__)) from None


@functools.lru_cache(maxsize=None)
def _wire_fields(record_class):
    """(field, value type, required) of each XML-backed field of a record class."""
    hints = typing.get_type_hints(record_class)
    fields = []
    for record_field in dataclasses.fields(record_class):
        if 'wire' not in record_field.metadata:
            continue
        value_types = [t for t in typing.get_args(hints[record_field.name]) if t is not type(None)]
        value_type = value_types[0] if value_types else hints[record_field.name]
        required = record_field.default is dataclasses.MISSING
        fields.append((record_field, value_type, required))
    return tuple(fields)


def record(element, record_class):
    """A record read from the children of ``element``; None for a missing or nil element."""
    if element is None or is_nil(element):
        return None
    ns = etree.QName(element).namespace
    values = {}
    for record_field, value_type, required in _wire_fields(record_class):
        wire_name = record_field.metadata['wire']
        child = element.find(etree.QName(ns, wire_name) if ns else wire_name)
        value = None
        if child is not None and not is_nil(child):
            value = from_text(child.text, value_type)
        if value is None and required:
            raise _unexpected_shape('%s without %s' % (etree.QName(element).localname, wire_name))
        values[record_field.name] = value
    return record_class(**values)


def records(result, record_class, each_apart=False):
    """The items of a list result; a missing or empty result and nil items give no records.

    With ``each_apart`` an item that cannot be read is left out and its error
    kept in ``unreadable``, so one bad item (e.g. a payroll run) does not hide the others.
    """
    found = Records()
    if result is None:
        return found
    for item in result.iterchildren(etree.Element):
        if is_nil(item):
            continue
        try:
            found.append(record(item, record_class))
        except NmbrsResponseError as error:
            if not each_apart:
                raise
            found.unreadable.append(error)
    return found


def value(result, value_type):
    """The text of a scalar result, converted; None when the result is missing."""
    if result is None:
        return None
    return from_text(result.text, value_type)


def pdf(element):
    """The base64 ``PDF`` child of a SalaryDocument or Payslip as bytes; None when missing or empty."""
    if element is None or is_nil(element):
        return None
    child = element.find(etree.QName(etree.QName(element).namespace, 'PDF'))
    if child is None or is_nil(child):
        return None
    return from_text(child.text, bytes)


def pdfs(result):
    """The PDFs of a list of Payslip items, skipping items without a PDF."""
    if result is None:
        return []
    documents = (pdf(item) for item in result.iterchildren(etree.Element))
    return [document for document in documents if document]


def escaped_xml(result):
    """XML that Nmbrs carries as escaped text, as UTF-8 bytes, unparsed; None when absent."""
    if result is None or not (result.text or '').strip():
        return None
    return result.text.strip().encode('utf-8')

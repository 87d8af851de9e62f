"""SOAP on the server side: read a request envelope, write a response or a fault envelope.

Responses are written like ASMX does: ``soap:`` prefix, xsi/xsd declared on the
Envelope, the response element declaring the service namespace as default, no
indentation.
"""
import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from .. import api_facts

SOAP_VERSIONS = {api_facts.SOAP11_NS: '1.1', api_facts.SOAP12_NS: '1.2'}
ENVELOPE_NAMESPACES = {version: namespace for namespace, version in SOAP_VERSIONS.items()}
CONTENT_TYPES = {'1.1': api_facts.SOAP11_CONTENT_TYPE, '1.2': api_facts.SOAP12_CONTENT_TYPE}
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
XSI_NIL = '{%s}nil' % api_facts.XSI_NS
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'

# A request parser that never expands entities or fetches anything.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Nil:
    """Marks a nullable value that is null: written as ``xsi:nil="true"``."""


NIL = Nil()


class UnreadableRequest(Exception):
    """The request is not a SOAP envelope ASMX could read: a soap:Client / soap:Sender fault."""


@dataclass
class SoapRequest:
    version: str
    headers: list
    body_element: etree._Element  # first Body child, None when the Body is empty


def parse_request(data):
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise UnreadableRequest(api_facts.UNREADABLE_REQUEST_FAULT % (line, column)) from None
    if root.getroottree().docinfo.doctype:
        raise UnreadableRequest(api_facts.UNREADABLE_REQUEST_FAULT % (1, 1))
    envelope = etree.QName(root)
    if envelope.localname != 'Envelope' or envelope.namespace not in SOAP_VERSIONS:
        raise UnreadableRequest(api_facts.UNREADABLE_REQUEST_FAULT % (1, 1))
    namespace = envelope.namespace
    header = root.find('{%s}Header' % namespace)
    body = root.find('{%s}Body' % namespace)
    body_children = [] if body is None else [child for child in body if isinstance(child.tag, str)]
    return SoapRequest(
        version=SOAP_VERSIONS[namespace],
        headers=[] if header is None else [child for child in header if isinstance(child.tag, str)],
        body_element=body_children[0] if body_children else None)


def read_values(element):
    """An element's children by local name: text, None for xsi:nil, dicts for nested objects."""
    values = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if child.get(XSI_NIL) == 'true':
            values[name] = None
        elif any(isinstance(grandchild.tag, str) for grandchild in child):
            values[name] = read_values(child)
        else:
            values[name] = child.text or ''
    return values


def wire_text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec='milliseconds' if value.tzinfo else 'seconds')
    if isinstance(value, datetime.date):
        return value.isoformat() + 'T00:00:00'
    if isinstance(value, bytes):
        return base64.b64encode(value).decode('ascii')
    if isinstance(value, (int, Decimal, str)):
        return str(value)
    raise TypeError('no wire form for %r' % (value,))


def _append(parent, namespace, name, value):
    element = etree.SubElement(parent, '{%s}%s' % (namespace, name))
    _fill(element, namespace, value)


def _fill(element, namespace, value):
    """Write ``value``: a scalar, NIL, or a list of (name, value) pairs (None values are left out)."""
    if value is NIL:
        element.set(XSI_NIL, 'true')
    elif isinstance(value, list):
        for name, child_value in value:
            if child_value is not None:
                _append(element, namespace, name, child_value)
    else:
        element.text = wire_text(value)


def _envelope(version):
    soap = ENVELOPE_NAMESPACES[version]
    root = etree.Element('{%s}Envelope' % soap, nsmap={
        'soap': soap, 'xsi': api_facts.XSI_NS, 'xsd': api_facts.XSD_NS})
    return root, etree.SubElement(root, '{%s}Body' % soap)


def _serialize(root):
    return XML_DECLARATION + etree.tostring(root, encoding='utf-8')


def response_envelope(version, service, operation, result):
    """``<OpResponse><OpResult>result</OpResult></OpResponse>``; result None leaves the Result out."""
    namespace = api_facts.namespace(service)
    root, body = _envelope(version)
    response = etree.SubElement(body, '{%s}%sResponse' % (namespace, operation), nsmap={None: namespace})
    if result is not None:
        _append(response, namespace, operation + 'Result', result)
    return _serialize(root)


def fault_envelope(version, text, client_error=False):
    """ASMX's fault: soap:Server/Receiver for Nmbrs errors, soap:Client/Sender for unreadable requests."""
    soap = ENVELOPE_NAMESPACES[version]
    root, body = _envelope(version)
    fault = etree.SubElement(body, '{%s}Fault' % soap)
    if version == '1.1':
        etree.SubElement(fault, 'faultcode').text = 'soap:Client' if client_error else 'soap:Server'
        etree.SubElement(fault, 'faultstring').text = text
        etree.SubElement(fault, 'detail')
    else:
        code = etree.SubElement(fault, '{%s}Code' % soap)
        etree.SubElement(code, '{%s}Value' % soap).text = 'soap:Sender' if client_error else 'soap:Receiver'
        reason = etree.SubElement(fault, '{%s}Reason' % soap)
        etree.SubElement(reason, '{%s}Text' % soap, {XML_LANG: 'en'}).text = text
        etree.SubElement(fault, '{%s}Detail' % soap)
    return _serialize(root)


def nmbrs_fault_text(code, message):
    return '%s%d: %s' % (api_facts.FAULT_PREFIX, code, message)

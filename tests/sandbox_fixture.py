"""Hand-built SOAP requests against the Nmbrs sandbox, for tests that check the wire itself."""
import requests
from lxml import etree

from odoo.addons.nmbrs_connector.nmbrs import api_facts

SOAP_NAMESPACES = {'1.1': api_facts.SOAP11_NS, '1.2': api_facts.SOAP12_NS}
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _append(parent, namespace, name, value):
    element = etree.SubElement(parent, '{%s}%s' % (namespace, name))
    if isinstance(value, (list, tuple)):
        for child_name, child_value in value:
            _append(element, namespace, child_name, child_value)
    elif value is not None:
        element.text = str(value)


def envelope(service, operation, parameters=(), version='1.1', credentials=None,
             header=api_facts.AUTH_HEADER, header_namespace=None):
    """A request envelope; ``credentials`` is (username, token, domain) or None for no header."""
    namespace = api_facts.namespace(service)
    soap = SOAP_NAMESPACES[version]
    root = etree.Element('{%s}Envelope' % soap, nsmap={'soap': soap})
    if credentials is not None:
        username, token, domain = credentials
        fields = [('Username', username), ('Token', token)]
        if header == api_facts.AUTH_HEADER:
            fields.append(('Domain', domain))
        auth = etree.SubElement(etree.SubElement(root, '{%s}Header' % soap),
                                '{%s}%s' % (header_namespace or namespace, header), nsmap={None: namespace})
        for name, value in fields:
            _append(auth, header_namespace or namespace, name, value)
    body = etree.SubElement(root, '{%s}Body' % soap)
    request = etree.SubElement(body, '{%s}%s' % (namespace, operation), nsmap={None: namespace})
    for name, value in parameters:
        _append(request, namespace, name, value)
    return etree.tostring(root, xml_declaration=True, encoding='utf-8')


def post(sandbox, service, operation, parameters=(), version='1.1', credentials='default', action='header',
         timeout=10, **envelope_options):
    """POST an envelope. ``action``: 'header' (1.1 SOAPAction / 1.2 Content-Type action), 'none', or a text."""
    if credentials == 'default':
        credentials = sandbox.credentials
    data = envelope(service, operation, parameters, version, credentials, **envelope_options)
    action_text = api_facts.soap_action(service, operation).strip('"') if action == 'header' else action
    headers = {}
    if version == '1.1':
        headers['Content-Type'] = api_facts.SOAP11_CONTENT_TYPE
        if action != 'none':
            headers['SOAPAction'] = '"%s"' % action_text
    else:
        headers['Content-Type'] = api_facts.SOAP12_CONTENT_TYPE + (
            '' if action == 'none' else '; action="%s"' % action_text)
    return requests.post(sandbox.endpoint(service), data=data, headers=headers, timeout=timeout)


def parse(response):
    return etree.fromstring(response.content, SAFE_PARSER)


def result(response, service, operation):
    """The ``<OpResult>`` element of a successful response, or None when it is left out."""
    namespace = api_facts.namespace(service)
    return parse(response).find('.//{%s}%sResponse/{%s}%sResult' % (namespace, operation, namespace, operation))


def fault_text(response):
    """The fault string of a SOAP 1.1 or 1.2 fault."""
    root = parse(response)
    text = root.find('.//faultstring')
    if text is None:
        text = root.find('.//{%s}Reason/{%s}Text' % (api_facts.SOAP12_NS, api_facts.SOAP12_NS))
    return text.text


def nmbrs_fault(code):
    return '%s%d: %s' % (api_facts.FAULT_PREFIX, code, api_facts.FAULT_TEXTS[code])


def child_texts(element, name):
    """Texts of the named grandchildren of ``element``'s items (e.g. every RunInfo's ID)."""
    return [child.text for child in element.iter('{*}%s' % name)]

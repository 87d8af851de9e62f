"""The sandbox's HTTP server: Nmbrs SOAP at /soap/v3/<Service>.asmx, REST at /rest/, the identity
service at /identity/, JSON control at /_sandbox/."""
import hmac
import re
import secrets
import threading
import time
from collections import namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

from .. import api_facts
from . import envelope, faults as fault_kinds
from .calls import Call, CallLog
from .control import ControlEndpoint
from .envelope import UnreadableRequest
from . import rest_operations  # noqa: F401 - registers the REST handlers
from .faults import Faults, SandboxFault
from .identity import IdentityService
from .operations import HANDLERS, typed_parameters
from .reply import Reply, html_reply
from .rest_api import RestApplication
from .rest_knobs import RestKnobs

SERVICE_PATH = re.compile(r'^/soap/v3/(\w+)\.asmx$', re.IGNORECASE)
CONTROL_PREFIX = '/_sandbox/'
REST_PREFIX = '/rest'
IDENTITY_PREFIX = '/identity'
# The app registered for the REST side. The secret holds characters that HTTP
# Basic must percent-encode, as real Nmbrs secrets do.
REST_CLIENT_ID = 'odoo-nmbrs-connector'
REST_REDIRECT_URI = 'http://127.0.0.1/nmbrs/consent/callback'
HUGE_PADDING_CHUNK = 1024 * 1024  # one XML comment per MiB, below libxml2's 10 MB node limit
ENTITY_EXPANSION_LEVELS = 10

Credentials = namedtuple('Credentials', 'username token domain')
RestCredentials = namedtuple('RestCredentials', 'client_id client_secret redirect_uri subscription_key')


def _content_type_action(content_type):
    match = re.search(r'action\s*=\s*"?([^";]+)"?', content_type or '')
    return match.group(1).strip() if match else None


class SoapApplication:
    """Answers one SOAP request the way Nmbrs would, bent by the fault knobs."""

    def __init__(self, dataset, faults, calls, stopping):
        self.dataset = dataset
        self.faults = faults
        self.calls = calls
        self._stopping = stopping

    def _wait(self, seconds):
        """Sleep, but wake up when the sandbox stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def handle(self, path, headers, body):
        match = SERVICE_PATH.match(path.split('?', 1)[0])
        service = next((known for known in api_facts.SERVICES
                        if match and known.lower() == match.group(1).lower()), None)
        if service is None:
            return html_reply(404, 'Not Found')
        guessed_version = '1.2' if 'soap+xml' in (headers.get('Content-Type') or '') else '1.1'
        try:
            request = envelope.parse_request(body)
        except UnreadableRequest as error:
            self.calls.record(Call(service, None, {}, guessed_version, time.time()))
            return self._fault(guessed_version, str(error), client_error=True)
        operation = self._route(service, request, headers)
        parameters = {} if request.body_element is None else envelope.read_values(request.body_element)
        if operation is None:
            self.calls.record(Call(service, None, parameters, request.version, time.time()))
            return self._fault(request.version, api_facts.INVALID_ACTION_FAULT, client_error=True)
        rule = self.faults.fault_for(service, operation)
        self.calls.record(Call(service, operation, parameters, request.version, time.time(),
                               username=self._claimed_username(request, service, operation),
                               injected=rule.kind if rule else None))
        self._wait(self.faults.latency_for(service, operation) + self.faults.rate_limit_delay())
        if rule:
            return self._injected(rule, request, service, operation, parameters)
        return self._answer(request, service, operation, parameters)

    def _route(self, service, request, headers):
        """SOAP 1.1 by SOAPAction; SOAP 1.2 by the Content-Type action, else the Body's first element."""
        if request.version == '1.1':
            action = (headers.get('SOAPAction') or '').strip().strip('"')
        else:
            action = _content_type_action(headers.get('Content-Type'))
        if action is not None:
            prefix = api_facts.namespace(service) + '/'
            operation = action[len(prefix):] if action.startswith(prefix) else None
        elif request.body_element is not None:
            name = etree.QName(request.body_element)
            operation = name.localname if name.namespace == api_facts.namespace(service) else None
        else:
            operation = None
        return operation if (service, operation) in HANDLERS else None

    def _auth_values(self, request, service, operation):
        names = {api_facts.AUTH_HEADER, api_facts.auth_header(service, operation)}
        for header in request.headers:
            name = etree.QName(header)
            if name.namespace == api_facts.namespace(service) and name.localname in names:
                return envelope.read_values(header)
        return None

    def _claimed_username(self, request, service, operation):
        values = self._auth_values(request, service, operation) or {}
        return values.get('Username') or None

    def _authenticate(self, request, service, operation):
        values = self._auth_values(request, service, operation)
        if values is None:
            raise SandboxFault(api_facts.ERROR_INVALID_AUTHENTICATION)
        user = self.dataset.users.get(values.get('Username') or '')
        token = (values.get('Token') or '').encode()
        if user is None or not hmac.compare_digest(user.token.encode(), token):
            raise SandboxFault(api_facts.ERROR_INVALID_AUTHENTICATION)
        domain = (values.get('Domain') or '').strip()
        if domain and domain.lower() != user.domain.lower():
            raise SandboxFault(api_facts.ERROR_INVALID_AUTHENTICATION)
        if api_facts.operation_right(service, operation) not in user.rights:
            raise SandboxFault(api_facts.ERROR_UNAUTHORIZED_OPERATION)
        return user

    def _fault(self, version, text, client_error=False):
        return Reply(500, envelope.fault_envelope(version, text, client_error), envelope.CONTENT_TYPES[version])

    def _answer(self, request, service, operation, parameters):
        try:
            arguments = typed_parameters(service, operation, parameters)
            with self.dataset.lock:
                user = self._authenticate(request, service, operation)
                result = HANDLERS[(service, operation)](self.dataset, user, **arguments)
                body = envelope.response_envelope(request.version, service, operation, result)
        except UnreadableRequest as error:
            return self._fault(request.version, str(error), client_error=True)
        except SandboxFault as fault:
            return self._fault(request.version, envelope.nmbrs_fault_text(fault.code, fault.message))
        return Reply(200, body, envelope.CONTENT_TYPES[request.version])

    def _injected(self, rule, request, service, operation, parameters):
        content_type = envelope.CONTENT_TYPES[request.version]
        if rule.kind == fault_kinds.SOAP_FAULT:
            fault = SandboxFault(rule.code, rule.message)
            return self._fault(request.version, envelope.nmbrs_fault_text(fault.code, fault.message))
        if rule.kind == fault_kinds.HTTP_500:
            return html_reply(500, 'Internal Server Error')
        if rule.kind == fault_kinds.HTTP_503:
            return html_reply(503, 'Service Unavailable')
        if rule.kind == fault_kinds.DROP:
            return Reply(0, drop=True)
        if rule.kind == fault_kinds.MALFORMED:
            return Reply(200, b'\x00\xff<soap:Envelope <<< this is not XML &&& \xfe', content_type)
        if rule.kind == fault_kinds.ENTITY_EXPANSION:
            return Reply(200, self._entity_expansion(request.version, service, operation), content_type)
        if rule.kind == fault_kinds.TIMEOUT:
            self._wait(rule.seconds)
        reply = self._answer(request, service, operation, parameters)
        if rule.kind == fault_kinds.TRUNCATED:
            reply.body = reply.body[:len(reply.body) // 2]
        elif rule.kind == fault_kinds.HUGE:
            reply.body = self._padded(reply.body, rule.size)
        return reply

    @staticmethod
    def _padded(body, size):
        """The same document, grown to ``size`` bytes with comments between declaration and Envelope."""
        declaration, rest = body.split(b'?>', 1)
        missing = max(0, size - len(body))
        chunks, remainder = divmod(missing, HUGE_PADDING_CHUNK)
        comment = b'<!--' + b'x' * (HUGE_PADDING_CHUNK - 7) + b'-->'
        tail = b'<!--' + b'x' * max(0, remainder - 7) + b'-->' if remainder else b''
        return declaration + b'?>' + comment * chunks + tail + rest

    @staticmethod
    def _entity_expansion(version, service, operation):
        """A "billion laughs" response: ten levels of ten-fold entity references in the Result."""
        entities = ['<!ENTITY lol0 "lol">'] + [
            '<!ENTITY lol%d "%s">' % (level, ('&lol%d;' % (level - 1)) * 10)
            for level in range(1, ENTITY_EXPANSION_LEVELS)]
        soap = envelope.ENVELOPE_NAMESPACES[version]
        return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soap:Envelope [\n%s\n]>\n'
                '<soap:Envelope xmlns:soap="%s"><soap:Body><%sResponse xmlns="%s"><%sResult>&lol%d;'
                '</%sResult></%sResponse></soap:Body></soap:Envelope>' % (
                    '\n'.join(entities), soap, operation, api_facts.namespace(service), operation,
                    ENTITY_EXPANSION_LEVELS - 1, operation, operation)).encode()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive, like IIS
    server_version = 'NmbrsSandbox/1.0'

    def log_message(self, format, *args):  # noqa: A002 - the signature is BaseHTTPRequestHandler's
        if self.server.verbose:
            super().log_message(format, *args)

    def _body(self):
        return self.rfile.read(int(self.headers.get('Content-Length') or 0))

    def _dispatch(self, method):
        body = self._body()
        path, _, query = self.path.partition('?')
        if self.path.startswith(CONTROL_PREFIX):
            reply = self.server.control.handle(method, self.path[len(CONTROL_PREFIX):].split('?', 1)[0], body)
        elif path.startswith(REST_PREFIX + '/'):
            reply = self.server.rest.handle(method, path[len(REST_PREFIX):], query, self.headers, body,
                                            self.server.base_url)
        elif path.startswith(IDENTITY_PREFIX + '/'):
            reply = self.server.identity.handle(method, path[len(IDENTITY_PREFIX):], query, self.headers, body)
        elif method == 'POST':
            reply = self.server.application.handle(self.path, self.headers, body)
        else:
            reply = html_reply(404, 'Not Found')
        self._send(reply)

    def _send(self, reply):
        if reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        self.send_header('Content-Type', reply.content_type)
        for name, value in (reply.headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up, e.g. after its read timeout

    def do_POST(self):  # noqa: N802 - BaseHTTPRequestHandler's naming
        self._dispatch('POST')

    def do_GET(self):  # noqa: N802
        self._dispatch('GET')

    def do_DELETE(self):  # noqa: N802
        self._dispatch('DELETE')

    def do_PUT(self):  # noqa: N802
        self._dispatch('PUT')


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default 5 resets connections when many clients connect at once


class NmbrsSandbox:
    """A local Nmbrs on 127.0.0.1: ``with NmbrsSandbox() as sandbox: ... sandbox.url ...``.

    ``dataset`` defaults to the demo dataset; ``port`` 0 picks a free port. ``faults``
    and ``calls`` are the live knobs and call log; ``credentials`` are those of the
    dataset's first user. REST: ``rest_url`` and ``identity_url`` are the two base
    addresses, ``rest_credentials`` the registered app and subscription key,
    ``identity`` the identity service (``approve()`` gives consent without a browser)
    and ``rest_knobs`` what only REST has.
    """

    def __init__(self, dataset=None, host='127.0.0.1', port=0, latency=0.0,
                 max_calls_per_second=api_facts.MAX_CALLS_PER_SECOND, verbose=False):
        if dataset is None:
            from .generator import demo_dataset
            dataset = demo_dataset()
        self.dataset = dataset
        self.faults = Faults(latency=latency, max_calls_per_second=max_calls_per_second)
        self.calls = CallLog()
        # REST: one registered app and subscription key; the identity service and knobs (see their modules).
        self.rest_credentials = RestCredentials(
            REST_CLIENT_ID, secrets.token_urlsafe(24) + '*$+%', REST_REDIRECT_URI, secrets.token_hex(16))
        self.identity = IdentityService(dataset, lambda: self.base_url)
        self.identity.register_app(self.rest_credentials.client_id, self.rest_credentials.client_secret,
                                   [self.rest_credentials.redirect_uri])
        self.rest_knobs = RestKnobs([self.rest_credentials.subscription_key])
        self._address = (host, port)
        self._verbose = verbose
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    def start(self):
        self._stopping.clear()
        server = _Server(self._address, _RequestHandler)
        server.verbose = self._verbose
        server.application = SoapApplication(self.dataset, self.faults, self.calls, self._stopping)
        server.rest = RestApplication(self.dataset, self.identity, self.rest_knobs, self.faults, self.calls,
                                      self._stopping)
        server.identity = self.identity
        server.control = ControlEndpoint(self)
        self._server = server
        server.base_url = self.base_url
        self._thread = threading.Thread(target=server.serve_forever, name='nmbrs-sandbox', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers that sleep for latency or an injected timeout
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def base_url(self):
        """http://127.0.0.1:PORT"""
        return 'http://%s:%d' % (self._server.server_address[0], self.port)

    @property
    def url(self):
        """The SOAP base URL to configure in a client, like https://api.nmbrs.nl/soap/v3/."""
        return self.base_url + '/soap/v3/'

    @property
    def rest_url(self):
        """The REST API's base address to configure in a client, like https://api.nmbrsapp.com."""
        return self.base_url + REST_PREFIX

    @property
    def identity_url(self):
        """The identity service's base address, like https://identityservice.nmbrs.com."""
        return self.base_url + IDENTITY_PREFIX

    def endpoint(self, service):
        return api_facts.endpoint(self.url, service)

    @property
    def credentials(self):
        user = next(iter(self.dataset.users.values()))
        return Credentials(user.username, user.token, user.domain)

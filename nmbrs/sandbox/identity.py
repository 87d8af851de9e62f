"""The sandbox's Nmbrs identity service: consent page, codes, tokens, rotation, revocation, discovery.

Served below /identity/ (its own base address, as the real service has its
own host). A person approves on the HTML consent page by picking the
debtor(s); scripts and tests approve without a browser with ``approve()`` (or
POST /_sandbox/consent). Codes live 5 minutes and work once; refresh tokens
rotate, and presenting one a second time revokes its whole chain (the consent),
as OAuth 2.1 advises for rotating refresh tokens (whether Nmbrs does this too
is UNVERIFIED). Lifetimes are attributes; ``advance(seconds)`` moves the
service's clock for expiry tests.
"""
import base64
import hmac
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge

from .. import api_facts
from .reply import HTML, JSON, Reply


@dataclass
class App:
    """An app registered in the Nmbrs partner portal."""
    client_id: str
    client_secret: str
    redirect_uris: tuple
    scopes: frozenset  # what the app may ask for


@dataclass
class Consent:
    """What one person approved: the debtors, the scopes; every token made from it belongs to it."""
    id: str
    client_id: str
    debtor_ids: tuple  # SOAP debtor ids
    scopes: frozenset
    user_name: str
    revoked: bool = False


@dataclass
class Code:
    consent: Consent
    redirect_uri: str
    code_challenge: str
    expires_at: float
    used: bool = False


@dataclass
class Token:
    consent: Consent
    expires_at: float
    used: bool = False  # refresh tokens only: rotated away
    kind: str = 'access'


@dataclass
class _Pending:
    """An authorize request waiting on the consent page."""
    params: dict
    app: App
    scopes: frozenset = field(default_factory=frozenset)


def _error(status, error, description=None):
    body = {'error': error}
    if description:
        body['error_description'] = description
    return Reply(status, json.dumps(body).encode(), JSON)


def _redirect(location):
    return Reply(302, b'', HTML, headers={'Location': location})


def _with_query(uri, params):
    return uri + ('&' if urlsplit(uri).query else '?') + urlencode(params)


class IdentityService:
    def __init__(self, dataset, base_url_of):
        self.dataset = dataset
        self._base_url_of = base_url_of  # () -> the sandbox's http://127.0.0.1:PORT, known once it listens
        self._lock = threading.Lock()
        self.apps = {}
        self.code_seconds = api_facts.AUTHORIZATION_CODE_SECONDS
        self.access_token_seconds = api_facts.ACCESS_TOKEN_SECONDS
        self.refresh_token_seconds = api_facts.REFRESH_TOKEN_SECONDS
        self.withheld_scopes = set()  # knob: consents lack these scopes
        self._offset = 0.0
        self._pending = {}
        self._codes = {}
        self._tokens = {}
        self.consents = []

    # ------------------------------------------------------------ knobs and set-up

    def now(self):
        return time.time() + self._offset

    def advance(self, seconds):
        """Move the service's clock: codes and tokens expire without waiting."""
        with self._lock:
            self._offset += seconds

    def register_app(self, client_id, client_secret, redirect_uris, scopes=api_facts.REST_SCOPES):
        app = App(client_id, client_secret, tuple(redirect_uris), frozenset(scopes))
        self.apps[client_id] = app
        return app

    def consent_of(self, access_token):
        """The live consent of an access token, or None (unknown, expired or revoked)."""
        with self._lock:
            token = self._tokens.get(access_token)
            if token is None or token.kind != 'access' or token.expires_at <= self.now() or token.consent.revoked:
                return None
            return token.consent

    def expire_refresh_tokens(self):
        """Knob: every refresh token handed out so far has expired."""
        with self._lock:
            for token in self._tokens.values():
                if token.kind == 'refresh':
                    token.expires_at = self.now()

    def revoke_all(self):
        """Knob: every consent is withdrawn (e.g. in Nmbrs by an administrator)."""
        with self._lock:
            for consent in self.consents:
                consent.revoked = True

    # ------------------------------------------------------------ consent

    def approve(self, authorize_url, debtor_ids=None, user_name='Sandbox gebruiker'):
        """Approve an authorize URL as its user would: the callback URL (with code and state, or an error).

        ``debtor_ids``: SOAP ids of the debtors to consent for (default: the first debtor).
        """
        params = {key: values[0] for key, values in parse_qs(urlsplit(authorize_url).query).items()}
        reply = self._check_authorize(params)
        if isinstance(reply, Reply):
            return reply.headers.get('Location') if reply.headers else None
        app, scopes = reply
        if debtor_ids is None:
            debtor_ids = [min(self.dataset.debtors)]
        return self._grant(params, app, scopes, tuple(debtor_ids), user_name).headers['Location']

    def _check_authorize(self, params):
        """(app, scopes) of a good authorize request, else the Reply that refuses it."""
        app = self.apps.get(params.get('client_id', ''))
        if app is None or params.get('redirect_uri') not in app.redirect_uris:
            # Never redirect to an address the app did not register.
            return Reply(400, b'<html><body><h1>Unknown app or redirect address</h1></body></html>', HTML)
        scopes = frozenset((params.get('scope') or '').split())
        refuse = None
        if params.get('response_type') != 'code':
            refuse = 'unsupported_response_type'
        elif not scopes or not scopes <= app.scopes:
            refuse = 'invalid_scope'  # Nmbrs refuses the whole request before login
        elif params.get('code_challenge_method') != 'S256' or not params.get('code_challenge'):
            refuse = 'invalid_request'
        if refuse:
            return _redirect(_with_query(params['redirect_uri'], {'error': refuse, 'state': params.get('state', '')}))
        return app, scopes

    def _grant(self, params, app, scopes, debtor_ids, user_name):
        with self._lock:
            consent = Consent(id=secrets.token_hex(8), client_id=app.client_id, debtor_ids=debtor_ids,
                              scopes=frozenset(scopes - self.withheld_scopes), user_name=user_name)
            self.consents.append(consent)
            code = secrets.token_urlsafe(32)
            self._codes[code] = Code(consent, params['redirect_uri'], params['code_challenge'],
                                     self.now() + self.code_seconds)
        return _redirect(_with_query(params['redirect_uri'], {'code': code, 'state': params.get('state', '')}))

    def _consent_page(self, params):
        checked = self._check_authorize(params)
        if isinstance(checked, Reply):
            return checked
        app, scopes = checked
        request_id = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[request_id] = _Pending(params, app, scopes)
        debtors = ''.join(
            '<label><input type="checkbox" name="debtor" value="%d"%s> %s (%s)</label><br>' % (
                debtor.id, ' checked' if index == 0 else '', html.escape(debtor.name), html.escape(debtor.number))
            for index, debtor in enumerate(sorted(self.dataset.debtors.values(), key=lambda debtor: debtor.id)))
        page = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Nmbrs sandbox: toestemming'
                '</title></head><body><h1>Toegang geven aan %s</h1><p>Deze app vraagt: %s</p>'
                '<form method="post" action="authorize"><input type="hidden" name="request" value="%s">'
                '<fieldset><legend>Voor welke debiteuren?</legend>%s</fieldset>'
                '<button name="decision" value="approve">Toestaan</button> '
                '<button name="decision" value="deny">Weigeren</button></form></body></html>') % (
            html.escape(app.client_id), html.escape(', '.join(sorted(scopes))), request_id, debtors)
        return Reply(200, page.encode(), HTML)

    def _consent_decision(self, form):
        with self._lock:
            pending = self._pending.pop(form.get('request', [''])[0], None)
        if pending is None:
            return Reply(400, b'<html><body><h1>This consent request expired</h1></body></html>', HTML)
        redirect_uri, state = pending.params['redirect_uri'], pending.params.get('state', '')
        debtor_ids = tuple(int(value) for value in form.get('debtor', ()) if value.isdigit())
        if form.get('decision', [''])[0] != 'approve' or not debtor_ids:
            return _redirect(_with_query(redirect_uri, {'error': 'access_denied', 'state': state}))
        return self._grant(pending.params, pending.app, pending.scopes, debtor_ids, 'Sandbox gebruiker')

    # ------------------------------------------------------------ HTTP

    def handle(self, method, path, query, headers, body):
        route = path.split('?', 1)[0]
        params = {key: values[0] for key, values in parse_qs(query).items()}
        if route == api_facts.DISCOVERY_PATH and method == 'GET':
            return Reply(200, json.dumps(self.discovery()).encode(), JSON)
        if route == api_facts.AUTHORIZE_PATH and method == 'GET':
            return self._consent_page(params)
        if route == api_facts.AUTHORIZE_PATH and method == 'POST':
            return self._consent_decision(parse_qs(body.decode('utf-8', 'replace')))
        if route in (api_facts.TOKEN_PATH, api_facts.REVOCATION_PATH) and method == 'POST':
            form = {key: values[0] for key, values in parse_qs(body.decode('utf-8', 'replace')).items()}
            app = self._client(headers, form)
            if app is None:
                return _error(401, 'invalid_client')
            if route == api_facts.REVOCATION_PATH:
                self._revoke(form.get('token', ''), app)
                return Reply(200, b'', JSON)
            return self._token(form, app)
        return Reply(404, b'<html><body><h1>Not Found</h1></body></html>', HTML)

    def discovery(self):
        issuer = self._base_url_of() + '/identity'
        return {
            'issuer': issuer,
            'authorization_endpoint': issuer + api_facts.AUTHORIZE_PATH,
            'token_endpoint': issuer + api_facts.TOKEN_PATH,
            'revocation_endpoint': issuer + api_facts.REVOCATION_PATH,
            'scopes_supported': sorted(api_facts.REST_SCOPES),
            'response_types_supported': ['code'],
            'grant_types_supported': ['authorization_code', 'refresh_token'],
            'code_challenge_methods_supported': ['S256'],
            'token_endpoint_auth_methods_supported': ['client_secret_basic', 'client_secret_post'],
        }

    def _client(self, headers, form):
        """The app authenticated by HTTP Basic (id and secret form-encoded, RFC 6749 2.3.1) or the form body."""
        authorization = headers.get('Authorization') or ''
        if authorization.startswith('Basic '):
            try:
                client_id, _, secret = base64.b64decode(authorization[6:]).decode('utf-8').partition(':')
            except (ValueError, UnicodeDecodeError):
                return None
            client_id, secret = unquote_plus(client_id), unquote_plus(secret)
        else:
            client_id, secret = form.get('client_id', ''), form.get('client_secret', '')
        app = self.apps.get(client_id)
        if app is None or not hmac.compare_digest(app.client_secret.encode(), secret.encode()):
            return None
        return app

    def _token(self, form, app):
        grant_type = form.get('grant_type')
        with self._lock:
            if grant_type == 'authorization_code':
                code = self._codes.get(form.get('code', ''))
                if (code is None or code.used or code.expires_at <= self.now() or code.consent.client_id != app.client_id
                        or code.redirect_uri != form.get('redirect_uri')
                        or not compare_s256_code_challenge(form.get('code_verifier', ''), code.code_challenge)):
                    if code is not None and code.used:
                        code.consent.revoked = True  # a code used twice: its tokens are suspect
                    return _error(400, 'invalid_grant')
                code.used = True
                return self._issue(code.consent)
            if grant_type == 'refresh_token':
                token = self._tokens.get(form.get('refresh_token', ''))
                if token is None or token.kind != 'refresh' or token.consent.client_id != app.client_id:
                    return _error(400, 'invalid_grant')
                if token.used:
                    token.consent.revoked = True  # reuse: someone holds a copy, the whole chain dies
                    return _error(400, 'invalid_grant', 'refresh token reused')
                if token.consent.revoked or token.expires_at <= self.now():
                    return _error(400, 'invalid_grant')
                token.used = True
                return self._issue(token.consent)
        return _error(400, 'unsupported_grant_type')

    def _issue(self, consent):
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
        now = self.now()
        self._tokens[access] = Token(consent, now + self.access_token_seconds)
        scopes = sorted(consent.scopes)
        body = {'access_token': access, 'token_type': 'Bearer', 'expires_in': self.access_token_seconds,
                'scope': ' '.join(scopes)}
        if 'offline_access' in consent.scopes:
            self._tokens[refresh] = Token(consent, now + self.refresh_token_seconds, kind='refresh')
            body['refresh_token'] = refresh
        return Reply(200, json.dumps(body).encode(), JSON)

    def _revoke(self, value, app):
        with self._lock:
            token = self._tokens.get(value)
            if token is None or token.consent.client_id != app.client_id:
                return  # RFC 7009: an unknown token is not an error
            if token.kind == 'refresh':
                token.consent.revoked = True
            else:
                token.expires_at = 0.0

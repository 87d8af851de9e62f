"""OAuth 2.0 with the Nmbrs identity service: consent, code exchange, refresh, revocation.

Built on Authlib's requests client: it makes the state and the PKCE (S256)
challenge, writes the token requests (RFC 6749, RFC 7009) and reads their
answers. What is Nmbrs's own is added here: the client id and secret are
percent-encoded inside HTTP Basic (Nmbrs secrets hold characters such as
``*`` and ``$``), refresh tokens rotate (each refresh returns a new one and
the old one dies), and every failure becomes a plain NmbrsError that never
carries a token, code or secret.

Serialising refreshes across processes is the caller's job: ``refresh``
takes the refresh token and returns the new pair, and a refresh token that
is expired, revoked or used before raises ``NmbrsConsentError`` (reason
'invalid_grant').
"""
import base64
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import MismatchingStateException
from authlib.oauth2.rfc6749.parameters import parse_authorization_code_response

from . import api_facts
from .errors import (
    NmbrsAuthenticationError,
    NmbrsConnectionError,
    NmbrsConsentError,
    NmbrsError,
    NmbrsHTTPError,
    NmbrsResponseError,
    NmbrsScopeError,
    NmbrsTimeout,
)

CONSENT_RENEW = ('Someone with a Nmbrs login of this client must connect Odoo to Nmbrs again '
                 '(give consent) before the next import.')


@dataclass(frozen=True)
class TokenPair:
    """An access token with the refresh token that replaces it; both are secrets and stay out of ``repr``.

    ``expires_at``: epoch seconds; ``scopes``: what the consent granted.
    """
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    expires_at: float = 0.0
    scopes: tuple = ()

    def expires_within(self, seconds):
        return self.expires_at - seconds <= time.time()

    @classmethod
    def from_token_response(cls, token):
        expires_at = token.get('expires_at') or time.time() + float(token.get('expires_in') or 0)
        scope = token.get('scope') or ''
        return cls(access_token=token['access_token'], refresh_token=token.get('refresh_token'),
                   expires_at=float(expires_at), scopes=tuple(scope.split()) if isinstance(scope, str) else tuple(scope))

    def as_dict(self):
        """For storage; ``from_dict`` reads it back."""
        return {'access_token': self.access_token, 'refresh_token': self.refresh_token,
                'expires_at': self.expires_at, 'scopes': list(self.scopes)}

    @classmethod
    def from_dict(cls, values):
        return cls(values['access_token'], values.get('refresh_token'), float(values.get('expires_at') or 0),
                   tuple(values.get('scopes') or ()))


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the user for consent, and what to keep until the callback: ``state`` and ``code_verifier``."""
    url: str
    state: str
    code_verifier: str = field(repr=False)


def _percent_encoded_basic(client, method, uri, headers, body):
    """HTTP Basic with the client id and secret form-encoded first (RFC 6749 2.3.1), as Nmbrs requires."""
    credentials = '%s:%s' % (quote(client.client_id, safe=''), quote(client.client_secret or '', safe=''))
    headers['Authorization'] = 'Basic ' + base64.b64encode(credentials.encode('utf-8')).decode('ascii')
    return uri, headers, body


class NmbrsIdentity:
    """The Nmbrs identity service for one registered app (client id, secret and redirect URL).

    ``identity_url`` is the service's base address (a local sandbox in tests);
    ``scopes`` what consent is asked for (api_facts.REST_SCOPES).
    """

    def __init__(self, client_id, client_secret, redirect_uri, *, identity_url=api_facts.IDENTITY_URL,
                 scopes=api_facts.REST_SCOPES, connect_timeout=10.0, read_timeout=30.0):
        if urlsplit(identity_url).scheme not in ('http', 'https'):
            raise ValueError('identity_url must start with http:// or https://')
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.identity_url = identity_url.rstrip('/')
        self.scopes = tuple(scopes)
        self.timeout = (connect_timeout, read_timeout)

    def __repr__(self):
        return '<NmbrsIdentity %s at %s>' % (self.client_id, self.identity_url)

    def url(self, path):
        return self.identity_url + path

    def _session(self):
        session = OAuth2Session(
            self.client_id, self._client_secret, scope=' '.join(self.scopes), redirect_uri=self.redirect_uri,
            code_challenge_method='S256', token_endpoint_auth_method='client_secret_basic',
            revocation_endpoint_auth_method='client_secret_basic')
        session.register_client_auth_method(('client_secret_basic', _percent_encoded_basic))
        return session

    # ------------------------------------------------------------ consent

    def authorization_request(self, state=None):
        """The authorize URL (state, PKCE S256, the scopes) and what to keep for the callback."""
        code_verifier = generate_token(64)
        with self._session() as session:
            url, state = session.create_authorization_url(
                self.url(api_facts.AUTHORIZE_PATH), state=state, code_verifier=code_verifier)
        return AuthorizationRequest(url=url, state=state, code_verifier=code_verifier)

    def code_from_callback(self, callback_url, state):
        """The code of the redirect back from Nmbrs, after checking its state; NmbrsConsentError when refused."""
        query = dict(part.split('=', 1) for part in urlsplit(callback_url).query.split('&') if '=' in part)
        if 'error' in query:
            if query['error'] == 'invalid_scope':
                raise NmbrsScopeError(
                    'Nmbrs refused the consent request: the app registered in the Nmbrs partner portal may not ask '
                    'for all the permissions the addon needs (%s).' % ', '.join(self.scopes),
                    right=' '.join(self.scopes), operation='authorize', detail=query['error'])
            raise NmbrsConsentError(
                'Nmbrs did not give consent (%s). Try connecting again and approve the request in Nmbrs.'
                % query['error'], reason=query['error'], operation='authorize', detail=query['error'])
        try:
            return parse_authorization_code_response(callback_url, state=state)['code']
        except MismatchingStateException:
            raise NmbrsConsentError(
                'The answer from Nmbrs does not belong to the connection started here (its state differs). '
                'Start connecting again.', reason='state', operation='authorize') from None
        except Exception as error:  # noqa: BLE001 - Authlib raises several kinds for a missing code
            raise NmbrsConsentError(
                'The answer from Nmbrs carries no consent code. Start connecting again.', reason='no_code',
                operation='authorize', detail=type(error).__name__) from None

    def exchange_code(self, code, code_verifier):
        """The token pair for a consent code (single use, valid five minutes)."""
        return self._token_call('exchange', lambda session: session.fetch_token(
            self.url(api_facts.TOKEN_PATH), grant_type='authorization_code', code=code,
            code_verifier=code_verifier, timeout=self.timeout), secrets=(code, code_verifier))

    def refresh(self, refresh_token):
        """The new pair for a refresh token; the refresh token given is dead afterwards (rotation).

        The caller must persist the new pair before it uses it: a crash after
        this call and before storing it loses the connection.
        """
        if not refresh_token:
            raise NmbrsConsentError('There is no Nmbrs consent for this connection. ' + CONSENT_RENEW,
                                    reason='not_connected', operation='refresh')
        return self._token_call('refresh', lambda session: session.refresh_token(
            self.url(api_facts.TOKEN_PATH), refresh_token=refresh_token, timeout=self.timeout),
            secrets=(refresh_token,))

    def revoke(self, token, token_type_hint='refresh_token'):
        """Revoke a token (and, for a refresh token, the consent's tokens made from it)."""
        def call(session):
            response = session.revoke_token(self.url(api_facts.REVOCATION_PATH), token=token,
                                            token_type_hint=token_type_hint, timeout=self.timeout)
            if response.status_code >= 400:
                raise self._http_error(response.status_code, 'revoke')
        self._token_call('revoke', call, secrets=(token,))

    def discovery(self):
        """The identity service's discovery document (its endpoints and what it supports)."""
        def call(session):
            response = session.get(self.url(api_facts.DISCOVERY_PATH), timeout=self.timeout, withhold_token=True)
            if response.status_code != 200:
                raise self._http_error(response.status_code, 'discovery')
            return response.json()
        return self._token_call('discovery', call)

    # ------------------------------------------------------------ errors

    def _token_call(self, what, call, secrets=()):
        """Run ``call(session)``; every failure becomes an NmbrsError without any secret in it."""
        try:
            with self._session() as session:
                result = call(session)
        except NmbrsError as error:
            raise self._redacted(error, secrets) from None
        except OAuthError as error:
            raise self._redacted(self._oauth_error(error, what), secrets) from None
        except requests.Timeout as error:
            raise self._redacted(NmbrsTimeout(
                'The Nmbrs identity service did not answer within %s seconds. Try again later.' % self.timeout[1],
                operation=what, detail=str(error)), secrets) from None
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            raise self._http_error(status, what) from None
        except requests.RequestException as error:
            raise self._redacted(NmbrsConnectionError(
                'Could not reach the Nmbrs identity service at %s. Check the internet connection and the '
                'identity service address.' % urlsplit(self.identity_url).netloc,
                operation=what, detail=str(error)), secrets) from None
        except (ValueError, KeyError) as error:
            raise self._redacted(NmbrsResponseError(
                'The Nmbrs identity service sent an answer that could not be read.', operation=what,
                detail=str(error)), secrets) from None
        return TokenPair.from_token_response(result) if what in ('exchange', 'refresh') else result

    def _redacted(self, error, secrets):
        for secret in (self._client_secret, *secrets):
            error.redact(secret)
        return error

    def _oauth_error(self, error, what):
        code = error.error
        detail = '%s: %s' % (code, error.description or '')
        if code == 'invalid_grant':
            if what == 'exchange':
                message = ('Nmbrs did not accept the consent code: it was used already or is older than five '
                           'minutes. Start connecting again.')
            else:
                message = ('Nmbrs no longer accepts the consent of this connection: it expired, was withdrawn, '
                           'or was used by another process. ' + CONSENT_RENEW)
            return NmbrsConsentError(message, reason='invalid_grant', operation=what, detail=detail)
        if code in ('invalid_client', 'unauthorized_client'):
            return NmbrsAuthenticationError(
                'Nmbrs refused the app\'s client id or client secret. Check both against the app registered in '
                'the Nmbrs partner portal.', code=None, operation=what, detail=detail)
        return NmbrsError('The Nmbrs identity service refused the request (%s).' % code, operation=what,
                          detail=detail)

    def _http_error(self, status, what):
        transient = status >= 500 or status == 429
        message = ('The Nmbrs identity service is temporarily unavailable (HTTP %s). Try again later.' % status
                   if transient else 'The Nmbrs identity service answered with an unexpected HTTP status %s.' % status)
        return NmbrsHTTPError(message, status=status, transient=transient, operation=what, detail='HTTP %s' % status)

"""Consent with the Nmbrs identity service (the sandbox's) over real HTTP: what the app asks, what it gets.

The authorize URL, the HTML consent page, codes that work once and for five
minutes, PKCE, percent-encoded client authentication, rotating refresh
tokens (a reused one kills its chain), revocation and the discovery document.
"""
import base64
import dataclasses
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from odoo.tests import tagged

from ..nmbrs import api_facts
from ..nmbrs.errors import NmbrsAuthenticationError, NmbrsConsentError, NmbrsScopeError
from ..nmbrs.oauth import NmbrsIdentity
from .rest_case import RestSandboxCase


def query_of(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


@tagged('post_install', '-at_install')
class TestConsent(RestSandboxCase):

    def test_the_authorize_url_asks_what_the_addon_needs(self):
        request = self.identity().authorization_request()
        self.assertTrue(request.url.startswith(self.sandbox.identity_url + api_facts.AUTHORIZE_PATH + '?'))
        query = query_of(request.url)
        self.assertEqual((query['response_type'], query['client_id'], query['redirect_uri'], query['state']),
                         ('code', self.sandbox.rest_credentials.client_id, self.sandbox.rest_credentials.redirect_uri,
                          request.state))
        scopes = set(query['scope'].split())
        self.assertTrue({'offline_access', 'company.document.read', 'document.read',
                         'employee.document.read'} <= scopes)
        expected = base64.urlsafe_b64encode(hashlib.sha256(request.code_verifier.encode()).digest()).rstrip(b'=')
        self.assertEqual((query['code_challenge_method'], query['code_challenge']), ('S256', expected.decode()))
        self.assertNotEqual(request.state, self.identity().authorization_request().state)
        self.assertNotIn(request.code_verifier, repr(request))

    def test_a_person_approves_on_the_consent_page(self):
        identity = self.identity()
        request = identity.authorization_request()
        page = requests.get(request.url, timeout=10)
        self.assertEqual(page.status_code, 200)
        for debtor in self.sandbox.dataset.debtors.values():
            self.assertIn(debtor.name, page.text)
        request_id = page.text.split('name="request" value="')[1].split('"')[0]
        debtor_ids = sorted(self.sandbox.dataset.debtors)
        answer = requests.post(request.url.split('?')[0], data={
            'request': request_id, 'decision': 'approve', 'debtor': [str(debtor_ids[1])]},
            allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        callback = answer.headers['Location']
        self.assertTrue(callback.startswith(self.sandbox.rest_credentials.redirect_uri))
        tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
        client = self.rest_client(tokens)
        self.assertEqual([debtor.id for debtor in client.debtors()],
                         [client.user_info().debtor_id])
        self.assertEqual(client.debtors()[0].name, self.sandbox.dataset.debtors[debtor_ids[1]].name)

    def test_a_refused_consent(self):
        identity = self.identity()
        request = identity.authorization_request()
        page = requests.get(request.url, timeout=10)
        request_id = page.text.split('name="request" value="')[1].split('"')[0]
        answer = requests.post(request.url.split('?')[0], data={'request': request_id, 'decision': 'deny'},
                               allow_redirects=False, timeout=10)
        with self.assertRaises(NmbrsConsentError) as caught:
            identity.code_from_callback(answer.headers['Location'], request.state)
        self.assertEqual(caught.exception.reason, 'access_denied')

    def test_a_callback_of_another_connection_attempt(self):
        identity = self.identity()
        request = identity.authorization_request()
        callback = self.sandbox.identity.approve(request.url)
        with self.assertRaises(NmbrsConsentError) as caught:
            identity.code_from_callback(callback, 'some-other-state')
        self.assertEqual(caught.exception.reason, 'state')

    def test_an_app_asking_more_than_it_may(self):
        identity = self.identity(scopes=api_facts.REST_SCOPES + ('employee.bankaccount',))
        request = identity.authorization_request()
        with self.assertRaises(NmbrsScopeError) as caught:
            identity.code_from_callback(self.sandbox.identity.approve(request.url), request.state)
        self.assertIn('partner portal', str(caught.exception))

    def test_a_code_works_once_and_for_five_minutes(self):
        identity = self.identity()
        request = identity.authorization_request()
        code = identity.code_from_callback(self.sandbox.identity.approve(request.url), request.state)
        identity.exchange_code(code, request.code_verifier)
        with self.assertRaises(NmbrsConsentError) as caught:
            identity.exchange_code(code, request.code_verifier)
        self.assertIn('used already or is older than five minutes', str(caught.exception))
        self.assertNotIn(code, str(caught.exception) + (caught.exception.detail or ''))
        request = identity.authorization_request()
        code = identity.code_from_callback(self.sandbox.identity.approve(request.url), request.state)
        self.sandbox.identity.advance(api_facts.AUTHORIZATION_CODE_SECONDS + 1)
        self.addCleanup(self.sandbox.identity.advance, -(api_facts.AUTHORIZATION_CODE_SECONDS + 1))
        with self.assertRaises(NmbrsConsentError):
            identity.exchange_code(code, request.code_verifier)

    def test_a_code_needs_its_verifier(self):
        identity = self.identity()
        request = identity.authorization_request()
        code = identity.code_from_callback(self.sandbox.identity.approve(request.url), request.state)
        with self.assertRaises(NmbrsConsentError):
            identity.exchange_code(code, identity.authorization_request().code_verifier)

    def test_the_client_secret_is_percent_encoded_in_basic_authentication(self):
        credentials = self.sandbox.rest_credentials
        self.assertTrue({'*', '$', '+', '%'} <= set(credentials.client_secret))
        self.consent()  # works: the client encodes
        plain = requests.post(self.sandbox.identity_url + api_facts.TOKEN_PATH,
                              auth=(credentials.client_id, credentials.client_secret),
                              data={'grant_type': 'refresh_token', 'refresh_token': 'x'}, timeout=10)
        self.assertEqual((plain.status_code, plain.json()['error']), (401, 'invalid_client'))

    def test_a_wrong_client_secret(self):
        identity = NmbrsIdentity(self.sandbox.rest_credentials.client_id, 'wrong*secret',
                                 self.sandbox.rest_credentials.redirect_uri, identity_url=self.sandbox.identity_url)
        request = identity.authorization_request()
        code = identity.code_from_callback(self.sandbox.identity.approve(request.url), request.state)
        with self.assertRaises(NmbrsAuthenticationError) as caught:
            identity.exchange_code(code, request.code_verifier)
        self.assertIn('client id or client secret', str(caught.exception))
        self.assertNotIn('wrong*secret', str(caught.exception) + (caught.exception.detail or ''))

    def test_the_discovery_document(self):
        metadata = AuthorizationServerMetadata(self.identity().discovery())
        metadata.validate()
        self.assertEqual(metadata['token_endpoint'], self.sandbox.identity_url + api_facts.TOKEN_PATH)
        self.assertIn('S256', metadata['code_challenge_methods_supported'])


@tagged('post_install', '-at_install')
class TestRefreshTokens(RestSandboxCase):

    def test_a_refresh_rotates_and_the_old_token_dies(self):
        identity = self.identity()
        first = self.consent(identity=identity)
        second = identity.refresh(first.refresh_token)
        self.assertNotEqual((second.access_token, second.refresh_token), (first.access_token, first.refresh_token))
        self.assertTrue(self.rest_client(second).companies())
        third = identity.refresh(second.refresh_token)
        self.assertTrue(self.rest_client(third).companies())

    def test_a_reused_refresh_token_kills_the_whole_chain(self):
        identity = self.identity()
        first = self.consent(identity=identity)
        second = identity.refresh(first.refresh_token)
        with self.capture_logs('odoo.addons.nmbrs_connector.nmbrs') as logs, self.assertRaises(NmbrsConsentError) as caught:
            identity.refresh(first.refresh_token)
        self.assertEqual(caught.exception.reason, 'invalid_grant')
        self.assertIn('used by another process', str(caught.exception))
        self.assertNoSecrets([str(caught.exception), caught.exception.detail, *logs.output],
                             first.refresh_token, second.refresh_token, self.sandbox.rest_credentials.client_secret)
        with self.assertRaises(NmbrsConsentError):
            identity.refresh(second.refresh_token)
        client = self.rest_client(second, refresh_tokens=None, identity=None)
        with self.assertRaises(NmbrsConsentError):
            client.companies()

    def test_an_expired_refresh_token(self):
        identity = self.identity()
        tokens = self.consent(identity=identity)
        self.sandbox.identity.expire_refresh_tokens()
        with self.assertRaises(NmbrsConsentError) as caught:
            identity.refresh(tokens.refresh_token)
        self.assertEqual(caught.exception.reason, 'invalid_grant')

    def test_revoking_ends_the_consent(self):
        identity = self.identity()
        tokens = self.consent(identity=identity)
        client = self.rest_client(tokens, refresh_tokens=None, identity=None)
        self.assertTrue(client.companies())
        identity.revoke(tokens.refresh_token)
        with self.assertRaises(NmbrsConsentError):
            client.companies()
        with self.assertRaises(NmbrsConsentError):
            identity.refresh(tokens.refresh_token)

    def test_a_failing_save_keeps_the_old_pair_in_use(self):
        """The new pair is persisted before it is used: when saving fails the client does not go on with it."""
        def broken_save(tokens):
            raise OSError('disk full')
        tokens = dataclasses.replace(self.consent(), expires_at=time.time() + 10)
        client = self.rest_client(tokens, save_tokens=broken_save)
        with self.assertRaises(OSError):
            client.companies()
        self.assertIs(client.tokens, tokens)
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 0)

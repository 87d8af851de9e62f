"""A plain-Python test case with its own sandbox, REST consent helpers and the contract check on every answer."""
from ..nmbrs.oauth import NmbrsIdentity
from ..nmbrs.rest import NmbrsRestClient
from ..nmbrs.sandbox import NmbrsSandbox, demo_dataset
from .common import PlainCase
from .rest_contract import ContractWatch


class RestSandboxCase(PlainCase):
    """Each class gets a fresh sandbox; each test a cleared knob set, call log and contract watch.

    Every REST answer a client of ``rest_client()`` (or a session passed to
    ``watch()``) receives is validated against Nmbrs's OpenAPI description;
    a violation fails the test.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = NmbrsSandbox(cls._nmbrs_dataset()).start()
        cls.addClassCleanup(cls.sandbox.stop)

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset()

    def setUp(self):
        super().setUp()
        self.sandbox.faults.clear()
        self.sandbox.calls.clear()
        self.sandbox.rest_knobs.set(document_polls=0, max_calls_per_second=None, quota=None, retry_after=1,
                                    subscription_disabled=False,
                                    subscription_keys=[self.sandbox.rest_credentials.subscription_key])
        self.sandbox.identity.withheld_scopes.clear()
        self.contract = ContractWatch()
        self.addCleanup(self._check_contract)

    def _check_contract(self):
        self.assertEqual(self.contract.found, [], 'REST answers that break Nmbrs\'s OpenAPI description')

    def watch(self, session):
        return self.contract.watch(session)

    def identity(self, **options):
        credentials = self.sandbox.rest_credentials
        return NmbrsIdentity(credentials.client_id, credentials.client_secret, credentials.redirect_uri,
                             identity_url=self.sandbox.identity_url, **options)

    def consent(self, debtor_ids=None, identity=None):
        """A fresh token pair, as if a person approved the consent page for ``debtor_ids`` (SOAP ids)."""
        identity = identity or self.identity()
        request = identity.authorization_request()
        callback = self.sandbox.identity.approve(request.url, debtor_ids)
        return identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)

    def rest_client(self, tokens=None, *, subscription_key=None, **options):
        """A client of a fresh consent (all debtors' first by default) that refreshes through the sandbox."""
        options = {'backoff': 0, 'connect_timeout': 2.0, 'read_timeout': 10.0, 'max_retries': 2,
                   'poll_interval': 0.01, **options}
        if 'refresh_tokens' not in options:
            options.setdefault('identity', self.identity())
        client = NmbrsRestClient(
            self.sandbox.rest_credentials.subscription_key if subscription_key is None else subscription_key,
            self.consent() if tokens is None else tokens, **{'api_url': self.sandbox.rest_url, **options})
        self.addCleanup(client.close)
        self.watch(client._session)
        return client

    def assertNoSecrets(self, texts, *secrets):
        """None of ``secrets`` (tokens, keys) in any of ``texts``."""
        for text in texts:
            for secret in filter(None, secrets):
                self.assertNotIn(secret, text)

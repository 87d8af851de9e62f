from urllib.parse import urlsplit

from odoo.tests import TransactionCase
from odoo.tests.common import _super_send

from ..nmbrs.sandbox import NmbrsSandbox, demo_dataset


class NmbrsSandboxMixin:
    """Gives a test class its own local Nmbrs sandbox.

    The sandbox is a real HTTP server on 127.0.0.1 with the demo dataset; each
    class gets a fresh one, so tests may change its data and fault knobs.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = NmbrsSandbox(cls._nmbrs_dataset()).start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.company = cls.env.company

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset()

    @classmethod
    def connect_company(cls, company, sandbox):
        credentials = sandbox.credentials
        company.write({
            'nmbrs_username': credentials.username,
            'nmbrs_token': credentials.token,
            'nmbrs_tenant_key': credentials.domain,
            'nmbrs_environment': 'custom',
            'nmbrs_api_url': sandbox.url,
            'nmbrs_state': 'connected',
        })

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        # Odoo's test guard only lets float timeouts through; the client sets
        # separate connect and read timeouts, which matter for the fault tests.
        if urlsplit(request.url).hostname == '127.0.0.1':
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)

    def setUp(self):
        super().setUp()
        self.sandbox.faults.clear()
        self.sandbox.calls.clear()


class NmbrsSandboxCase(NmbrsSandboxMixin, TransactionCase):
    """A test case whose company is connected to its own local Nmbrs sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)

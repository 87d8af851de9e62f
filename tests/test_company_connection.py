from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestCompanyConnection(NmbrsSandboxCase):

    def test_client_reaches_the_sandbox_with_the_company_credentials(self):
        with self.company._nmbrs_client() as client:
            environment = client.environment_get()
        self.assertEqual(environment.subdomain, self.sandbox.credentials.domain)

    def test_tenant_key_taken_from_a_pasted_address(self):
        self.company.nmbrs_tenant_key = 'https://Kantoor.nmbrs.nl/applications/common/dashboard.aspx'
        self.assertEqual(self.company.nmbrs_tenant_key, 'kantoor')

    def test_tenant_key_with_spaces_is_refused(self):
        with self.assertRaises(ValidationError):
            self.company.nmbrs_tenant_key = 'mijn kantoor'

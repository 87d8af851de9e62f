from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestSettingsTours(NmbrsTourCase):
    """The Nmbrs settings in a browser: texts, layout, and testing the connection with unsaved changes."""

    def test_test_connection_saves_tests_and_shows_the_outcome(self):
        self.sandbox.dataset.add_user('salarisadministratie@kantoorvoorbeeld.example', 'salaris-token-2026')
        for lang in self.for_each_language():
            self.company.write({
                'nmbrs_username': 'verkeerd@kantoorvoorbeeld.example',
                'nmbrs_token': 'salaris-token-2026',
                'nmbrs_tenant_key': self.sandbox.credentials.domain,
                'nmbrs_environment': 'custom',
                'nmbrs_api_url': self.sandbox.url,
                'nmbrs_state': 'connected',
                'nmbrs_last_test_result': False,
                'nmbrs_last_test_date': False,
            })
            self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_settings_unsaved_test_tour',
                                  lang)
            self.assertEqual(self.company.nmbrs_username, 'salarisadministratie@kantoorvoorbeeld.example')
            self.assertEqual(self.company.sudo().nmbrs_token, 'verkeerd-token')
            self.assertEqual(self.company.nmbrs_last_test_result, 'failed')
            self.assertEqual(self.company.nmbrs_state, 'connected')

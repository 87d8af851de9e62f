import socket

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.res_company_connection import SOFT_RELOAD
from ..nmbrs import api_facts
from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestSettingsConnection(NmbrsSandboxCase):

    def _settings(self, **values):
        return self.env['res.config.settings'].create(values)

    def _test_connection(self):
        return self._settings().action_nmbrs_test_connection()['params']

    def _restore(self, field):
        self.addCleanup(self.company.write, {field: self.company[field]})

    def test_connection_ok_names_the_environment(self):
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'success')
        self.assertIn(self.sandbox.credentials.domain, answer['message'])
        self.company.nmbrs_tenant_name = 'Kantoor Voorbeeld'
        self.assertIn('Kantoor Voorbeeld', self._test_connection()['message'])

    def test_wrong_token_is_a_refused_login(self):
        self.company.nmbrs_token = 'not-the-token'
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'danger')
        self.assertIn('refused the login e-mail or the API token', answer['message'])
        self.assertNotIn('not-the-token', answer['message'])

    def test_wrong_username_is_a_refused_login(self):
        self.company.nmbrs_username = 'someone-else@example.com'
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'danger')
        self.assertIn('refused the login e-mail or the API token', answer['message'])

    def test_wrong_tenant_key_names_the_right_one(self):
        self.company.nmbrs_tenant_key = 'https://anderkantoor.nmbrs.nl/'
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'danger')
        self.assertIn("'anderkantoor'", answer['message'])
        self.assertIn("'%s'" % self.sandbox.credentials.domain, answer['message'])

    def test_missing_right_is_named(self):
        right = api_facts.operation_right(api_facts.COMPANY_SERVICE, 'List_GetAll')
        rights = self.sandbox.dataset.users[self.sandbox.credentials.username].rights
        rights.discard(right)
        self.addCleanup(rights.add, right)
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'danger')
        self.assertIn(right, answer['message'])
        self.assertIn('User templates', answer['message'])

    def test_unreachable_nmbrs(self):
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            closed_port = probe.getsockname()[1]
        self.company.nmbrs_api_url = 'http://127.0.0.1:%d/soap/v3/' % closed_port
        answer = self._test_connection()
        self.assertEqual(answer['type'], 'danger')
        self.assertIn('cannot be reached', answer['message'])

    def test_test_saves_the_changes_and_shows_the_outcome_beside_the_state(self):
        # The button skips the save dialog: the web client stores the changed settings, the test applies them.
        settings = self._settings(nmbrs_token='not-the-token')
        answer = settings.action_nmbrs_test_connection()
        self.assertEqual(answer['params']['type'], 'danger')
        self.assertEqual(answer['params']['next'], SOFT_RELOAD)
        self.assertEqual(self.company.sudo().nmbrs_token, 'not-the-token')
        # Still connected, and the failure is kept beside it.
        self.assertEqual(self.company.nmbrs_state, 'connected')
        self.assertEqual(self.company.nmbrs_last_test_result, 'failed')
        self.assertTrue(self.company.nmbrs_last_test_date)
        self.assertEqual(self._settings().nmbrs_last_test_result, 'failed')
        self._settings(nmbrs_token=self.sandbox.credentials.token).action_nmbrs_test_connection()
        self.assertEqual(self.company.nmbrs_last_test_result, 'ok')

    def test_test_saves_the_other_unsaved_settings_too(self):
        # The soft reload after the test would drop what only Save applies, such as a system parameter.
        show_effect = self.env['ir.config_parameter'].get_param('base_setup.show_effect')
        self._settings(show_effect=not show_effect).action_nmbrs_test_connection()
        self.assertEqual(bool(self.env['ir.config_parameter'].get_param('base_setup.show_effect')), not show_effect)

    def test_notification_does_not_repeat_nmbrs_in_a_title(self):
        self.company.nmbrs_token = 'not-the-token'
        answer = self._test_connection()
        self.assertTrue(answer['message'].startswith('Nmbrs refused'))
        self.assertFalse(answer.get('title'))

    def test_a_day_beyond_the_month_is_refused_saying_0_means_no_limit(self):
        for field in ('nmbrs_first_day', 'nmbrs_last_day'):
            with self.assertRaisesRegex(ValidationError, r'1 to 31\), or 0 for no limit'):
                self.company.write({field: 40})
        self.company.write({'nmbrs_first_day': 0, 'nmbrs_last_day': 31})

    def test_connect_marks_the_company_connected(self):
        self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_responsible_user_id': False})
        answer = self._settings().action_nmbrs_connect()['params']
        self.assertEqual(answer['type'], 'success')
        self.assertEqual(self.company.nmbrs_state, 'connected')
        self.assertEqual(self.company.nmbrs_connected_uid, self.env.user)
        self.assertTrue(self.company.nmbrs_connected_date)
        self.assertEqual(self.company.nmbrs_responsible_user_id, self.env.user)

    def test_connect_with_a_wrong_token_stays_disconnected(self):
        self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_token': 'not-the-token'})
        answer = self._settings().action_nmbrs_connect()['params']
        self.assertEqual(answer['type'], 'danger')
        self.assertEqual(self.company.nmbrs_state, 'disconnected')
        self.assertEqual(answer['next'], SOFT_RELOAD, "the failed test shows beside the connection state")

    def test_connect_saves_the_unsaved_settings_first(self):
        self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_token': 'not-the-token'})
        show_effect = self.env['ir.config_parameter'].get_param('base_setup.show_effect')
        answer = self._settings(nmbrs_token=self.sandbox.credentials.token,
                                show_effect=not show_effect).action_nmbrs_connect()['params']
        self.assertEqual(answer['type'], 'success')
        self.assertEqual(self.company.nmbrs_state, 'connected')
        self.assertEqual(bool(self.env['ir.config_parameter'].get_param('base_setup.show_effect')), not show_effect)

    def test_disconnect_keeps_the_links(self):
        partner = self.env['res.partner'].create({'name': 'Linked relation', 'is_company': True,
                                                  'nmbrs_company_id': 52001})
        self._settings().action_nmbrs_disconnect()
        self.assertEqual(self.company.nmbrs_state, 'disconnected')
        self.assertEqual(partner.nmbrs_company_id, 52001)

    def test_settings_values_are_cleaned(self):
        self._settings(nmbrs_username='  payroll@kantoor.nl ', nmbrs_tenant_name=' Kantoor ',
                       nmbrs_tenant_key=' https://Kantoor.nmbrs.nl/applications ').execute()
        self.assertEqual(self.company.nmbrs_username, 'payroll@kantoor.nl')
        self.assertEqual(self.company.nmbrs_tenant_name, 'Kantoor')
        self.assertEqual(self.company.nmbrs_tenant_key, 'kantoor')

    def test_token_is_refused_to_non_administrators(self):
        nmbrs_manager = new_test_user(self.env, login='nmbrs_manager', groups='nmbrs_connector.group_nmbrs_manager')
        with self.assertRaises(AccessError):
            self.company.with_user(nmbrs_manager).read(['nmbrs_token'])
        with self.assertRaises(AccessError):
            self.env['res.config.settings'].with_user(nmbrs_manager).create({}).read(['nmbrs_token'])
        self.assertNotIn('nmbrs_token', self.env['res.config.settings'].with_user(nmbrs_manager).fields_get())
        self.assertNotIn('nmbrs_token', self.company.with_user(nmbrs_manager).fields_get())

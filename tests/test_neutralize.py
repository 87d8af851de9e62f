from odoo.modules.neutralize import neutralize_database
from odoo.tests import tagged

from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestNeutralize(NmbrsSandboxCase):
    """A copy of a production database must never talk to Nmbrs."""

    def test_neutralized_database_has_no_token_and_no_active_nmbrs_cron(self):
        second = self.env['res.company'].create({'name': 'Loonbureau Tweede B.V.'})
        self.connect_company(second, self.sandbox)
        crons = self.env['ir.cron'].search([]).filtered(
            lambda cron: cron.get_external_id()[cron.id].startswith('nmbrs_connector.'))
        self.assertTrue(crons, "the addon installs its scheduled jobs")
        crons.active = True
        self.connect_company_rest(second, self.sandbox)
        consent = self.env['nmbrs.consent'].create({
            'company_id': second.id, 'state': 'active', 'access_token': 'access', 'refresh_token': 'refresh',
            'oauth_state': 'state', 'oauth_code_verifier': 'verifier'})

        self.env.flush_all()
        neutralize_database(self.env.cr)
        self.env.invalidate_all()

        for company in self.company | second:
            self.assertFalse(company.nmbrs_token)
            self.assertEqual(company.nmbrs_state, 'disconnected')
            self.assertFalse(company.nmbrs_rest_client_id or company.nmbrs_rest_client_secret
                             or company.nmbrs_rest_subscription_key)
        self.assertFalse(consent.access_token or consent.refresh_token or consent.oauth_state
                         or consent.oauth_code_verifier)
        self.assertEqual(consent.state, 'renew')
        self.assertFalse(any(crons.mapped('active')))

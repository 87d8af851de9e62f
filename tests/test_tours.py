from odoo.tests import HttpCase, tagged

from .common import NmbrsSandboxMixin


@tagged('post_install', '-at_install')
class TestNmbrsTours(NmbrsSandboxMixin, HttpCase):
    """The screens an accountant uses, in a real browser against the local Nmbrs sandbox."""

    def test_connect_in_settings_then_sync_a_relation(self):
        self.sandbox.dataset.add_user('tour@kantoorvoorbeeld.example', 'tour-token-2026')
        self.company.write({
            'nmbrs_environment': 'custom',
            'nmbrs_api_url': self.sandbox.url,
            'nmbrs_window_start': 0.0,
            'nmbrs_window_end': 24.0,
        })
        self.start_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_settings_tour', login='admin')
        self.assertEqual(self.company.nmbrs_tenant_key, 'kantoorvoorbeeld')

        self.company.nmbrs_state = 'connected'
        nmbrs_company = next(iter(self.sandbox.dataset.companies.values()))
        relation = self.env['res.partner'].create({
            'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id})
        self.start_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_sync_now_tour', login='admin')
        self.assertTrue(self.env['nmbrs.document'].search_count(
            [('partner_id', '=', relation.id), ('document_type', '=', 'payslip')]))

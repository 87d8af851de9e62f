from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestNmbrsTours(NmbrsTourCase):
    """The screens an accountant uses, in a real browser against the local Nmbrs sandbox."""

    def test_connect_in_settings_then_sync_a_relation(self):
        self.sandbox.dataset.add_user('tour@kantoorvoorbeeld.example', 'tour-token-2026')
        nmbrs_companies = list(self.sandbox.dataset.companies.values())
        for index, lang in enumerate(self.for_each_language()):
            self.company.write({
                'nmbrs_username': False,
                'nmbrs_tenant_key': False,
                'nmbrs_state': 'disconnected',
                'nmbrs_environment': 'custom',
                'nmbrs_api_url': self.sandbox.url,
                'nmbrs_window_start': 0.0,
                'nmbrs_window_end': 24.0,
            })
            self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_settings_tour', lang)
            self.assertEqual(self.company.nmbrs_tenant_key, 'kantoorvoorbeeld')
            self.assertEqual(self.company.nmbrs_state, 'connected')

            relation = self.env['res.partner'].create({
                'name': nmbrs_companies[index].name, 'is_company': True,
                'nmbrs_company_id': nmbrs_companies[index].id})
            self.start_nmbrs_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_sync_now_tour', lang)
            self.assertTrue(self.env['nmbrs.document'].search_count(
                [('partner_id', '=', relation.id), ('document_type', '=', 'payslip')]))

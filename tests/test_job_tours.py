from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestJobTours(NmbrsTourCase):
    """Syncing, importing and reading the sync log in a browser: first failing, then after the fix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What the sync stores is in the office's language (Dutch), also for its English-speaking administrator.
        cls.company.write({'nmbrs_window_start': 0.0, 'nmbrs_window_end': 24.0,
                           'nmbrs_responsible_user_id': cls.env.ref('base.user_admin').id})
        for user in cls.tour_users.values():
            user.notification_type = 'inbox'

    def connect(self, **wrong):
        credentials = self.sandbox.credentials
        self.company.write({
            'nmbrs_username': credentials.username, 'nmbrs_token': credentials.token,
            'nmbrs_tenant_key': credentials.domain, 'nmbrs_environment': 'custom',
            'nmbrs_api_url': self.sandbox.url, 'nmbrs_state': 'connected', **wrong})

    def test_sync_now_fails_then_works_and_import_now_reports_in_the_inbox_and_the_log(self):
        nmbrs_companies = list(self.sandbox.dataset.companies.values())
        for index, lang in enumerate(self.for_each_language()):
            Partner = self.env['res.partner']
            Partner.search([('nmbrs_company_id', '!=', False)]).nmbrs_company_id = False
            self.env['nmbrs.sync.log'].search([]).unlink()
            relations = Partner.create([
                {'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id}
                for nmbrs_company in nmbrs_companies[2 * index:2 * index + 2]])

            self.connect(nmbrs_token='verkeerd-token')
            self.start_nmbrs_tour('/odoo/contacts/%d' % relations[0].id, 'nmbrs_connector_sync_now_failure_tour',
                                  lang)
            self.assertEqual(relations[0].nmbrs_sync_state, 'error')

            self.connect()
            self.start_nmbrs_tour('/odoo/contacts/%d' % relations[0].id, 'nmbrs_connector_sync_now_tour', lang)
            self.assertEqual(relations[0].nmbrs_sync_state, 'ok')

            self.connect(nmbrs_tenant_key='verkeerd')
            self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_import_now_tour', lang)
            request = self.env['nmbrs.sync.request'].search([('state', '=', 'queued')])
            self.assertEqual(request.user_id, self.tour_users[lang])

            with self.enter_registry_test_mode():
                self.env.ref('nmbrs_connector.ir_cron_nmbrs_import_documents').method_direct_trigger()
            self.env.invalidate_all()
            self.assertEqual(request.state, 'done')
            self.assertTrue(self.env['nmbrs.document'].search_count([('partner_id', '=', relations[1].id)]))

            self.start_nmbrs_tour('/odoo/discuss?active_id=mail.box_inbox', 'nmbrs_connector_sync_log_tour', lang)

from odoo.tests import new_test_user, tagged

from .document_import_case import MORNING, DocumentImportCase, freeze_time

# 22:00 in Amsterdam: outside the import hours, when only what a user asked for is imported.
EVENING = '2026-03-16 21:00:00'
DOWNLOAD = 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'


@tagged('post_install', '-at_install')
class TestWorkStartedByAUser(DocumentImportCase):
    """Long work never runs in the web request: the buttons start the cron job and the inbox tells the outcome."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, 'nmbrs_jobs_admin', groups='base.group_system,nmbrs_connector.group_nmbrs_manager',
            company_id=cls.company.id)

    def settings(self):
        return self.env['res.config.settings'].with_user(self.accountant).create({})

    def triggered(self, xmlid):
        return self.env['ir.cron.trigger'].search([('cron_id', '=', self.env.ref(xmlid).id)])

    def inbox(self):
        return self.env['mail.message'].search([('partner_ids', 'in', self.accountant.partner_id.ids)])

    def run_relation_cron(self):
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_sync_relations').method_direct_trigger(), True)
        self.env.invalidate_all()

    def test_import_documents_now_starts_the_cron_and_reports_in_the_inbox(self):
        with freeze_time(EVENING):
            notification = self.settings().action_nmbrs_import_documents()

        self.assertEqual(notification['params']['type'], 'success')
        self.assertIn('started in the background', notification['params']['message'])
        self.assertIn('2 relations', notification['params']['message'])
        self.assertFalse(self.sandbox.calls.of(DOWNLOAD), "nothing is downloaded in the web request")
        self.assertFalse(self.env['nmbrs.document'].search([]))
        self.assertTrue(self.triggered('nmbrs_connector.ir_cron_nmbrs_import_documents'))

        self.run_cron(at=EVENING)

        self.assert_everything_imported_once()
        request = self.env['nmbrs.sync.request'].search([])
        self.assertEqual(request.state, 'done')
        message = self.inbox()
        self.assertEqual(len(message), 1)
        created = self.env['nmbrs.document'].search_count([])
        self.assertIn('%d new payroll documents for 2 relations' % created, message.body)
        self.assertTrue(all(self.env['nmbrs.sync.log'].search([]).mapped(lambda log: log.trigger == 'requested')))

    def test_import_documents_now_with_a_wrong_tenant_key_says_why_at_once(self):
        self.company.nmbrs_tenant_key = 'verkeerd'

        notification = self.settings().action_nmbrs_import_documents()

        self.assertEqual(notification['params']['type'], 'danger')
        message = notification['params']['message']
        self.assertIn("tenant key 'verkeerd'", message)
        self.assertIn(self.sandbox.credentials.domain, message, "the tenant key the login belongs to")
        self.assertNotIn('could not be imported', message)
        self.assertFalse(self.env['nmbrs.sync.request'].search([]))

    def test_a_failed_run_is_one_failed_row_per_relation(self):
        self.company.nmbrs_tenant_key = 'verkeerd'

        self.run_cron()

        for relation in self.relations:
            logs = self.env['nmbrs.sync.log'].search([('partner_id', '=', relation.id)])
            self.assertEqual(logs.mapped('state'), ['failed'], "no Done rows beside the failed one")
            self.assertIn('Nmbrs refused the login', logs.error)

    def test_sync_relations_now_starts_the_cron_and_reports_in_the_inbox(self):
        notification = self.settings().action_nmbrs_sync_relations()

        self.assertEqual(notification['params']['type'], 'success')
        self.assertIn('started in the background', notification['params']['message'])
        self.assertFalse(self.sandbox.calls.of('PersonalInfo_GetCurrent'), "no relation is synced in the request")
        self.assertTrue(self.triggered('nmbrs_connector.ir_cron_nmbrs_sync_relations'))

        self.run_relation_cron()

        linked = self.env['res.partner'].search([('nmbrs_company_id', '!=', False)])
        self.assertEqual(len(linked), len(self.sandbox.dataset.companies))
        message = self.inbox()
        self.assertEqual(len(message), 1)
        self.assertIn('%d relations in step with Nmbrs' % len(linked), message.body)

    def test_sync_now_on_several_relations_runs_in_the_background(self):
        self.company.nmbrs_responsible_user_id = self.accountant
        notification = self.relations.with_user(self.accountant).action_nmbrs_sync_now()

        self.assertIn('started in the background', notification['params']['message'])
        self.assertFalse(self.sandbox.calls.of(DOWNLOAD))

        with freeze_time(MORNING):
            self.run_relation_cron()

        self.assert_everything_imported_once()
        message = self.inbox()
        self.assertEqual(len(message), 1)
        self.assertIn('2 relations in step with Nmbrs', message.body)
        self.assertIn('new payroll documents for 2 relations', message.body)

    def test_failed_sync_now_reloads_the_relation_to_show_the_failure(self):
        self.company.nmbrs_tenant_key = 'verkeerd'
        notification = self.sync_now(self.relations[0], user=self.accountant)
        self.assertEqual(notification['params']['type'], 'danger')
        self.assertEqual(notification['params']['next'], {'type': 'ir.actions.client', 'tag': 'soft_reload'})
        self.assertEqual(self.relations[0].nmbrs_sync_state, 'error')

    def test_company_wide_sync_closes_the_relation_todo(self):
        relation = self.relations[0]
        self.sandbox.faults.inject('soap_fault', 'Address_GetCurrent', times=1, code=2004)
        self.sync_now(relation)
        todo = relation.activity_ids.filtered(lambda activity: activity.nmbrs_failure == 'relation_sync')
        self.assertEqual(len(todo), 1)

        self.run_relation_cron()

        self.assertFalse(todo.exists() and todo.active, "the company-wide sync closed it")
        self.assertEqual(relation.nmbrs_sync_state, 'ok')

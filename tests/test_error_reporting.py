from urllib.parse import urlsplit

from odoo.tests import tagged

from ..nmbrs.sandbox import faults
from .document_import_case import DocumentImportCase

LOGGER = 'odoo.addons.nmbrs_connector.models.res_company_errors'


@tagged('post_install', '-at_install')
class TestErrorsAPersonCanActOn(DocumentImportCase):
    """What the log, the sync log and the To-Do say when Nmbrs fails (issue 16, points 11 and 12)."""

    requested_hosts = []

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        cls.requested_hosts.append(urlsplit(request.url).hostname)
        return super()._request_handler(session, request, **kwargs)

    def setUp(self):
        super().setUp()
        self.requested_hosts.clear()

    def failed_log(self, relation):
        return self.env['nmbrs.sync.log'].search([('partner_id', '=', relation.id), ('state', '=', 'failed')])

    def test_nmbrs_error_is_logged_with_its_call_and_detail_and_kept_on_the_log_line(self):
        token = self.sandbox.credentials.token
        self.sandbox.faults.inject(faults.SOAP_FAULT, 'Run_GetList', times=1, code=4321,
                                   message='Run is being recalculated')
        with self.assertLogs(LOGGER, 'WARNING') as logged:
            self.run_cron()

        output = '\n'.join(logged.output)
        self.assertIn('CompanyService.Run_GetList', output)
        self.assertIn('Run is being recalculated', output)
        self.assertNotIn(token, output)
        log = self.failed_log(self.relations[0])
        self.assertEqual(log.error_operation, 'CompanyService.Run_GetList')
        self.assertIn('4321: Run is being recalculated', log.error_detail)
        # A fault this addon does not know keeps Nmbrs's own words.
        self.assertIn('Run is being recalculated', log.error)
        self.assertIn('Run is being recalculated', self.import_todos(self.relations[0]).note)
        for text in (log.error, log.error_detail, self.import_todos(self.relations[0]).note):
            self.assertNotIn(token, text)

    def test_http_404_says_the_address_is_wrong(self):
        self.company.nmbrs_api_url = self.sandbox.url.replace('/soap/v3/', '/soap/v2/')
        self.run_cron()
        log = self.failed_log(self.relations[0])
        self.assertIn('address is wrong', log.error)
        self.assertNotIn('next run tries again', log.error)

    def test_other_address_without_an_address_refuses_to_connect(self):
        self.company.nmbrs_api_url = False
        ok, message = self.company._nmbrs_test_connection()
        self.assertFalse(ok)
        self.assertIn("No Nmbrs address is filled in for 'Other address'", message)

        self.run_cron()

        self.assertEqual(self.requested_hosts, [], "nothing is sent anywhere, least of all to production")
        self.assertIn("No Nmbrs address", self.failed_log(self.relations[0]).error)
        todo = self.company.partner_id.activity_ids.filtered(lambda activity: activity.nmbrs_failure == 'connection')
        self.assertEqual(len(todo), 1)

    def test_todos_are_found_again_whatever_the_responsible_users_language(self):
        admin = self.env.ref('base.user_admin')
        admin.lang = 'en_US'
        broken = self.env['res.partner'].create(
            {'name': 'Verdwenen B.V.', 'is_company': True, 'nmbrs_company_id': 99999})
        self.run_cron()
        admin.lang = 'nl_NL'
        self.company.partner_id.lang = 'nl_NL'
        self.run_cron(at='2026-03-16 11:00:00')

        todos = broken.activity_ids.filtered(lambda activity: activity.nmbrs_failure == 'document_import')
        self.assertEqual(len(todos), 1, "the second failure found the first To-Do")

        broken.nmbrs_company_id = list(self.sandbox.dataset.companies)[2]
        self.run_cron(at='2026-03-16 12:00:00')
        self.assertFalse(broken.activity_ids.filtered('active'), "and the success resolves it")


@tagged('post_install', '-at_install')
class TestOutgoingLoginRefused(DocumentImportCase):

    def test_outgoing_sync_with_a_refused_login_gives_one_todo_for_the_company(self):
        self.company.write({'nmbrs_sync_direction': 'outgoing'})
        self.company.sudo().nmbrs_token = 'verkeerd'

        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_sync_relations').method_direct_trigger()
        self.env.invalidate_all()

        self.assertFalse(self.relations.activity_ids, "no To-Do per relation")
        todos = self.company.partner_id.activity_ids
        self.assertEqual(len(todos), 1)
        self.assertIn('Nmbrs refused the login', todos.note)
        self.assertEqual(len(self.sandbox.calls), 1, "one call told the login is refused")

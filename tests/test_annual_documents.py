from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..nmbrs.sandbox import documents
from .common import NmbrsSandboxCase
from .document_import_case import freeze_time

PAYROLL_REGISTER_RIGHT = 'CompanyService.SalaryDocuments_AnnualDocument_PayrollRegister'
DOWNLOAD_OPERATIONS = ('SalaryDocuments_AnnualDocument_', 'SalaryDocuments_GetAnnualStatementPDF')


@tagged('post_install', '-at_install')
class TestAnnualDocuments(NmbrsSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.sandbox.dataset
        cls.year = cls.dataset.now().year - 1
        cls.manager = new_test_user(
            cls.env, 'nmbrs_annual_manager', groups='base.group_user,nmbrs_connector.group_nmbrs_manager',
            company_id=cls.company.id)
        cls.nmbrs_companies = list(cls.dataset.companies.values())
        cls.relations = cls.env['res.partner'].create([
            {'name': company.name, 'is_company': True, 'nmbrs_company_id': company.id}
            for company in cls.nmbrs_companies])
        cls.Kind = cls.env['nmbrs.annual.document.kind']
        cls.payroll_register = cls.Kind.search([('code', '=', 'PayrollRegister')])
        cls.summary = cls.Kind.search([('code', '=', 'PayrollRegisterSummaryCumulative')])
        cls.statements = cls.Kind.search([('code', '=', 'EmployeeAnnualStatement')])

    def fetch(self, relations, year=None, kinds=None):
        """Run the wizard as an Nmbrs administrator on relations selected in the partner list."""
        wizard = self.env['nmbrs.annual.documents.wizard'].with_user(self.manager).with_context(
            active_model='res.partner', active_ids=relations.ids).create({'year': year or self.year})
        if kinds is not None:
            wizard.kind_ids = kinds
        return wizard, wizard.action_fetch()

    def annual_documents(self, relations):
        return self.env['nmbrs.document'].search(
            [('document_type', '=', 'annual'), ('partner_id', 'in', relations.ids)])

    def download_calls(self):
        return [call for call in self.sandbox.calls
                if call.operation and call.operation.startswith(DOWNLOAD_OPERATIONS)]

    def nmbrs_company(self, relation):
        return self.dataset.companies[relation.nmbrs_company_id]

    def test_locked_year_is_fetched_for_each_relation(self):
        relations = self.relations[:2]
        wizard, action = self.fetch(relations, kinds=self.payroll_register | self.statements)

        self.assertEqual(action['res_model'], 'nmbrs.annual.documents.wizard', "the wizard shows its result")
        self.assertEqual(wizard.state, 'result')
        self.assertEqual(wizard.line_ids.mapped('state'), ['done', 'done'])
        for relation in relations:
            company = self.nmbrs_company(relation)
            employees = self.dataset.company_employees(company.id)
            docs = self.annual_documents(relation)
            register = docs.filtered(lambda doc: doc.annual_kind == 'PayrollRegister')
            self.assertEqual(register.name, 'Payroll register %d %s.pdf' % (self.year, relation.name.rstrip('.')))
            self.assertEqual(register.attachment_id.raw, documents.annual_document_pdf(
                self.dataset, company, self.year, 'PayrollRegister'))
            self.assertEqual((register.attachment_id.res_model, register.attachment_id.res_id),
                             ('nmbrs.document', register.id), "the file belongs to the document, not the relation")
            statements = docs - register
            self.assertEqual(len(statements), len(employees))
            for employee in employees:
                statement = statements.filtered(
                    lambda doc: doc.employee_partner_id.nmbrs_employee_id == employee.id)
                self.assertEqual(statement.employee_partner_id.parent_id, relation)
                self.assertEqual(statement.attachment_id.raw,
                                 documents.annual_statement_pdf(self.dataset, employee, self.year))
            line = wizard.line_ids.filtered(lambda line: line.partner_id == relation)
            self.assertEqual(line.fetched_count, 1 + len(employees))
        self.assertFalse(self.env['ir.attachment'].search_count(
            [('res_model', '=', 'res.partner'), ('res_id', 'in', relations.ids)]))

    def test_year_not_locked_is_skipped_and_reported(self):
        open_relation, closed_relation = self.relations[:2]
        last_run = max(self.dataset.company_runs(self.nmbrs_company(open_relation).id, self.year),
                       key=lambda run: run.period_end)
        self.dataset.lock_run(last_run.id, False)
        self.addCleanup(self.dataset.lock_run, last_run.id, True)

        wizard, _action = self.fetch(open_relation | closed_relation, kinds=self.summary)

        results = {line.partner_id: line for line in wizard.line_ids}
        self.assertEqual(results[open_relation].state, 'not_locked')
        self.assertIn(str(self.year), results[open_relation].message)
        self.assertFalse(self.annual_documents(open_relation))
        self.assertEqual(results[closed_relation].state, 'done')
        self.assertEqual(len(self.annual_documents(closed_relation)), 1)

    def test_current_year_has_no_annual_documents_yet(self):
        wizard, _action = self.fetch(self.relations[:3], year=self.year + 1)
        self.assertEqual(set(wizard.line_ids.mapped('state')), {'not_locked'})
        self.assertFalse(self.download_calls())

    def test_missing_right_is_named_while_other_documents_still_arrive(self):
        rights = self.dataset.users[self.sandbox.credentials.username].rights
        rights.discard(PAYROLL_REGISTER_RIGHT)
        self.addCleanup(rights.add, PAYROLL_REGISTER_RIGHT)
        relations = self.relations[:2]

        wizard, _action = self.fetch(relations, kinds=self.payroll_register | self.summary)

        for line in wizard.line_ids:
            self.assertEqual(line.state, 'missing_right')
            self.assertIn(PAYROLL_REGISTER_RIGHT, line.message)
            self.assertIn('User templates', line.message)
            self.assertEqual(line.fetched_count, 1)
        self.assertEqual(self.annual_documents(relations).mapped('annual_kind'),
                         ['PayrollRegisterSummaryCumulative'] * 2)

    def test_nmbrs_error_is_explained_and_the_next_relation_still_fetched(self):
        self.sandbox.faults.inject('soap_fault', 'Run_GetList', times=1, code=9999)
        failing, fine = self.relations[:2]

        wizard, _action = self.fetch(failing | fine, kinds=self.summary)

        results = {line.partner_id: line for line in wizard.line_ids}
        self.assertEqual(results[failing].state, 'failed')
        self.assertIn('Nmbrs reported an error it does not explain', results[failing].message)
        self.assertEqual(results[fine].state, 'done')
        self.assertEqual(len(self.annual_documents(fine)), 1)

    def test_second_run_imports_nothing_and_downloads_nothing(self):
        relations = self.relations[:2]
        first, _action = self.fetch(relations)
        fetched = sum(first.line_ids.mapped('fetched_count'))
        self.assertGreater(fetched, 2)
        self.sandbox.calls.clear()

        second, _action = self.fetch(relations)

        self.assertEqual(second.line_ids.mapped('fetched_count'), [0, 0])
        self.assertEqual(sum(second.line_ids.mapped('existing_count')), fetched)
        self.assertEqual(len(self.annual_documents(relations)), fetched)
        self.assertFalse(self.download_calls())

    def test_large_selection_runs_in_the_background_and_reports_to_the_requester(self):
        unlinked = self.env['res.partner'].create({'name': 'Bakkerij Zonder Nmbrs', 'is_company': True})
        relations = self.relations | unlinked

        wizard, action = self.fetch(relations, kinds=self.summary)

        self.assertEqual(action['tag'], 'display_notification')
        request = self.env['nmbrs.annual.request'].search([('user_id', '=', self.manager.id)])
        self.assertEqual((request.state, request.processed_count, request.line_count), ('queued', 0, 6))
        self.assertFalse(self.download_calls(), "nothing is fetched while the user waits")

        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_annual_documents').method_direct_trigger()

        request.invalidate_recordset()
        self.assertEqual((request.state, request.processed_count, request.progress), ('done', 6, 100.0))
        results = {line.partner_id: line.state for line in request.line_ids}
        self.assertEqual(results.pop(unlinked), 'not_linked')
        self.assertEqual(set(results.values()), {'done'})
        self.assertEqual(len(self.annual_documents(self.relations)), 5)
        message = request.message_ids.filtered(lambda message: self.manager.partner_id in message.partner_ids)
        self.assertEqual(len(message), 1, "the requester gets one message with the summary")
        self.assertIn('Bakkerij Zonder Nmbrs', message.body)
        self.assertIn('5 documents fetched for 6 relations', message.body)
        self.assertEqual(request.name, 'Annual documents %d, 6 relations' % self.year)

    def test_one_relation_and_one_document_are_counted_in_the_singular(self):
        wizard, _action = self.fetch(self.relations[:1], kinds=self.payroll_register)
        self.assertEqual(wizard.summary, "Fetched from Nmbrs: 1 document. Already in Odoo: 0.")
        self.assertEqual(wizard.request_id.name, 'Annual documents %d, 1 relation' % self.year)
        wizard, _action = self.fetch(self.relations[:1], kinds=self.payroll_register)
        self.assertEqual(wizard.summary, "Fetched from Nmbrs: no documents. Already in Odoo: 1.")

    def test_menu_opens_the_list_of_requests_whose_button_opens_the_wizard(self):
        menu_action = self.env.ref('nmbrs_connector.menu_nmbrs_annual_documents').action
        self.assertEqual(menu_action, self.env.ref('nmbrs_connector.action_nmbrs_annual_requests'))
        arch = self.env['nmbrs.annual.request'].get_view(view_type='list')['arch']
        action = self.env.ref('nmbrs_connector.action_nmbrs_annual_documents_all')
        buttons = etree.fromstring(arch).xpath("//header/button[@type='action']/@name")
        self.assertEqual(buttons, [str(action.id)])
        wizard = self.env['nmbrs.annual.documents.wizard'].with_user(self.manager).with_context(
            safe_eval(action.context)).create({})
        self.assertTrue(wizard.all_relations)
        self.assertEqual(wizard.relation_count, len(self.relations))
        self.assertEqual(wizard.year, self.year)
        self.assertIn(self.statements, wizard.kind_ids, "employees' annual statements are selected by default")

    def test_partner_form_button_opens_the_wizard_on_the_relation(self):
        action = self.relations[0].with_user(self.manager).action_nmbrs_annual_documents()
        self.assertEqual(action['res_model'], 'nmbrs.annual.documents.wizard')
        wizard = self.env['nmbrs.annual.documents.wizard'].with_user(self.manager).with_context(
            action['context']).create({})
        self.assertEqual(wizard.partner_ids, self.relations[0])


@tagged('post_install', '-at_install')
class TestAnnualDocumentsAfterSoap(NmbrsSandboxCase):
    """From 1 March 2027 Nmbrs offers no company annual documents through its API: the wizard says so plainly."""

    def test_after_soap_only_the_employees_annual_statements_are_offered(self):
        Kind = self.env['nmbrs.annual.document.kind']
        relation = self.env['res.partner'].create({'name': 'Bouwbedrijf', 'is_company': True,
                                                   'nmbrs_company_id': next(iter(self.sandbox.dataset.companies))})
        Wizard = self.env['nmbrs.annual.documents.wizard'].with_context(
            active_model='res.partner', active_ids=relation.ids)
        with freeze_time('2027-02-28 12:00:00'):
            before = Wizard.create({'year': 2026})
            self.assertFalse(before.soap_ended)
            self.assertTrue(before.kind_ids.filtered(lambda kind: not kind.per_employee))
        with freeze_time('2027-03-01 12:00:00'):
            after = Wizard.create({'year': 2026})
            self.assertTrue(after.soap_ended)
            self.assertTrue(after.kind_ids)
            self.assertTrue(all(after.kind_ids.mapped('per_employee')))
            after.kind_ids = Kind.search([('per_employee', '=', False)], limit=1)
            with self.assertRaisesRegex(UserError, 'no longer offers the company annual documents'):
                after.action_fetch()

"""The employees' annual statements over Nmbrs REST: a REST-only company fetches them, a relation that moves
from SOAP to REST stores none twice, the company annual documents stay on SOAP; the upgrade of the old keys."""

from odoo.tests import TransactionCase, tagged

from ..nmbrs.sandbox import documents
from ..nmbrs.sandbox.guids import guid
from .common import run_migration
from .test_rest_only_sync import RestOnlyCase


class AnnualCase(RestOnlyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = cls.sandbox.dataset.now().year - 1
        Kind = cls.env['nmbrs.annual.document.kind']
        cls.statements = Kind.search([('code', '=', 'EmployeeAnnualStatement')])
        cls.payroll_register = Kind.search([('code', '=', 'PayrollRegister')])
        cls.nmbrs_company = cls.nmbrs_companies[0]
        cls.employees = cls.sandbox.dataset.company_employees(cls.nmbrs_company.id)

    def fetch(self, relation, kinds):
        wizard = self.env['nmbrs.annual.documents.wizard'].with_context(
            active_model='res.partner', active_ids=relation.ids).create({'year': self.year})
        wizard.kind_ids = kinds
        wizard.action_fetch()
        return wizard.line_ids

    def statements_of(self, relation):
        return self.env['nmbrs.document'].search([('partner_id', '=', relation.id), ('document_type', '=', 'annual'),
                                                  ('annual_kind', '=', 'EmployeeAnnualStatement')])


@tagged('post_install', '-at_install')
class TestRestOnlyAnnual(AnnualCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])
        cls.relation = cls.env['res.partner'].create({'name': cls.nmbrs_company.name, 'is_company': True})
        cls.relation.write({'nmbrs_company_guid': guid('company', cls.nmbrs_company.id),
                            'nmbrs_company_number': cls.nmbrs_company.number,
                            'nmbrs_debtor_number': cls.debtor.number})

    def test_the_statements_are_fetched_over_rest_and_stored_once(self):
        line = self.fetch(self.relation, self.statements)
        self.assertEqual((line.state, line.fetched_count, line.existing_count), ('done', len(self.employees), 0))
        self.assertEqual(self.soap_calls(), [])
        statements = self.statements_of(self.relation)
        for employee in self.employees:
            statement = statements.filtered(
                lambda doc: doc.employee_partner_id.nmbrs_employee_guid == guid('employee', employee.id))
            self.assertEqual(statement.nmbrs_key, 'annual/relation-%d/%d/EmployeeAnnualStatement/%d' % (
                self.relation.id, self.year, employee.number))
            self.assertEqual(statement.employee_partner_id.parent_id, self.relation)
            self.assertEqual(statement.attachment_id.raw,
                             documents.annual_statement_pdf(self.sandbox.dataset, employee, self.year))
        line = self.fetch(self.relation, self.statements)
        self.assertEqual((line.fetched_count, line.existing_count), (0, len(self.employees)))

    def test_company_documents_are_not_asked_over_rest_and_the_remarks_say_so(self):
        line = self.fetch(self.relation, self.statements | self.payroll_register)
        self.assertEqual((line.state, line.fetched_count), ('done', len(self.employees)))
        self.assertIn('company annual documents only over SOAP', line.message)
        self.assertEqual(self.soap_calls(), [])


@tagged('post_install', '-at_install')
class TestAnnualAcrossTheSwitch(AnnualCase):
    """A relation whose statements came over SOAP moves to REST: the same statements are already there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        cls.relation = cls.env['res.partner'].create({'name': cls.nmbrs_company.name, 'is_company': True})
        cls.relation.write({'nmbrs_company_id': cls.nmbrs_company.id, 'nmbrs_company_number': cls.nmbrs_company.number,
                            'nmbrs_debtor_id': cls.debtor.id, 'nmbrs_debtor_number': cls.debtor.number})

    def test_nothing_twice_and_the_company_documents_still_over_soap(self):
        line = self.fetch(self.relation, self.statements)
        self.assertEqual(line.fetched_count, len(self.employees))
        self.assertFalse([call for call in self.sandbox.calls if call.service == 'rest'])
        self.give_rest_consent(self.company, self.sandbox, [self.debtor])
        self.assertEqual(self.relation.nmbrs_company_guid, guid('company', self.nmbrs_company.id))
        self.sandbox.calls.clear()
        line = self.fetch(self.relation, self.statements | self.payroll_register)
        self.assertEqual((line.state, line.fetched_count, line.existing_count),
                         ('done', 1, len(self.employees)), line.message)
        self.assertEqual(len(self.statements_of(self.relation)), len(self.employees))
        # The statements were asked over REST, the payroll register over SOAP.
        self.assertTrue(any(call.operation == 'getEmployeesByCompany' for call in self.rest_calls()))
        self.assertEqual([call.operation for call in self.soap_calls()
                          if call.operation.startswith('SalaryDocuments_')], ['SalaryDocuments_AnnualDocument_PayrollRegister'])


@tagged('post_install', '-at_install')
class TestAnnualKeyMigration(TransactionCase):

    def migrate(self):
        run_migration(self.env, '19.0.1.2.0/post-20-annual-keys.py', '19.0.1.1.0', 'nmbrs_annual_key_migration')

    def test_old_statement_keys_become_protocol_neutral(self):
        relation = self.env['res.partner'].create({'name': 'Bakkerij Jansen B.V.', 'is_company': True})
        employee, nameless = self.env['res.partner'].create([
            {'name': 'Jan de Vries', 'parent_id': relation.id}, {'name': 'Piet Zonder Nummer', 'parent_id': relation.id}])
        employee.write({'nmbrs_employee_id': 63001, 'nmbrs_employee_number': 7})
        nameless.write({'nmbrs_employee_id': 63002})
        Document = self.env['nmbrs.document'].sudo()
        values = {'document_type': 'annual', 'annual_kind': 'EmployeeAnnualStatement', 'partner_id': relation.id,
                  'year': 2025}
        statement, kept = Document.create([
            {**values, 'name': 'a.pdf', 'employee_partner_id': employee.id,
             'nmbrs_key': 'annual/52001/2025/EmployeeAnnualStatement/63001'},
            {**values, 'name': 'b.pdf', 'employee_partner_id': nameless.id,
             'nmbrs_key': 'annual/52001/2025/EmployeeAnnualStatement/63002'}])
        register = Document.create({**values, 'annual_kind': 'PayrollRegister', 'name': 'c.pdf',
                                    'nmbrs_key': 'annual/52001/2025/PayrollRegister'})
        with self.assertLogs('nmbrs_annual_key_migration', level='WARNING'):
            self.migrate()
        self.assertEqual(statement.nmbrs_key, 'annual/relation-%d/2025/EmployeeAnnualStatement/7' % relation.id)
        self.assertEqual(kept.nmbrs_key, 'annual/52001/2025/EmployeeAnnualStatement/63002')
        self.assertEqual(register.nmbrs_key, 'annual/52001/2025/PayrollRegister')

"""A company on Nmbrs REST only imports its relations' payroll documents and WKR figures over REST.

Real HTTP to the sandbox; the relations come from the relation sync over REST, so they have REST ids only.
"""
from odoo.tests import tagged

from .test_rest_only_sync import RestOnlyCase


@tagged('post_install', '-at_install')
class TestRestOnlyImport(RestOnlyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consent = cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])
        cls.company._nmbrs_sync_relations()
        cls.relations = cls.company._nmbrs_linked_relations()

    def import_documents(self):
        """Import every relation as a worker would, in a cursor of its own that may commit."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            outcomes = self.company.with_env(self.env(cr=cr))._nmbrs_import_documents()
            return [bool(outcome and outcome.error) for outcome in outcomes]

    def test_documents_arrive_over_rest_once(self):
        self.assertEqual(len(self.relations), len(self.nmbrs_companies))
        self.assertFalse(any(self.relations.mapped('nmbrs_company_id')), "REST ids only")

        failed = self.import_documents()

        self.assertEqual(self.soap_calls(), [])
        self.assertFalse(any(failed))
        documents = self.env['nmbrs.document'].search([('partner_id', 'in', self.relations.ids)])
        self.assertEqual(set(documents.mapped('document_type')), {'wage_tax', 'payslip', 'sepa', 'journal'})
        for relation in self.relations:
            self.assertEqual(relation.nmbrs_document_count,
                             len(documents.filtered(lambda document: document.partner_id == relation)))
        self.assertTrue(documents.filtered('employee_partner_id').employee_partner_id.mapped('nmbrs_employee_guid'))

        self.sandbox.calls.clear()
        self.import_documents()
        self.assertEqual(self.env['nmbrs.document'].search([('partner_id', 'in', self.relations.ids)]), documents)
        self.assertFalse([call for call in self.rest_calls() if call.operation == 'getEmployeePayslipPerPeriod'])

    def test_wkr_figures_arrive_for_relations_with_rest_ids_only(self):
        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_work_costs').method_direct_trigger()
        companies = {company.number: company for company in self.nmbrs_companies}
        with_runs = self.relations.filtered(lambda relation: self.sandbox.dataset.company_runs(
            companies[relation.nmbrs_company_number].id))
        self.assertTrue(with_runs)
        for relation in with_runs:
            self.assertTrue(relation.nmbrs_work_cost_ids, relation.name)
            self.assertFalse(relation.nmbrs_wkr_needs_consent)

"""The document import over each relation's route: REST for a debtor a consent covers, SOAP for the others.

Real HTTP to the sandbox, which answers both protocols from one office; the
switch is made as an office makes it: SOAP first, then a consent in the middle
of the year, after which nothing SOAP imported is fetched or stored again.
"""

from odoo.tests import tagged

from ..nmbrs.sandbox.guids import guid
from .common import run_migration
from .document_import_case import (
    AN_HOUR_LATER, DocumentImportCase, declaration_key, owner, run_document_key)


@tagged('post_install', '-at_install')
class TestImportOverRest(DocumentImportCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        for relation, nmbrs_company in zip(cls.relations, cls.nmbrs_companies):
            debtor = dataset.debtors[nmbrs_company.debtor_id]
            relation.write({'nmbrs_debtor_id': debtor.id, 'nmbrs_debtor_number': debtor.number})
        cls.debtor = dataset.debtors[cls.nmbrs_companies[0].debtor_id]

    def switch_to_rest(self, debtor=None):
        """Consent for the debtor, given as the callback leaves it: its relations are paired and go over REST."""
        return self.give_rest_consent(self.company, self.sandbox, [debtor or self.debtor])

    def add_run(self, nmbrs_company, year, period):
        """A new locked run in the sandbox, for this test only."""
        dataset = self.sandbox.dataset
        run = dataset.add_run(nmbrs_company.id, year, period)
        self.addCleanup(dataset.remove_run, run.id)
        return run

    def lock_run(self, run):
        self.addCleanup(self.sandbox.dataset.lock_run, run.id, run.is_locked)
        self.sandbox.dataset.lock_run(run.id)

    def calls(self, protocol):
        return [call for call in self.sandbox.calls if (call.service == 'rest') == (protocol == 'rest')]

    def test_mid_year_switch_imports_every_document_once(self):
        dataset = self.sandbox.dataset
        self.run_cron()  # over SOAP: January 2025 to February 2026
        self.assert_everything_imported_once()
        soap_imported = {company.id: self.imported_documents(company.id) for company in self.nmbrs_companies}

        consent = self.switch_to_rest()
        for relation in self.relations:
            link = relation.nmbrs_link_ids
            self.assertEqual(link._nmbrs_route(), consent, "the relation goes over REST now")
            self.assertTrue(link.nmbrs_company_guid)
        # March is locked, and corrected by a second run of the same period.
        nmbrs_company = self.nmbrs_companies[0]
        march = self.run_of(nmbrs_company, 2026, 3)
        correction = self.add_run(nmbrs_company, 2026, 3)
        for company in self.nmbrs_companies:
            self.lock_run(self.run_of(company, 2026, 3))
        self.sandbox.calls.clear()

        self.run_cron(at=AN_HOUR_LATER)

        self.assertEqual(self.calls('soap'), [], "no relation asked SOAP any more")
        self.assertTrue(self.calls('rest'))
        for company in self.nmbrs_companies:
            imported = self.imported_documents(company.id)
            expected = self.expected_documents(company.id)
            if company == nmbrs_company:
                # REST has one payslip per employee per period: after the correction, filed under the correction.
                expected = {key: content for key, content in expected.items()
                            if not key.startswith(run_document_key('payslip', owner(self.env, company), march) + '/')}
            self.assertEqual(sorted(imported), sorted(expected))
            for key, content in soap_imported[company.id].items():
                self.assertEqual(imported[key], content, "what SOAP imported is kept as it was")
        documents = self.env['nmbrs.document'].search([('partner_id', '=', self.relations[0].id),
                                                       ('document_type', '=', 'payslip'), ('year', '=', 2026),
                                                       ('period', '=', 3)])
        self.assertEqual(len(documents), len(correction.pay), "one payslip per employee for March")
        self.assertEqual(set(documents.mapped('nmbrs_run_number')), {correction.number})
        # Every run is known once, with both its ids where both protocols saw it.
        runs = self.env['nmbrs.run'].search([('partner_id', '=', self.relations[0].id)])
        self.assertEqual(len(runs), len({(run.year, run.number) for run in runs}))
        february = runs.filtered(lambda run: (run.year, run.period) == (2026, 2))
        self.assertEqual(february.nmbrs_run_guid, guid('run', self.run_of(nmbrs_company, 2026, 2).id))
        self.assertTrue(february.nmbrs_run_id)
        self.assertEqual(documents.run_id, runs.filtered(lambda run: (run.year, run.number) == (2026, correction.number)))

        # The next import over REST fetches no file at all.
        self.sandbox.calls.clear()
        self.run_cron(at='2026-03-16 11:00:00')
        self.assertFalse([call for call in self.calls('rest') if call.operation == 'getEmployeePayslipPerPeriod'])

    def test_rest_and_soap_debtors_in_one_cron_run(self):
        dataset = self.sandbox.dataset
        other = next(company for company in dataset.companies.values() if company.debtor_id != self.debtor.id)
        other_debtor = dataset.debtors[other.debtor_id]
        soap_relation = self.env['res.partner'].create({'name': other.name, 'is_company': True})
        soap_relation.write({'nmbrs_company_id': other.id, 'nmbrs_company_number': other.number,
                             'nmbrs_debtor_id': other_debtor.id, 'nmbrs_debtor_number': other_debtor.number})
        self.switch_to_rest()

        self.run_cron()

        self.assert_everything_imported_once()
        self.assertEqual(sorted(self.imported_documents(other.id)), sorted(self.expected_documents(other.id)))
        soap_companies = {call.parameters.get('CompanyId') for call in self.calls('soap')} - {None}
        self.assertEqual(soap_companies, {str(other.id)}, "only the debtor without consent goes over SOAP")
        rest_companies = {call.parameters.get('companyId') for call in self.calls('rest')} - {None}
        self.assertEqual(rest_companies, {guid('company', company.id) for company in self.nmbrs_companies})

    def test_a_lapsed_consent_stops_only_its_own_relations(self):
        dataset = self.sandbox.dataset
        other = next(company for company in dataset.companies.values() if company.debtor_id != self.debtor.id)
        soap_relation = self.env['res.partner'].create({'name': other.name, 'is_company': True})
        soap_relation.write({'nmbrs_company_id': other.id, 'nmbrs_company_number': other.number})
        consent = self.switch_to_rest()
        self.assertTrue(consent)
        self.sandbox.identity.revoke_all()  # withdrawn in Nmbrs

        self.run_cron()

        self.assertEqual(sorted(self.imported_documents(other.id)), sorted(self.expected_documents(other.id)))
        for relation in self.relations:
            self.assertFalse(self.env['nmbrs.document'].search_count([('partner_id', '=', relation.id)]))
            log = self.env['nmbrs.sync.log'].search([('partner_id', '=', relation.id)], limit=1)
            self.assertEqual(log.state, 'failed')
            self.assertEqual(len(self.import_todos(relation)), 1, "the relation says its consent stopped it")
        self.assertFalse(self.company.partner_id.activity_ids, "the SOAP connection works: no To-Do about it")

    def test_declarations_stored_under_their_soap_id_are_not_imported_again(self):
        self.run_cron()
        declarations = self.env['nmbrs.document'].search([('document_type', '=', 'wage_tax')])
        self.assertTrue(declarations)
        new_keys = dict(zip(declarations.ids, declarations.mapped('nmbrs_key')))
        dataset = self.sandbox.dataset
        for document in declarations:
            declaration = next(declaration for declaration in dataset.company_declarations(document.nmbrs_company_id)
                               if declaration_key(owner(self.env, dataset.companies[document.nmbrs_company_id]),
                                                  declaration) == document.nmbrs_key)
            document.nmbrs_key = 'wage_tax/%d/%d' % (document.nmbrs_company_id, declaration.id)
        # The first relation moves to REST (no SOAP id there), the second stays on SOAP.
        consent = self.switch_to_rest()
        self.relations[1].nmbrs_link_ids.nmbrs_company_guid = False
        self.assertFalse(self.relations[1].nmbrs_link_ids._nmbrs_route())
        self.assertTrue(consent)

        self.run_cron(at=AN_HOUR_LATER)

        self.assertEqual(self.env['nmbrs.document'].search([('document_type', '=', 'wage_tax')]), declarations,
                         "no declaration stored twice")
        self.assertEqual(dict(zip(declarations.ids, declarations.mapped('nmbrs_key'))), new_keys)

    def test_upgrade_gives_stored_run_documents_the_shared_keys(self):
        self.run_cron()
        documents = self.env['nmbrs.document'].search([('document_type', 'in', ('payslip', 'sepa', 'journal'))])
        new_keys = dict(zip(documents.ids, documents.mapped('nmbrs_key')))
        dataset = self.sandbox.dataset
        for document in documents:
            run = next(run for run in dataset.company_runs(document.nmbrs_company_id)
                       if (run.year, run.number) == (document.year, document.nmbrs_run_number))
            if document.document_type == 'payslip':
                employee = document.employee_partner_id.nmbrs_employee_id
                document.nmbrs_key = 'payslip/%d/%d/%d/%s' % (document.nmbrs_company_id, run.id, employee,
                                                             new_keys[document.id].rsplit('/', 1)[1])
            else:
                document.nmbrs_key = '%s/%d/%d' % (document.document_type, document.nmbrs_company_id, run.id)
        documents.run_id = False
        self.env.flush_all()

        run_migration(self.env, '19.0.1.2.0/post-migrate.py', '19.0.1.1.0', 'nmbrs_keys_migration')

        self.assertEqual(dict(zip(documents.ids, documents.mapped('nmbrs_key'))), new_keys)
        self.assertTrue(all(documents.mapped('run_id')))

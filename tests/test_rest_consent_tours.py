from odoo.tests import tagged

from .common import NmbrsTourCase
from .consent_page import ConsentPageMixin
from .document_import_case import DOWNLOADS


@tagged('post_install', '-at_install')
class TestRestConsentTour(ConsentPageMixin, NmbrsTourCase):
    """Add consent → Nmbrs's consent page (the sandbox's) → pick a debtor → back in Odoo, the consent active."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        cls.debtors = sorted(cls.sandbox.dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.env['res.partner'].create([
            {'name': debtor.name, 'is_company': True, 'nmbrs_debtor_id': debtor.id,
             'nmbrs_debtor_number': debtor.number} for debtor in cls.debtors])

    def test_add_consent_in_nmbrs_and_come_back_active(self):
        for index, lang in enumerate(self.for_each_language()):
            self.env['nmbrs.consent'].search([]).unlink()
            # A REST-only company is connected by its first consent: each language gives its own.
            self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_connected_uid': False,
                                'nmbrs_connected_date': False})
            debtor = self.debtors[index % len(self.debtors)]
            with self.approving_in_browser(debtor):
                self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_consent_tour', lang)
            consent = self.env['nmbrs.consent'].search([])
            self.assertEqual(consent.state, 'active')
            self.assertEqual(consent.user_id, self.tour_users[lang])
            self.assertEqual(consent.debtor_ids.number, debtor.number)


@tagged('post_install', '-at_install')
class TestRestImportTour(ConsentPageMixin, NmbrsTourCase):
    """Consent in Nmbrs → back in Odoo → a relation of that debtor imports its payroll documents over REST."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        cls.nmbrs_company = next(company for company in dataset.companies.values()
                                 if company.name == 'Jansen Installatietechniek B.V.')
        cls.debtor = dataset.debtors[cls.nmbrs_company.debtor_id]
        cls.relation = cls.env['res.partner'].create({'name': cls.nmbrs_company.name, 'is_company': True})
        cls.relation.write({
            'nmbrs_company_id': cls.nmbrs_company.id, 'nmbrs_company_number': cls.nmbrs_company.number,
            'nmbrs_debtor_id': cls.debtor.id, 'nmbrs_debtor_number': cls.debtor.number})

    def test_a_relation_of_the_consented_debtor_imports_over_rest(self):
        for lang in self.for_each_language():
            self.env['nmbrs.consent'].search([]).unlink()
            self.env['nmbrs.document'].search([]).unlink()
            self.env['nmbrs.run'].search([]).unlink()
            self.relation.nmbrs_link_ids.write({'nmbrs_company_guid': False, 'nmbrs_debtor_guid': False})
            # The previous language's import note names its author, 'Administrator': an English word.
            self.relation.message_ids.unlink()
            with self.approving_in_browser(self.debtor):
                self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_give_consent_tour', lang)
            self.start_nmbrs_tour('/odoo/contacts/%d' % self.relation.id, 'nmbrs_connector_rest_import_tour', lang)
            documents = self.env['nmbrs.document'].search([('partner_id', '=', self.relation.id)])
            self.assertTrue(documents.filtered(lambda document: document.document_type == 'payslip'))
            self.assertFalse([call for call in self.sandbox.calls if call.operation in DOWNLOADS],
                             "no document came over SOAP")
            self.assertTrue([call for call in self.sandbox.calls if call.operation == 'getEmployeePayslipPerPeriod'])

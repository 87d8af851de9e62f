from odoo.tests import tagged

from .common import NmbrsTourCase
from .consent_page import ConsentPageMixin


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
            debtor = self.debtors[index % len(self.debtors)]
            with self.approving_in_browser(debtor):
                self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_consent_tour', lang)
            consent = self.env['nmbrs.consent'].search([])
            self.assertEqual(consent.state, 'active')
            self.assertEqual(consent.user_id, self.tour_users[lang])
            self.assertEqual(consent.debtor_ids.number, debtor.number)

from odoo.tests import tagged

from .common import NmbrsTourCase
from .test_work_cost import give_consent


@tagged('post_install', '-at_install')
class TestRestPairingTour(NmbrsTourCase):
    """A relation the consent could not pair by number: Settings and the consent say so, the user picks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        cls.debtor = min(dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.chosen, other = sorted((company for company in dataset.companies.values()
                                    if company.debtor_id == cls.debtor.id), key=lambda company: company.id)[:2]
        # Someone in Nmbrs gave the second company the number of the first.
        cls.chosen.name, other.name = 'Jansen Bouw B.V.', 'Jansen Installatietechniek B.V.'
        dataset.renumber_company(other.id, cls.chosen.number)
        cls.relation = cls.env['res.partner'].create({'name': 'Jansen Bouw relatie', 'is_company': True})
        cls.relation.write({'nmbrs_company_id': cls.chosen.id, 'nmbrs_company_number': cls.chosen.number,
                            'nmbrs_debtor_id': cls.debtor.id, 'nmbrs_debtor_number': cls.debtor.number})
        cls.consent = give_consent(cls.company, cls.sandbox, [cls.debtor])

    def test_pick_the_nmbrs_company_of_a_relation(self):
        link = self.relation.nmbrs_link_ids
        for lang in self.for_each_language():
            link.nmbrs_company_guid = False
            ok, message = self.consent._nmbrs_read_debtors()
            self.assertTrue(ok, message)
            self.assertFalse(link._nmbrs_route())
            self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_pairing_settings_tour',
                                  lang)
            self.start_nmbrs_tour('/odoo/nmbrs-consents/%d' % self.consent.id, 'nmbrs_connector_rest_pairing_tour',
                                  lang)
            self.assertEqual(link._nmbrs_route(), self.consent)

from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestLinkTours(NmbrsTourCase):
    """Linking relations to Nmbrs in a real browser, one from its form and several from the list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        companies = {company.name: company for company in cls.sandbox.dataset.companies.values()}
        cls.transport = companies['Van Dijk Transport B.V.']
        cls.advies = companies['Jansen Advies B.V.']

    def _relation(self, name, **values):
        return self.env['res.partner'].create({'name': name, 'is_company': True, **values})

    def test_link_one_relation_from_its_form_then_a_duplicate(self):
        for lang in self.for_each_language():
            relation = self._relation(self.transport.name, company_registry=self.transport.kvk_nr)
            self.start_nmbrs_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_link_one_tour', lang)
            self.assertEqual(relation.nmbrs_company_id, self.transport.id)
            self.assertEqual(relation.nmbrs_debtor_id, self.transport.debtor_id)

            duplicate = self._relation('Van Dijk Transport', company_registry=self.transport.kvk_nr)
            self.start_nmbrs_tour('/odoo/contacts/%d' % duplicate.id, 'nmbrs_connector_link_taken_tour', lang)
            self.assertFalse(duplicate.nmbrs_linked)
            self.start_nmbrs_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_link_linked_tour', lang)
            self.assertEqual(relation.nmbrs_company_id, self.transport.id)
            (relation | duplicate).unlink()

    def test_link_several_relations_from_the_list(self):
        for lang in self.for_each_language():
            real = self._relation(self.transport.name, company_registry=self.transport.kvk_nr)
            duplicate = self._relation('Van Dijk Transport BV')
            linked_elsewhere = self._relation('Jansen Advies (old)', nmbrs_company_id=self.advies.id)
            advies = self._relation(self.advies.name, company_registry=self.advies.kvk_nr)
            nothing = self._relation('Bakkerij Zonder Nmbrs')
            relations = real | duplicate | linked_elsewhere | advies | nothing
            self.start_nmbrs_tour('/odoo/contacts?view_type=list', 'nmbrs_connector_link_many_tour', lang)
            self.assertEqual(real.nmbrs_company_id, self.transport.id)
            self.assertFalse((duplicate | advies | nothing).filtered('nmbrs_linked'))
            self.assertEqual(linked_elsewhere.nmbrs_company_id, self.advies.id)
            relations.unlink()

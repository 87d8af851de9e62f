from odoo.tests import tagged

from ..nmbrs.sandbox.guids import guid
from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestRestOnlyTours(NmbrsTourCase):
    """A company on Nmbrs REST only (the app and a consent, no SOAP login) in a real browser: the connection
    test and linking a relation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        cls.debtor = dataset.debtors[min(dataset.debtors)]
        cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])
        cls.bakkerij = next(company for company in dataset.companies.values()
                            if company.name == 'Jansen Bakkerij B.V.')

    def test_the_connection_test_tests_the_consent(self):
        self.assertEqual(self.company.nmbrs_state, 'connected')
        # Outgoing, with a relation on REST: the relation sync says what REST cannot change.
        self.company.nmbrs_sync_direction = 'outgoing'
        relation = self.env['res.partner'].create({'name': self.bakkerij.name, 'is_company': True})
        relation.with_context(nmbrs_no_push=True).write({
            'nmbrs_company_guid': guid('company', self.bakkerij.id), 'nmbrs_company_number': self.bakkerij.number,
            'nmbrs_debtor_number': self.debtor.number})
        for lang in self.for_each_language():
            self.company.write({'nmbrs_last_test_result': False, 'nmbrs_last_test_date': False})
            self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_settings_rest_only_test_tour',
                                  lang)
            self.assertEqual(self.company.nmbrs_last_test_result, 'ok')
            self.assertEqual([call for call in self.sandbox.calls if call.service != 'rest'], [])

    def test_link_a_relation_over_rest(self):
        for lang in self.for_each_language():
            relation = self.env['res.partner'].create({
                'name': self.bakkerij.name, 'is_company': True, 'ref': str(self.bakkerij.number)})
            self.start_nmbrs_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_link_rest_only_tour', lang)
            self.assertTrue(relation.nmbrs_company_guid)
            self.assertEqual((relation.nmbrs_company_id, relation.nmbrs_company_number), (0, self.bakkerij.number))
            self.assertEqual([call for call in self.sandbox.calls if call.service != 'rest'], [])
            relation.unlink()

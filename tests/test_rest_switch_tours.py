from odoo import Command
from odoo.tests import tagged

from .common import NmbrsTourCase
from .consent_page import ConsentPageMixin

UNKNOWN_DEBTOR = '9001'


@tagged('post_install', '-at_install')
class TestRestSwitchTour(ConsentPageMixin, NmbrsTourCase):
    """Settings says how many debtors are on REST; the debtors still on SOAP move one click each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        cls.debtors = sorted(cls.sandbox.dataset.debtors.values(), key=lambda debtor: debtor.id)[:2]
        cls.env['res.partner'].create([
            {'name': debtor.name, 'is_company': True, 'nmbrs_debtor_id': debtor.id,
             'nmbrs_debtor_number': debtor.number} for debtor in cls.debtors]
            + [{'name': 'Bakkerij Van Dam B.V.', 'is_company': True, 'nmbrs_debtor_id': 9001,
                'nmbrs_debtor_number': UNKNOWN_DEBTOR}])

    def test_see_debtors_on_rest_and_move_one(self):
        on_rest, to_move = self.debtors
        for lang in self.for_each_language():
            self.env['nmbrs.consent'].search([]).unlink()
            # A REST-only company is connected by its first consent: each language gives its own.
            self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_connected_uid': False,
                                'nmbrs_connected_date': False})
            self.env['nmbrs.consent'].create({
                'state': 'active', 'debtor_ids': [Command.create({
                    'nmbrs_debtor_guid': 'given-before', 'number': on_rest.number, 'name': on_rest.name})]})
            with self.approving_in_browser(to_move):
                self.start_nmbrs_tour('/odoo/settings#nmbrs_connector', 'nmbrs_connector_rest_switch_tour', lang)
            moved = self.env['nmbrs.consent'].search([('expected_debtor_number', '=', to_move.number)])
            self.assertEqual(moved.state, 'active')
            self.assertEqual(moved.debtor_ids.number, to_move.number)
            self.assertEqual(self.company._nmbrs_debtors_on_rest(), (2, 3))

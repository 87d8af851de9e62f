from odoo import fields
from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestWorkCostTours(NmbrsTourCase):
    """The WKR balance in a browser: on a relation with a REST consent, on one without, and the office's list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        euro = cls.env.ref('base.EUR')
        euro.active = True
        cls.company.currency_id = euro
        Partner = cls.env['res.partner']
        cls.relation = Partner.create({'name': 'Bakkerij Wkr B.V.', 'is_company': True})
        cls.relation.write({'nmbrs_company_id': 901, 'nmbrs_company_number': 91, 'nmbrs_debtor_number': '9100'})
        cls.soap_relation = Partner.create({'name': 'Garage Soap B.V.', 'is_company': True})
        cls.soap_relation.write({'nmbrs_company_id': 902, 'nmbrs_company_number': 92,
                                 'nmbrs_debtor_number': '9200'})
        cls.env['nmbrs.consent'].create({
            'company_id': cls.company.id, 'state': 'active', 'given_date': fields.Datetime.now(),
            'debtor_ids': [fields.Command.create({'nmbrs_debtor_guid': 'guid-9100', 'number': '9100',
                                                  'name': 'Bakkerij Wkr'})]})
        link = cls.relation.nmbrs_link_ids
        # The figures as the background fetch stores them (tests/test_work_cost.py fetches them from the sandbox).
        cls.env['nmbrs.work.cost'].create([
            {'link_id': link.id, 'year': 2026, 'period': 1, 'fiscal_wage': 10000.0, 'work_cost_available': 192.0,
             'work_cost_payroll': 90.0, 'work_cost_financial': 0.0, 'work_cost_to_pay': 0.0},
            {'link_id': link.id, 'year': 2026, 'period': 2, 'fiscal_wage': 12500.0, 'work_cost_available': 240.0,
             'work_cost_payroll': 250.0, 'work_cost_financial': 50.0, 'work_cost_to_pay': 48.0},
        ])

    def test_the_wkr_balance_of_a_relation_and_of_the_office(self):
        for lang in self.for_each_language():
            self.start_nmbrs_tour('/odoo/contacts/%d' % self.relation.id,
                                  'nmbrs_connector_work_cost_relation_tour', lang)
            self.start_nmbrs_tour('/odoo/contacts/%d' % self.soap_relation.id,
                                  'nmbrs_connector_work_cost_consent_tour', lang)
            self.start_nmbrs_tour('/odoo/contacts', 'nmbrs_connector_work_cost_list_tour', lang)

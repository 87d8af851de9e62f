"""The WKR balance of linked relations: stored per period as Nmbrs computes it, and why a SOAP connection has none."""
from decimal import Decimal

from odoo.tests import tagged

from ..nmbrs.sandbox import guids
from ..nmbrs.sandbox.rest_shapes import work_cost
from .common import NmbrsSandboxCase, NmbrsTourCase
from .rest_case import RestSandboxCase
from .rest_contract import ContractWatch


@tagged('post_install', '-at_install')
class TestWorkCosts(NmbrsSandboxCase):

    # A REST client of the sandbox, as tests/rest_case.py makes it (connecting companies over REST is not built yet).
    identity = RestSandboxCase.identity
    consent = RestSandboxCase.consent
    rest_client = RestSandboxCase.rest_client
    watch = RestSandboxCase.watch

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nmbrs_companies = list(cls.sandbox.dataset.companies.values())[:2]
        cls.relations = cls.env['res.partner'].create([
            {'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id}
            for nmbrs_company in cls.nmbrs_companies])

    def setUp(self):
        super().setUp()
        self.contract = ContractWatch()
        self.addCleanup(lambda: self.assertEqual(self.contract.found, []))

    def year_with_runs(self, nmbrs_company):
        with self.sandbox.dataset.lock:
            return max(run.year for run in self.sandbox.dataset.company_runs(nmbrs_company.id))

    def test_the_figures_per_period_and_year_as_nmbrs_computes_them(self):
        client = self.rest_client()
        nmbrs_company = self.nmbrs_companies[0]
        relation = self.relations[0]
        year = self.year_with_runs(nmbrs_company)
        self.company._nmbrs_fetch_work_costs(relation, year, client, guids.guid('company', nmbrs_company.id))
        costs = relation.nmbrs_work_cost_ids
        with self.sandbox.dataset.lock:
            runs = self.sandbox.dataset.company_runs(nmbrs_company.id, year)
            expected = {period: work_cost(year, period, [run for run in runs if run.period_end == period])
                        for period in {run.period_end for run in runs}}
        self.assertEqual(sorted(costs.mapped('period')), sorted(expected))
        for cost in costs:
            figures = expected[cost.period]
            self.assertEqual(cost.year, year)
            self.assertAlmostEqual(cost.fiscal_wage, figures['fiscalWage'], places=2)
            self.assertAlmostEqual(cost.free_space, figures['workCostAvailable'], places=2)
            self.assertAlmostEqual(cost.used, figures['workCostPayroll'] + figures['workCostFinancial'], places=2)
            self.assertAlmostEqual(cost.remaining, cost.free_space - cost.used, places=2)
            self.assertAlmostEqual(cost.final_levy, figures['workCostToPay'], places=2)
        year_total = self.env['nmbrs.work.cost']._read_group(
            [('partner_id', '=', relation.id), ('year', '=', year)], [], ['final_levy:sum'])[0][0]
        self.assertAlmostEqual(year_total, float(sum(Decimal(str(f['workCostToPay'])) for f in expected.values())),
                               places=2)

        # Fetched again: the same periods, brought up to date, not doubled.
        self.company._nmbrs_fetch_work_costs(relation, year, client, guids.guid('company', nmbrs_company.id))
        self.assertEqual(len(relation.nmbrs_work_cost_ids), len(expected))
        self.assertFalse(self.relations[1].nmbrs_work_cost_ids)

    def test_a_soap_connection_says_it_needs_the_rest_consent(self):
        self.assertFalse(self.relations[0].nmbrs_has_work_costs)
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_work_costs').method_direct_trigger(), True)
        self.assertFalse(self.env['nmbrs.work.cost'].search([]), "SOAP has no WKR figures: nothing is asked")
        self.assertEqual(self.sandbox.calls.all(), [])


@tagged('post_install', '-at_install')
class TestWorkCostTours(NmbrsTourCase):
    """The WKR balance in a browser, in English and Dutch: on a relation and across relations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relations = cls.env['res.partner'].create([
            {'name': name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id}
            for name, nmbrs_company in zip(('Bakkerij Test B.V.', 'Garage Test B.V.'),
                                           cls.sandbox.dataset.companies.values())])
        cls.env['nmbrs.work.cost'].create([
            {'partner_id': relation.id, 'year': 2026, 'period': period, 'fiscal_wage': 10000.0,
             'free_space': 192.0, 'used': used, 'final_levy': max(0.0, (used - 192.0) * 0.8)}
            for relation in cls.relations for period, used in ((1, 90.0), (2, 300.0))])

    def test_the_wkr_balance_on_a_relation_and_across_relations(self):
        for lang in self.for_each_language():
            self.start_nmbrs_tour('/odoo/contacts/%d' % self.relations[0].id,
                                  'nmbrs_connector_work_cost_relation_tour', lang)
            self.start_nmbrs_tour('/odoo/action-nmbrs_connector.action_nmbrs_work_cost',
                                  'nmbrs_connector_work_cost_list_tour', lang)

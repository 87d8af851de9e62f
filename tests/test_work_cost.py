"""The WKR balance (werkkostenregeling) of linked relations: fetched from the sandbox over REST, shown per relation.

Real HTTP to the sandbox's REST API through a consent, as the callback leaves one.
"""
from collections import defaultdict
from decimal import Decimal
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..nmbrs.sandbox import rest_shapes
from .common import NmbrsSandboxCase


def give_consent(company, sandbox, debtors):
    """An active consent of ``company`` for ``debtors`` (sandbox records), as the callback leaves it."""
    identity = company._nmbrs_identity()
    request = identity.authorization_request()
    callback = sandbox.identity.approve(request.url, [debtor.id for debtor in debtors])
    tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
    consent = company.env['nmbrs.consent'].create({
        'company_id': company.id, 'state': 'active', 'given_date': fields.Datetime.now(),
        'debtor_ids': [fields.Command.create({'nmbrs_debtor_guid': 'guid-%d' % debtor.id, 'number': debtor.number,
                                              'name': debtor.name}) for debtor in debtors]})
    consent._nmbrs_store_tokens(tokens)
    return consent


def link_relation(env, nmbrs_company, debtor):
    partner = env['res.partner'].create({'name': nmbrs_company.name, 'is_company': True})
    partner.write({'nmbrs_company_id': nmbrs_company.id, 'nmbrs_company_number': nmbrs_company.number,
                   'nmbrs_debtor_id': debtor.id, 'nmbrs_debtor_number': debtor.number})
    return partner


@tagged('post_install', '-at_install')
class TestWorkCost(NmbrsSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        with_runs = sorted({run.company_id for run in dataset.runs.values()})
        cls.nmbrs_company = dataset.companies[with_runs[0]]
        cls.debtor = dataset.debtors[cls.nmbrs_company.debtor_id]
        cls.relation = link_relation(cls.env, cls.nmbrs_company, cls.debtor)
        # A company of another debtor, which the consent does not cover: its client is SOAP.
        other = next(company for company in dataset.companies.values() if company.debtor_id != cls.debtor.id)
        cls.soap_relation = link_relation(cls.env, other, dataset.debtors[other.debtor_id])

    def expected(self):
        """{(year, period): (fiscal wage, free space, used, final levy)} from the sandbox's payroll runs."""
        this_year = fields.Date.context_today(self.relation).year
        runs = defaultdict(list)
        for run in self.sandbox.dataset.company_runs(self.nmbrs_company.id):
            if run.year in (this_year - 1, this_year):
                runs[run.year, run.period_end].append(run)
        expected = {}
        for key, period_runs in runs.items():
            fiscal_wage = sum((pay.gross for run in period_runs for pay in run.pay.values()), Decimal(0))
            employees = {employee for run in period_runs for employee in run.pay}
            free_space = (fiscal_wage * rest_shapes.WORK_COST_FREE_SPACE).quantize(Decimal('0.01'))
            used = rest_shapes.WORK_COST_PER_EMPLOYEE * len(employees)
            levy = max(Decimal(0), (used - free_space) * rest_shapes.WORK_COST_LEVY).quantize(Decimal('0.01'))
            expected[key] = (float(fiscal_wage), float(free_space), float(used), float(levy))
        return expected

    def stored(self, partner):
        return {(cost.year, cost.period): (cost.fiscal_wage, cost.work_cost_available, cost.work_cost_used,
                                           cost.work_cost_to_pay)
                for cost in self.env['nmbrs.work.cost'].search([('partner_id', '=', partner.id)])}

    def test_the_figures_of_a_consented_company_match_the_sandbox(self):
        give_consent(self.company, self.sandbox, [self.debtor])
        self.assertFalse(self.relation.nmbrs_wkr_needs_consent)
        self.env['nmbrs.work.cost']._nmbrs_fetch_company(self.company)
        expected = self.expected()
        self.assertTrue(expected, "the sandbox company has payroll runs this year or last")
        self.assertEqual(self.stored(self.relation), expected)
        self.assertTrue(self.sandbox.calls.of('getCompanyWorkCosts'))
        self.relation.invalidate_recordset()
        year = max(year for year, _period in expected)
        self.assertEqual(self.relation.nmbrs_wkr_year, year)
        self.assertEqual(sorted(self.relation.nmbrs_work_cost_ids.mapped('period')),
                         sorted(period for this_year, period in expected if this_year == year))
        self.assertTrue(self.relation.nmbrs_wkr_fetched_at)
        self.assertFalse(self.relation.nmbrs_wkr_error)
        cost = self.relation.nmbrs_work_cost_ids[:1]
        self.assertAlmostEqual(cost.work_cost_remaining, cost.work_cost_available - cost.work_cost_used)

    def test_fetching_again_replaces_the_figures_once(self):
        give_consent(self.company, self.sandbox, [self.debtor])
        WorkCost = self.env['nmbrs.work.cost']
        WorkCost._nmbrs_fetch_company(self.company)
        count = WorkCost.search_count([('partner_id', '=', self.relation.id)])
        WorkCost._nmbrs_fetch_company(self.company)
        self.assertEqual(WorkCost.search_count([('partner_id', '=', self.relation.id)]), count)

    def test_a_relation_on_soap_only_shows_the_consent_is_needed_and_nothing_is_asked(self):
        give_consent(self.company, self.sandbox, [self.debtor])
        self.assertTrue(self.soap_relation.nmbrs_wkr_needs_consent)
        self.assertFalse(self.company._nmbrs_client().has_work_costs)
        self.env['nmbrs.work.cost']._nmbrs_fetch_company(self.company)
        self.assertEqual({call.parameters.get('companyId') for call in self.sandbox.calls.of('getCompanyWorkCosts')},
                         {rest_shapes.guid('company', self.nmbrs_company.id)})
        self.assertEqual(self.stored(self.soap_relation), {})
        self.assertFalse(self.soap_relation.nmbrs_work_cost_ids)

    def test_a_failing_call_keeps_the_old_figures_and_says_why(self):
        consent = give_consent(self.company, self.sandbox, [self.debtor])
        self.env['nmbrs.work.cost']._nmbrs_fetch_company(self.company)
        before = self.stored(self.relation)
        consent.sudo().write({'access_token': 'not-a-token', 'refresh_token': False})
        self.env['nmbrs.work.cost']._nmbrs_fetch_company(self.company)
        self.assertEqual(self.stored(self.relation), before)
        self.relation.invalidate_recordset()
        self.assertTrue(self.relation.nmbrs_wkr_error)

    def test_only_nmbrs_groups_see_the_figures_and_only_administrators_refresh(self):
        give_consent(self.company, self.sandbox, [self.debtor])
        self.env['nmbrs.work.cost']._nmbrs_fetch_company(self.company)
        outsider = new_test_user(self.env, login='wkr_outsider', groups='base.group_user,base.group_partner_manager')
        reader = new_test_user(self.env, login='wkr_reader', groups='base.group_user,nmbrs_connector.group_nmbrs_user')
        with self.assertRaises(AccessError):
            self.env['nmbrs.work.cost'].with_user(outsider).search([])
        with self.assertRaises(AccessError):
            self.relation.with_user(outsider).read(['nmbrs_work_cost_ids'])
        costs = self.env['nmbrs.work.cost'].with_user(reader).search([('partner_id', '=', self.relation.id)])
        self.assertTrue(costs)
        with self.assertRaises(AccessError):
            costs.write({'fiscal_wage': 1.0})
        with self.assertRaises(AccessError):
            self.env['nmbrs.work.cost'].with_user(reader).action_nmbrs_refresh()

    def test_the_daily_cron_fetches_and_one_failing_relation_does_not_stop_the_others(self):
        give_consent(self.company, self.sandbox, [self.debtor])
        sibling = next(company for company in self.sandbox.dataset.companies.values()
                       if company.debtor_id == self.debtor.id and company.id != self.nmbrs_company.id)
        second = link_relation(self.env, sibling, self.debtor)
        Link = type(self.env['nmbrs.link'])
        fetch = Link._nmbrs_fetch_work_costs

        def broken(link, *args):
            if link.partner_id == self.relation:
                raise RuntimeError('unexpected')
            return fetch(link, *args)
        with patch.object(Link, '_nmbrs_fetch_work_costs', broken), \
                self.assertLogs('odoo.addons.nmbrs_connector.models.res_company_errors', 'ERROR'), \
                self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_work_costs').method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(self.stored(self.relation), {})
        self.assertTrue(self.stored(second))
        self.assertTrue(second.nmbrs_wkr_fetched_at)

    def test_refresh_starts_the_background_fetch_and_says_so(self):
        cron = self.env.ref('nmbrs_connector.ir_cron_nmbrs_work_costs')
        triggers = self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
        action = self.relation.action_nmbrs_refresh_work_costs()
        self.assertEqual(self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]), triggers + 1)
        self.assertIn('started', action['params']['message'])

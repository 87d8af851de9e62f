"""Booking the payroll journal of each locked run of the company's own Nmbrs company as one draft entry."""
import datetime

from odoo.tests import tagged

from odoo.addons.nmbrs_connector.nmbrs.dates import local_date
from odoo.addons.nmbrs_connector.nmbrs.sandbox.documents import journal_xml

from .booking_case import BookingCase

GROSS = ('4000', 'KP10', 'KD7', '1000.00', 'debit', 'Brutoloon')
WAGE_TAX = ('1600', '0', '0', '300.00', 'credit', 'Af te dragen loonheffing')
NET = ('1610', 'KP10', '0', '700.00', 'credit', 'Netto lonen')


@tagged('post_install', '-at_install')
class TestJournalBooking(BookingCase):

    def test_each_locked_run_from_the_start_date_becomes_one_draft_entry(self):
        self.map('1620', self.accounts['1621'])  # the sandbox's pension code, by hand
        self.import_journals()
        self.book()
        runs = self.env['nmbrs.run'].search([('company_id', '=', self.company.id)], order='year, period')
        booked = runs.filtered('move_id')
        self.assertEqual([(run.year, run.period) for run in booked], [(2026, 1), (2026, 2)],
                         "the locked runs of 2026; 2025 lies before 'book runs from', March is open")
        self.assertEqual(set((runs - booked).mapped('nmbrs_booking_state')), {'to_book'})
        dataset = self.sandbox.dataset
        for run in booked:
            move = run.move_id
            with dataset.lock:
                nmbrs_run = dataset.run_of(self.nmbrs_company.id, run.nmbrs_run_id)
                expected_file = journal_xml(dataset, nmbrs_run).encode()
            self.assertEqual((move.state, move.journal_id, move.nmbrs_run_id), ('draft', self.misc, run))
            self.assertEqual(move.date, local_date(run.run_at), "the run's payment date")
            self.assertIn(self.company.partner_id.name, move.ref)
            self.assertIn('2026-%02d' % run.period, move.ref)
            self.assertIn('run %d' % run.number, move.ref)
            self.assertEqual(run.nmbrs_booking_state, 'booked')
            by_account = {line.account_id: (line.debit, line.credit, line.name) for line in move.line_ids}
            with dataset.lock:
                gross = sum(pay.gross for pay in nmbrs_run.pay.values())
                net = sum(pay.net for pay in nmbrs_run.pay.values())
            self.assertEqual(by_account[self.accounts['4000']], (float(gross), 0.0, 'Brutoloon'))
            self.assertEqual(by_account[self.accounts['1610']], (0.0, float(net), 'Netto lonen'))
            self.assertEqual(set(by_account), set(self.accounts.values()))
            attachment = self.env['ir.attachment'].search([('res_model', '=', 'account.move'), ('res_id', '=', move.id)])
            self.assertEqual(attachment.raw.strip(), expected_file.strip())

    def test_cost_centers_and_units_become_analytics_on_profit_and_loss_accounts_only(self):
        plan = self.env['account.analytic.plan'].create({'name': 'Kostenplaatsen'})
        center = self.env['account.analytic.account'].create({'name': 'Zuid', 'code': 'KP10', 'plan_id': plan.id})
        unit = self.env['account.analytic.account'].create(
            {'name': 'Project 7', 'plan_id': self.env['account.analytic.plan'].create({'name': 'Kostendragers'}).id})
        run = self.store_run(GROSS, WAGE_TAX, NET)
        self.Mapping._nmbrs_mappings(self.company, {'cost_unit': {'KD7': ''}})
        self.Mapping.search([('nmbrs_code', '=', 'KD7')]).analytic_account_id = unit
        self.book()
        lines = {line.account_id.code: line for line in run.move_id.line_ids}
        self.assertEqual(lines['4000'].analytic_distribution, {str(center.id): 100, str(unit.id): 100})
        self.assertFalse(lines['1610'].analytic_distribution, "a balance sheet account gets no analytics")
        self.assertEqual((lines['4000'].debit, lines['1600'].credit, lines['1610'].credit), (1000.0, 300.0, 700.0))

    def test_an_unbalanced_journal_is_refused_with_the_reason(self):
        run = self.store_run(GROSS, WAGE_TAX, ('1610', '0', '0', '699.99', 'credit', 'Netto lonen'))
        self.book()
        self.assertFalse(run.move_id)
        self.assertEqual(run.nmbrs_booking_state, 'refused')
        self.assertIn('0.01', run.nmbrs_booking_message)
        todo, = self.todos('journal_refused')
        self.assertIn('does not balance', todo.note)
        self.book()
        self.assertEqual(run.nmbrs_booking_state, 'refused', "a refused run waits for Book again")

    def test_an_unreadable_journal_is_refused_with_the_reason(self):
        run = self.store_run(('4000', '0', '0', 'veel', 'debit', 'Brutoloon'))
        self.book()
        self.assertEqual(run.nmbrs_booking_state, 'refused')
        self.assertIn('line 0 has no readable amount', run.nmbrs_booking_message)

    def test_unmapped_codes_block_with_one_todo_then_book_once_mapped(self):
        first = self.store_run(GROSS, ('1650', '0', '0', '300.00', 'credit', 'Beslag'), NET, period=1)
        second = self.store_run(GROSS, ('1660', '0', '0', '300.00', 'credit', 'Voorschot'), NET, period=2)
        self.book()
        self.assertEqual((first | second).mapped('nmbrs_booking_state'), ['blocked', 'blocked'])
        self.assertFalse((first | second).move_id)
        self.assertIn('1650', first.nmbrs_booking_message)
        todo, = self.todos('journal_unmapped')
        self.assertIn('1650', todo.note)
        self.assertIn('1660', todo.note)
        self.assertIn('action_nmbrs_ledger_mapping_unmapped', todo.note)
        self.book()
        self.assertEqual(len(self.todos('journal_unmapped')), 1, "still one To-Do")

        self.map('1650', self.accounts['1600'])
        self.book()
        self.assertTrue(first.move_id)
        self.assertEqual(second.nmbrs_booking_state, 'blocked')
        todo, = self.todos('journal_unmapped')
        self.assertNotIn('1650', todo.note)
        self.map('1660', self.accounts['1600'])
        self.book()
        self.assertTrue(second.move_id)
        self.assertFalse(self.todos('journal_unmapped'), "done once nothing waits")

    def test_unmapped_codes_may_go_to_the_suspense_account_flagged(self):
        suspense = self.env['account.account'].create(
            {'code': '2990', 'name': 'Tussenrekening lonen', 'account_type': 'liability_current'})
        self.company.write({'nmbrs_unmapped_policy': 'suspense', 'nmbrs_suspense_account_id': suspense.id})
        run = self.store_run(GROSS, ('1650', '0', '0', '300.00', 'credit', 'Beslag'), NET)
        self.book()
        line = run.move_id.line_ids.filtered(lambda line: line.account_id == suspense)
        self.assertEqual((line.credit, line.name), (300.0, '1650 Beslag'))
        self.assertIn('1650', str(run.move_id.narration))
        self.assertFalse(self.todos('journal_unmapped'))

    def test_runs_before_the_start_date_wait_until_it_moves(self):
        old = self.store_run(GROSS, WAGE_TAX, NET, year=2025, period=12)
        self.book()
        self.assertFalse(old.move_id)
        self.company.nmbrs_book_from = '2025-12-01'
        self.book()
        self.assertTrue(old.move_id)

    def test_a_date_in_a_locked_period_moves_to_the_first_open_day(self):
        self.company.fiscalyear_lock_date = '2026-01-31'
        run = self.store_run(GROSS, WAGE_TAX, NET, period=1)
        self.book()
        self.assertEqual(run.move_id.date, datetime.date(2026, 2, 1))
        self.assertIn('locked', str(run.move_id.narration))

    def test_the_end_of_the_period_as_date_and_posting_at_once(self):
        self.company.write({'nmbrs_book_date': 'period_end', 'nmbrs_auto_post': True})
        run = self.store_run(GROSS, WAGE_TAX, NET, period=2)
        self.book()
        self.assertEqual((run.move_id.date, run.move_id.state), (datetime.date(2026, 2, 28), 'posted'))

    def test_a_deleted_entry_stays_away_until_book_again(self):
        run = self.store_run(GROSS, WAGE_TAX, NET)
        self.book()
        first = run.move_id
        run.action_nmbrs_book_again()
        self.book()
        self.assertEqual(run.move_id, first, "Book again leaves a run whose entry exists alone")
        first.unlink()
        self.book()
        self.assertFalse(run.move_id)
        self.assertEqual(run.nmbrs_booking_state, 'booked')
        run.action_nmbrs_book_again()
        self.book()
        self.assertTrue(run.move_id)
        self.assertEqual(self.env['account.move'].search_count([('nmbrs_run_id', '=', run.id)]), 1)

    def test_only_the_company_own_relation_is_booked(self):
        client = self.env['res.partner'].create({'name': 'Klant B.V.', 'is_company': True})
        client.nmbrs_company_id = list(self.sandbox.dataset.companies.values())[1].id
        run = self.store_run(GROSS, WAGE_TAX, NET, partner=client)
        self.book()
        self.assertFalse(run.move_id)
        self.assertEqual(run.nmbrs_booking_state, 'to_book')

    def test_nothing_is_booked_while_booking_is_off(self):
        self.company.nmbrs_book_journals = False
        run = self.store_run(GROSS, WAGE_TAX, NET)
        self.book()
        self.assertFalse(run.move_id)

    def test_an_import_of_a_journal_starts_the_booking_job(self):
        cron = self.env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals')
        before = self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
        self.store_run(GROSS, WAGE_TAX, NET)
        self.assertEqual(self.env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]), before + 1)

    def test_what_the_booking_writes_is_in_the_company_language(self):
        self.env['res.lang']._activate_lang('nl_NL')
        self.env['ir.module.module']._load_module_terms(['nmbrs_connector_account'], ['nl_NL'])
        self.company.partner_id.lang = 'nl_NL'
        run = self.store_run(GROSS, WAGE_TAX, NET, period=1)
        blocked = self.store_run(GROSS, ('1650', '0', '0', '300.00', 'credit', 'Beslag'), NET, period=2)
        self.book()
        self.assertTrue(run.move_id.ref.startswith('Nmbrs-verloning '), run.move_id.ref)
        self.assertIn('Wacht op een Odoo-rekening', blocked.nmbrs_booking_message)
        todo, = self.todos('journal_unmapped')
        self.assertEqual(todo.summary, 'Koppel de Nmbrs-grootboekcodes')

"""The ledger mapping lists every code of a journal, starting each on the account with the same code."""
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged('post_install', '-at_install')
class TestLedgerMapping(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.wages = cls.env['account.account'].create({'code': '4991', 'name': 'Brutolonen', 'account_type': 'expense'})
        cls.cost_center = cls.env['account.analytic.account'].create({
            'name': 'Afdeling Zuid', 'code': 'KP10',
            'plan_id': cls.env['account.analytic.plan'].create({'name': 'Kostenplaatsen'}).id})
        cls.Mapping = cls.env['nmbrs.ledger.mapping']

    def test_new_codes_start_on_the_account_with_the_same_code(self):
        mappings = self.Mapping._nmbrs_mappings(self.company, {
            'ledger': {'4991': 'Brutoloon', '9993': 'Onbekend'}, 'cost_center': {'KP10': 'Brutoloon'},
            'cost_unit': {'KD1': 'Brutoloon'}})
        self.assertEqual(mappings[('ledger', '4991')].account_id, self.wages)
        self.assertEqual(mappings[('ledger', '4991')].name, 'Brutoloon')
        self.assertFalse(mappings[('ledger', '9993')].is_mapped)
        self.assertEqual(mappings[('cost_center', 'KP10')].analytic_account_id, self.cost_center)
        self.assertFalse(mappings[('cost_unit', 'KD1')].is_mapped)
        unmapped = self.Mapping.search([('is_mapped', '=', False), ('company_id', '=', self.company.id)])
        self.assertEqual(set(unmapped.mapped('nmbrs_code')), {'9993', 'KD1'})

    def test_a_code_is_listed_once_and_keeps_its_account(self):
        first = self.Mapping._nmbrs_mappings(self.company, {'ledger': {'9993': 'Onbekend'}})[('ledger', '9993')]
        first.account_id = self.wages
        again = self.Mapping._nmbrs_mappings(self.company, {'ledger': {'9993': 'Anders'}})[('ledger', '9993')]
        self.assertEqual(again, first)
        self.assertEqual((again.account_id, again.name), (self.wages, 'Onbekend'))
        self.assertEqual(self.Mapping.search_count([('nmbrs_code', '=', '9993')]), 1)

    def test_each_company_has_its_own_mapping(self):
        other = self.env['res.company'].create({'name': 'Tweede B.V.'})
        ours = self.Mapping._nmbrs_mappings(self.company, {'ledger': {'4991': 'Brutoloon'}})[('ledger', '4991')]
        theirs = self.Mapping._nmbrs_mappings(other, {'ledger': {'4991': 'Brutoloon'}})[('ledger', '4991')]
        self.assertNotEqual(ours, theirs)
        self.assertEqual(theirs.company_id, other)
        self.assertFalse(theirs.account_id, "the account with that code belongs to the other company")

    def test_the_settings_open_the_mapping(self):
        action = self.env['res.config.settings'].create({}).action_nmbrs_open_ledger_mapping()
        self.assertEqual(action['res_model'], 'nmbrs.ledger.mapping')
        self.assertIn('search_default_unmapped', self.Mapping._nmbrs_action(unmapped_only=True)['context'])

    def test_booking_needs_a_journal_a_start_and_for_suspense_an_account(self):
        journal = self.env['account.journal'].search(
            [*self.env['account.journal']._check_company_domain(self.company), ('type', '=', 'general')], limit=1)
        with self.assertRaisesRegex(ValidationError, 'choose the payroll journal'):
            self.company.write({'nmbrs_book_journals': True})
        self.company.write({'nmbrs_book_journals': True, 'nmbrs_journal_id': journal.id,
                            'nmbrs_book_from': '2026-01-01'})
        with self.assertRaisesRegex(ValidationError, 'suspense account'):
            self.company.write({'nmbrs_unmapped_policy': 'suspense'})
        self.company.write({'nmbrs_unmapped_policy': 'suspense', 'nmbrs_suspense_account_id': self.wages.id})
        self.assertTrue(self.company.nmbrs_book_journals)

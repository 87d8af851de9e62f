import datetime
import itertools

from odoo.addons.nmbrs_connector.nmbrs.sandbox import demo_dataset
from odoo.addons.nmbrs_connector.tests.common import NmbrsSandboxCase
from odoo.addons.nmbrs_connector.tests.document_import_case import DATASET_NOW

from .test_payroll_journal import journal

# Ledger codes of the sandbox's journals and the accounts the tests give them; 1620 has no account of its
# own code, so it starts unmapped.
ACCOUNTS = [('4000', 'Brutolonen', 'expense'), ('1600', 'Af te dragen loonheffing', 'liability_current'),
            ('1610', 'Netto lonen', 'liability_current'), ('1621', 'Af te dragen pensioenpremie', 'liability_current')]
_run_ids = itertools.count(900001)


def setup_booking(env, company):
    """Accounts, the payroll journal and booking switched on from 2026 for ``company``; returns (accounts, journal)."""
    accounts = {code: env['account.account'].create({'code': code, 'name': name, 'account_type': account_type})
                for code, name, account_type in ACCOUNTS}
    misc = env['account.journal'].search(
        [*env['account.journal']._check_company_domain(company), ('type', '=', 'general')], limit=1)
    company.write({'nmbrs_book_journals': True, 'nmbrs_journal_id': misc.id, 'nmbrs_book_from': '2026-01-01',
                   'nmbrs_responsible_user_id': env.ref('base.user_admin').id})
    return accounts, misc


def store_run(env, company, lines, year=2026, period=1, partner=None, number=1):
    """A locked run of ``partner`` (default: the company's own relation) with its journal file, as the import stores them."""
    partner = partner or company.partner_id
    nmbrs_company_id = partner.with_company(company).nmbrs_company_id
    run_id = next(_run_ids)
    run = env['nmbrs.run'].create({
        'company_id': company.id, 'partner_id': partner.id, 'nmbrs_company_id': nmbrs_company_id,
        'nmbrs_run_id': run_id, 'number': number, 'year': year, 'period_start': period, 'period': period,
        'run_at': datetime.datetime(year, period, 24, 10, 0), 'locked': True, 'journal_done': True})
    env['nmbrs.document']._nmbrs_store([{
        'name': 'Loonjournaal %d-%02d.xml' % (year, period), 'document_type': 'journal', 'partner_id': partner.id,
        'year': year, 'period': period, 'nmbrs_company_id': nmbrs_company_id, 'nmbrs_run_id': run_id,
        'nmbrs_run_number': number, 'run_id': run.id,
        'nmbrs_key': 'journal/%d/%d' % (nmbrs_company_id, run_id),
        'company_id': company.id, 'raw': journal(*lines)}])
    return run


class BookingCase(NmbrsSandboxCase):
    """The company's own relation linked to a Nmbrs company of the sandbox, booking its payroll from 2026."""

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset(now=DATASET_NOW)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nmbrs_company = next(iter(cls.sandbox.dataset.companies.values()))
        cls.company.partner_id.nmbrs_company_id = cls.nmbrs_company.id
        # The journals are what is booked: the other documents only slow the import down.
        cls.company.write({'nmbrs_import_wage_tax': False, 'nmbrs_import_payslips': False, 'nmbrs_import_sepa': False})
        cls.accounts, cls.misc = setup_booking(cls.env, cls.company)
        cls.Mapping = cls.env['nmbrs.ledger.mapping']

    def import_journals(self):
        """The connector's import of the company's own relation, as "Sync now" runs it."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            company = self.company.with_env(self.env(cr=cr))
            company._nmbrs_import_documents(company.partner_id)
        self.env.invalidate_all()

    def book(self):
        """Run the booking job as an Odoo worker would."""
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals').method_direct_trigger(),
                          True, "the booking job failed")
        self.env.invalidate_all()

    def store_run(self, *lines, **kwargs):
        return store_run(self.env, self.company, lines, **kwargs)

    def map(self, code, account):
        """Give a ledger code its account, as the accountant does in the mapping (listing the code if new)."""
        self.Mapping._nmbrs_mappings(self.company, {'ledger': {code: ''}})[('ledger', code)].account_id = account

    def todos(self, failure):
        return self.company.partner_id.activity_ids.filtered(lambda activity: activity.nmbrs_failure == failure)

    def booked(self):
        return self.env['nmbrs.run'].search([('company_id', '=', self.company.id), ('move_id', '!=', False)],
                                            order='year, period')

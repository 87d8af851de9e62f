from odoo.tests import tagged

from odoo.addons.nmbrs_connector.tests.common import NmbrsTourCase

from .booking_case import setup_booking, store_run
from .test_journal_booking import GROSS, NET, WAGE_TAX


@tagged('post_install', '-at_install')
class TestAccountTours(NmbrsTourCase):
    """The accountant's screens in a browser, in English and Dutch: settings, ledger mapping, a booked run."""

    TRANSLATED_MODULES = ('nmbrs_connector', 'nmbrs_connector_account')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.tour_users.values():
            user.group_ids |= cls.env.ref('account.group_account_manager')
        cls.company.partner_id.nmbrs_company_id = next(iter(cls.sandbox.dataset.companies.values())).id
        cls.accounts, _journal = setup_booking(cls.env, cls.company)
        runs = store_run(cls.env, cls.company, [GROSS, WAGE_TAX, NET], period=1) | store_run(
            cls.env, cls.company, [GROSS, ('1650', '0', '0', '300.00', 'credit', 'Beslag'), NET], period=2)
        # What the booking job does, in the company's language (Dutch), without its commits.
        company = cls.company._nmbrs_in_stored_lang()
        for run in runs.with_env(company.env):
            run._nmbrs_book()
        company._nmbrs_report_unmapped_codes()
        cls.booked = runs[0]

    def test_settings_mapping_and_a_booked_run(self):
        self.assertTrue(self.booked.move_id)
        for lang in self.for_each_language():
            self.start_nmbrs_tour('/odoo/settings#account', 'nmbrs_account_settings_mapping_tour', lang)
            self.start_nmbrs_tour('/odoo/action-nmbrs_connector_account.action_nmbrs_runs/%d' % self.booked.id,
                                  'nmbrs_account_booked_run_tour', lang)

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How this company books the payroll journals of its own Nmbrs company."""
    _inherit = 'res.company'

    nmbrs_book_journals = fields.Boolean(
        'Book payroll journals',
        help="Book every locked payroll run of this company's own Nmbrs company as a draft journal entry.")
    nmbrs_journal_id = fields.Many2one(
        'account.journal', 'Payroll journal', check_company=True, domain="[('type', '=', 'general')]",
        help="The miscellaneous journal the payroll entries are booked in.")
    nmbrs_book_from = fields.Date(
        'Book runs from', help="Runs dated before this day are not booked, so years of history are not booked at once.")
    nmbrs_book_date = fields.Selection(
        [('payment', "The run's payment date"), ('period_end', "The last day of the run's period")],
        string='Entry date', default='payment', required=True)
    nmbrs_auto_post = fields.Boolean(
        'Post payroll entries', help="Post each payroll entry as soon as it is booked, instead of leaving it a draft.")
    nmbrs_unmapped_policy = fields.Selection(
        [('block', "Wait until every ledger code is mapped"), ('suspense', "Book it on a suspense account")],
        string='Unmapped ledger codes', default='block', required=True,
        help="What happens to a run whose journal has a Nmbrs ledger code without an Odoo account.")
    nmbrs_suspense_account_id = fields.Many2one(
        'account.account', 'Payroll suspense account', check_company=True,
        help="Lines with an unmapped Nmbrs ledger code are booked here, and the entry says so.")

    @api.constrains('nmbrs_book_journals', 'nmbrs_journal_id', 'nmbrs_book_from',
                    'nmbrs_unmapped_policy', 'nmbrs_suspense_account_id')
    def _check_nmbrs_booking(self):
        for company in self.filtered('nmbrs_book_journals'):
            if not company.nmbrs_journal_id or not company.nmbrs_book_from:
                raise ValidationError(self.env._(
                    "To book payroll journals, choose the payroll journal and the day to book runs from."))
            if company.nmbrs_unmapped_policy == 'suspense' and not company.nmbrs_suspense_account_id:
                raise ValidationError(self.env._(
                    "Choose the suspense account for lines whose Nmbrs ledger code has no Odoo account."))

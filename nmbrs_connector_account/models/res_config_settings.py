from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The payroll booking settings of the company chosen in the company switcher."""
    _inherit = 'res.config.settings'

    nmbrs_book_journals = fields.Boolean(related='company_id.nmbrs_book_journals', readonly=False)
    nmbrs_journal_id = fields.Many2one(related='company_id.nmbrs_journal_id', readonly=False)
    nmbrs_book_from = fields.Date(related='company_id.nmbrs_book_from', readonly=False)
    nmbrs_book_date = fields.Selection(related='company_id.nmbrs_book_date', readonly=False)
    nmbrs_auto_post = fields.Boolean(related='company_id.nmbrs_auto_post', readonly=False)
    nmbrs_unmapped_policy = fields.Selection(related='company_id.nmbrs_unmapped_policy', readonly=False)
    nmbrs_suspense_account_id = fields.Many2one(related='company_id.nmbrs_suspense_account_id', readonly=False)

    def action_nmbrs_open_ledger_mapping(self):
        return self.env['nmbrs.ledger.mapping']._nmbrs_action()

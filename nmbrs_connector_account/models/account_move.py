from odoo import fields, models


class AccountMove(models.Model):
    """A journal entry booked from a Nmbrs payroll run links back to its run."""
    _inherit = 'account.move'

    nmbrs_run_id = fields.Many2one(
        'nmbrs.run', 'Nmbrs payroll run', readonly=True, copy=False, index='btree_not_null', ondelete='set null')

    def action_nmbrs_open_run(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'nmbrs.run',
            'res_id': self.nmbrs_run_id.id,
            'view_mode': 'form',
        }

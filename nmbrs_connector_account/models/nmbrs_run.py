from odoo import fields, models

from odoo.addons.nmbrs_connector.models.res_company_connection import SOFT_RELOAD

BOOKING_STATES = [
    ('to_book', 'To book'),
    ('blocked', 'Waits for the ledger mapping'),
    ('refused', 'Refused'),
    ('booked', 'Booked'),
]


class NmbrsRun(models.Model):
    """A payroll run and the journal entry its payroll journal was booked as.

    ``nmbrs_booking_state`` stays 'booked' when the entry is deleted: a run is
    booked once, and only *Book again* books it a second time.
    """
    _inherit = 'nmbrs.run'

    move_id = fields.Many2one(
        'account.move', 'Journal entry', readonly=True, copy=False, index='btree_not_null', ondelete='set null')
    nmbrs_booking_state = fields.Selection(
        BOOKING_STATES, 'Booking', default='to_book', required=True, readonly=True, copy=False, index=True)
    nmbrs_booking_message = fields.Text('Booking note', readonly=True, copy=False)

    def action_nmbrs_book_again(self):
        """Book these runs (again) at the next booking job, e.g. after their entry was deleted.

        A run whose entry still exists keeps it: it is never booked twice.
        """
        self.filtered(lambda run: not run.move_id).write(
            {'nmbrs_booking_state': 'to_book', 'nmbrs_booking_message': False})
        self.env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals')._trigger()
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'info',
                'message': self.env._("The payroll journal is booked again within a few minutes."),
                'next': SOFT_RELOAD,
            },
        }

    def action_nmbrs_open_move(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'account.move',
            'res_id': self.move_id.id,
            'view_mode': 'form',
        }

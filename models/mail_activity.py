from odoo import fields, models


class MailActivity(models.Model):
    """Which Nmbrs failure a To-Do is about, so the next run finds it again whatever language its title is in."""
    _inherit = 'mail.activity'

    nmbrs_failure = fields.Char('Nmbrs failure', readonly=True, index='btree_not_null')

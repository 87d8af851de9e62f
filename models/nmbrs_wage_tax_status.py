from psycopg2.errors import UniqueViolation

from odoo import api, fields, models, tools
from odoo.tools import LazyTranslate

from ..nmbrs.api_facts import WAGE_TAX_STATUS_MEANINGS

_lt = LazyTranslate(__name__)

# What a known status means, in words an accountant reads (see WAGE_TAX_STATUS_MEANINGS).
WAGE_TAX_STATUS_LABELS = {
    'created': _lt("Created, not sent yet"),
    'sent': _lt("Sent to the tax office"),
    'sent_external': _lt("Sent outside Nmbrs"),
}


def wage_tax_status_label(env, status):
    """'Sent outside Nmbrs (SentExternal)' in the user's language; an unknown status as Nmbrs wrote it."""
    meaning = WAGE_TAX_STATUS_MEANINGS.get(status or '')
    if not meaning:
        return status or ''
    return '%s (%s)' % (env._(WAGE_TAX_STATUS_LABELS[meaning]), status)


class NmbrsWageTaxStatus(models.Model):
    """A declaration status text as Nmbrs returned it.

    Nmbrs's wage tax Status is free text whose values are not documented, so
    every value seen is kept to offer as a choice in the settings.
    """
    _name = 'nmbrs.wage.tax.status'
    _description = 'Nmbrs wage tax declaration status'
    _order = 'name'
    _check_company_auto = True

    name = fields.Char('Status', required=True, readonly=True)
    company_id = fields.Many2one('res.company', required=True, readonly=True, default=lambda self: self.env.company)
    last_seen = fields.Datetime(readonly=True)

    _name_company_uniq = models.Constraint('UNIQUE(name, company_id)', 'This status is already known.')

    @api.depends('name')
    @api.depends_context('lang')
    def _compute_display_name(self):
        for status in self:
            status.display_name = wage_tax_status_label(self.env, status.name)

    def _record_seen(self, company, names):
        """Remember the status texts Nmbrs returned for ``company``."""
        names = {name for name in names if name}
        known = set(self.sudo().search([('company_id', '=', company.id), ('name', 'in', list(names))]).mapped('name'))
        now = fields.Datetime.now()
        # One by one and sorted: a worker importing another relation of the company may record the
        # same text at the same moment, and then this one is left out.
        for name in sorted(names - known):
            try:
                with self.env.cr.savepoint(), tools.mute_logger('odoo.sql_db'):
                    self.sudo().create({'name': name, 'company_id': company.id, 'last_seen': now})
            except UniqueViolation:
                pass

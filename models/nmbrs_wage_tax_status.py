from psycopg2.errors import UniqueViolation

from odoo import fields, models, tools


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

from odoo import api, fields, models


class NmbrsWorkCost(models.Model):
    """The work-related costs scheme (werkkostenregeling, WKR) of a relation for one period, as Nmbrs computes it.

    Fetched by a daily job for the relations of companies whose Nmbrs
    connection has the figures (REST only); the year is the sum of its periods.
    """
    _name = 'nmbrs.work.cost'
    _description = 'Nmbrs work-related costs (WKR)'
    _order = 'year desc, period desc, partner_id'
    _check_company_auto = True

    partner_id = fields.Many2one('res.partner', 'Relation', required=True, readonly=True, index=True,
                                 ondelete='cascade')
    year = fields.Integer(required=True, readonly=True)
    period = fields.Integer(required=True, readonly=True)
    fiscal_wage = fields.Monetary('Fiscal wage', readonly=True, help="The wage the free space is a share of.")
    free_space = fields.Monetary(
        'Free space', readonly=True, help="What may be spent on work-related costs without the final levy.")
    used = fields.Monetary('Used', readonly=True, help="Work-related costs booked in the payroll and in the books.")
    remaining = fields.Monetary('Remaining', compute='_compute_remaining', store=True,
                                help="Free space left; below zero, the excess the final levy is paid on.")
    final_levy = fields.Monetary('Final levy', readonly=True, help="The final levy to pay on the excess.")
    currency_id = fields.Many2one(related='company_id.currency_id')
    fetched_on = fields.Datetime('Fetched on', readonly=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)

    _period_uniq = models.Constraint(
        'UNIQUE(company_id, partner_id, year, period)', 'The WKR of this period is already stored.')

    @api.depends('free_space', 'used')
    def _compute_remaining(self):
        for cost in self:
            cost.remaining = cost.free_space - cost.used

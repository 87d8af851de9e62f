from odoo import api, fields, models


class ResPartner(models.Model):
    """The WKR balance of a relation linked to a Nmbrs company, in the current Odoo company."""
    _inherit = 'res.partner'

    nmbrs_wkr_year = fields.Integer('WKR year', compute='_compute_nmbrs_wkr', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_work_cost_ids = fields.Many2many(
        'nmbrs.work.cost', string='WKR balance', compute='_compute_nmbrs_wkr',
        groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_wkr_needs_consent = fields.Boolean(
        'WKR needs a REST consent', compute='_compute_nmbrs_wkr', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_wkr_fetched_at = fields.Datetime(
        'WKR figures fetched on', compute='_compute_nmbrs_wkr', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_wkr_error = fields.Char('WKR problem', compute='_compute_nmbrs_wkr', groups='nmbrs_connector.group_nmbrs_user')

    @api.depends('nmbrs_company_id', 'nmbrs_company_guid')
    @api.depends_context('company')
    def _compute_nmbrs_wkr(self):
        """The figures of the latest year fetched, per period (the list sums the year)."""
        links = self._nmbrs_links()
        this_year = fields.Date.context_today(self).year
        for partner in self:
            link = links.get(partner.id)
            costs = self.env['nmbrs.work.cost'].search([('link_id', '=', link.id)]) if link else []
            year = max(costs.mapped('year')) if costs else this_year
            partner.nmbrs_wkr_year = year
            partner.nmbrs_work_cost_ids = costs.filtered(lambda cost: cost.year == year) if costs else False
            partner.nmbrs_wkr_needs_consent = bool(
                link and (link.nmbrs_company_id or link.nmbrs_company_guid) and not link._nmbrs_consent())
            partner.nmbrs_wkr_fetched_at = link.nmbrs_wkr_fetched_at if link else False
            partner.nmbrs_wkr_error = link.nmbrs_wkr_error if link else False

    def action_nmbrs_refresh_work_costs(self):
        return self.env['nmbrs.work.cost'].action_nmbrs_refresh()

    def action_nmbrs_work_costs(self):
        """Every year's WKR figures of this relation."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('nmbrs_connector.action_nmbrs_work_costs')
        action['domain'] = [('partner_id', '=', self.id)]
        action['context'] = {'group_by': ['year']}
        return action

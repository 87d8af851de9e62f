from odoo import api, fields, models

from ..nmbrs import errors


class ResPartner(models.Model):
    """The WKR balance of a relation linked to a Nmbrs company, on its Nmbrs tab."""
    _inherit = 'res.partner'

    nmbrs_work_cost_ids = fields.One2many(
        'nmbrs.work.cost', 'partner_id', 'WKR per period', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_has_work_costs = fields.Boolean(
        'Nmbrs has WKR figures', compute='_compute_nmbrs_has_work_costs', groups='nmbrs_connector.group_nmbrs_user')

    @api.depends_context('company')
    def _compute_nmbrs_has_work_costs(self):
        # The connection's protocol decides, not the relation: only REST has the figures.
        has_work_costs = self.env.company._nmbrs_has_work_costs()
        for partner in self:
            partner.nmbrs_has_work_costs = has_work_costs


class ResCompany(models.Model):
    _inherit = 'res.company'

    def _nmbrs_has_work_costs(self):
        self.ensure_one()
        if self.nmbrs_state != 'connected':
            return False
        try:
            with self._nmbrs_client() as client:
                return client.has_work_costs
        except errors.NmbrsError:
            return False  # e.g. no address for 'Other address': the settings say what to fix

    @api.model
    def _cron_nmbrs_fetch_work_costs(self):
        """Fetch this year's WKR figures of every linked relation, for the companies whose connection has them."""
        cron = self.env['ir.cron']
        due = [(company, company._nmbrs_linked_relations())
               for company in self.search([('nmbrs_state', '=', 'connected')]) if company._nmbrs_has_work_costs()]
        cron._commit_progress(remaining=sum(len(partners) for _company, partners in due))
        for company, partners in due:
            with company._nmbrs_client() as client:
                for partner in partners:
                    try:
                        company._nmbrs_fetch_work_costs(
                            partner, fields.Date.today().year, client, partner.nmbrs_company_id)
                    except Exception as error:  # noqa: BLE001 - one relation must never stop the others
                        self.env.cr.rollback()
                        company._nmbrs_log_error(error, 'WKR fetch', partner)
                    if not cron._commit_progress(1):
                        return

    def _nmbrs_fetch_work_costs(self, partner, year, client, nmbrs_company_ref):
        """Store the WKR figures of ``partner`` for ``year`` as ``client`` gives them for that Nmbrs company."""
        self.ensure_one()
        Cost = self.env['nmbrs.work.cost'].sudo()
        stored = {cost.period: cost for cost in Cost.search([
            ('company_id', '=', self.id), ('partner_id', '=', partner.id), ('year', '=', year)])}
        now = fields.Datetime.now()
        for figures in client.work_costs(nmbrs_company_ref, year):
            values = {
                'fiscal_wage': figures.fiscal_wage or 0, 'free_space': figures.work_cost_available or 0,
                'used': (figures.work_cost_payroll or 0) + (figures.work_cost_financial or 0),
                'final_levy': figures.work_cost_to_pay or 0, 'fetched_on': now}
            if figures.period in stored:
                stored[figures.period].write(values)
            else:
                Cost.create({'company_id': self.id, 'partner_id': partner.id, 'year': figures.year,
                             'period': figures.period, **values})

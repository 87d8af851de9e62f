import logging

from odoo import api, fields, models

from ..nmbrs.errors import NmbrsError

_logger = logging.getLogger(__name__)

# Nmbrs settles the scheme over the year: in January the past year's final levy is still news.
YEARS_FETCHED = 2


class NmbrsWorkCost(models.Model):
    """The work-related costs scheme (werkkostenregeling, WKR) of one linked Nmbrs company and period, as Nmbrs
    computes it; fetched in the background (cron), shown on the relation and in the office's list."""
    _name = 'nmbrs.work.cost'
    _description = 'Nmbrs WKR balance per period'
    _order = 'year desc, partner_id, period'
    _rec_name = 'partner_id'

    link_id = fields.Many2one('nmbrs.link', 'Link', required=True, index=True, ondelete='cascade', readonly=True)
    company_id = fields.Many2one(related='link_id.company_id', store=True, index=True)
    partner_id = fields.Many2one(related='link_id.partner_id', store=True, index=True, string='Relation')
    currency_id = fields.Many2one(related='company_id.currency_id')
    year = fields.Integer('Year', required=True, readonly=True, aggregator=False)
    period = fields.Integer('Period', required=True, readonly=True, aggregator=False)
    fiscal_wage = fields.Monetary('Fiscal wage', readonly=True)
    work_cost_available = fields.Monetary(
        'Free space', readonly=True, help="The free space (vrije ruimte): what may be spent without final levy.")
    work_cost_payroll = fields.Monetary('Used in payroll', readonly=True)
    work_cost_financial = fields.Monetary('Used in the books', readonly=True)
    work_cost_used = fields.Monetary('Used', compute='_compute_balance', store=True)
    work_cost_remaining = fields.Monetary(
        'Free space left', compute='_compute_balance', store=True,
        help="The free space minus what was used; below zero, the excess bears the final levy.")
    work_cost_to_pay = fields.Monetary(
        'Final levy', readonly=True, help="The final levy (eindheffing) to pay on what exceeds the free space.")

    _period_once = models.Constraint('UNIQUE(link_id, year, period)', "A period's WKR figures are stored once.")

    @api.depends('work_cost_available', 'work_cost_payroll', 'work_cost_financial')
    def _compute_balance(self):
        for cost in self:
            cost.work_cost_used = cost.work_cost_payroll + cost.work_cost_financial
            cost.work_cost_remaining = cost.work_cost_available - cost.work_cost_used

    @api.model
    def action_nmbrs_refresh(self):
        """Start the background fetch of the WKR figures and say so."""
        self.env['res.partner']._nmbrs_check_sync_allowed()
        self.env.ref('nmbrs_connector.ir_cron_nmbrs_work_costs').sudo()._trigger()
        return self.env.company._nmbrs_notification(True, self.env._(
            "Fetching the WKR figures from Nmbrs has started; they show here within a few minutes."))

    @api.model
    def _cron_nmbrs_work_costs(self):
        """Fetch the figures of every connected company's linked Nmbrs companies, committed per company."""
        companies = self.env['res.company'].search([('nmbrs_state', '=', 'connected')])
        self.env['ir.cron']._commit_progress(remaining=len(companies))
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self._nmbrs_fetch_company(company)
            except Exception as error:  # noqa: BLE001 - one company's failure never stops the others
                company._nmbrs_log_error(error, 'WKR figures')
            if not self.env['ir.cron']._commit_progress(1):
                break

    @api.model
    def _nmbrs_fetch_company(self, company):
        """Fetch the figures of the company's linked Nmbrs companies; one that fails keeps its old figures."""
        links = self.env['nmbrs.link'].search([('company_id', '=', company.id), '|', ('nmbrs_company_id', '!=', 0),
                                               ('nmbrs_company_guid', '!=', False)])
        for consent, consent_links in links._nmbrs_by_consent().items():
            self._nmbrs_fetch(company, consent, consent_links)

    @api.model
    def _nmbrs_fetch(self, company, consent, links):
        """Fetch and store the figures of ``links``; over ``consent`` (a REST consent) or, without one, the
        company's client, which has no WKR figures: then nothing is asked and the relations show why."""
        this_year = fields.Date.context_today(self).year
        client = company._nmbrs_client_over(consent)
        with client:
            if not client.has_work_costs:
                return
            # A link paired with its REST company has its id; the others are looked up by number.
            rest_ids = {}
            if links.filtered(lambda link: not link.nmbrs_company_guid):
                try:
                    rest_ids = {nmbrs_company.number: nmbrs_company.id for nmbrs_company in client.companies()}
                except NmbrsError as error:
                    company._nmbrs_log_error(error, 'WKR companies', consent)
                    links.write({'nmbrs_wkr_error': company._nmbrs_in_stored_lang()._nmbrs_error_message(error)})
                    return
            for link in links:
                try:
                    with self.env.cr.savepoint():
                        link._nmbrs_fetch_work_costs(client, link.nmbrs_company_guid
                                                     or rest_ids.get(link.nmbrs_company_number),
                                                     range(this_year - YEARS_FETCHED + 1, this_year + 1))
                except Exception as error:  # noqa: BLE001 - one relation's failure never stops the others
                    company._nmbrs_log_error(error, 'WKR figures', link.partner_id)


class NmbrsLink(models.Model):
    _inherit = 'nmbrs.link'

    nmbrs_wkr_fetched_at = fields.Datetime('WKR figures fetched on', readonly=True)
    nmbrs_wkr_error = fields.Char('WKR problem', readonly=True)

    def _nmbrs_fetch_work_costs(self, client, rest_company_id, years):
        """Replace this link's stored figures of ``years`` by Nmbrs's; on an error keep the old ones and say why."""
        self.ensure_one()
        company = self.company_id
        if not rest_company_id:
            self.nmbrs_wkr_error = self.env._(
                "The consent does not cover Nmbrs company %(number)s: give consent with a login of its debtor.",
                number=self.nmbrs_company_number)
            return
        try:
            costs = [cost for year in years for cost in client.work_costs(rest_company_id, year)]
        except NmbrsError as error:
            company._nmbrs_log_error(error, 'WKR figures', self.partner_id)
            self.nmbrs_wkr_error = company._nmbrs_in_stored_lang()._nmbrs_error_message(error)
            return
        WorkCost = self.env['nmbrs.work.cost'].sudo()
        WorkCost.search([('link_id', '=', self.id), ('year', 'in', list(years))]).unlink()
        WorkCost.create([{
            'link_id': self.id, 'year': cost.year, 'period': cost.period,
            **{field: float(getattr(cost, field) or 0) for field in (
                'fiscal_wage', 'work_cost_available', 'work_cost_payroll', 'work_cost_financial',
                'work_cost_to_pay')},
        } for cost in costs])
        self.write({'nmbrs_wkr_fetched_at': fields.Datetime.now(), 'nmbrs_wkr_error': False})

import logging

from odoo import api, fields, models

from ..nmbrs.errors import NmbrsError

_logger = logging.getLogger(__name__)


class ResCompany(models.Model):
    """The relation sync of a whole Odoo company, by hand or by the scheduled action."""
    _inherit = 'res.company'

    nmbrs_relation_sync_date = fields.Datetime('Last relation sync', copy=False, readonly=True)

    def _nmbrs_companies_with_debtors(self, client):
        """Every Nmbrs company the connection sees, with its debtor: a list of (company, debtor)."""
        return [(company, debtor)
                for debtor in client.debtors()
                for company in client.companies_by_debtor(debtor.id)]

    def _nmbrs_sync_relations(self):
        """Sync this company's relations in its sync direction.

        Incoming: create or update relations from Nmbrs. Outgoing: send every
        linked relation to Nmbrs. Raises NmbrsError when Nmbrs cannot be used at all.
        """
        self.ensure_one()
        partners = self.env['res.partner'].with_company(self)
        if self.nmbrs_sync_direction == 'incoming':
            with self._nmbrs_client() as client:
                partners._nmbrs_import_relations(client)
        else:
            partners.search([('nmbrs_linked', '=', True)])._nmbrs_push_to_nmbrs()
        self.nmbrs_relation_sync_date = fields.Datetime.now()

    @api.model
    def _cron_nmbrs_sync_relations(self):
        """Scheduled relation sync of every connected company; one company's failure never stops the others."""
        companies = self.search([('nmbrs_state', '=', 'connected')], order='nmbrs_relation_sync_date asc nulls first')
        cron = self.env['ir.cron']
        cron._commit_progress(remaining=len(companies))
        for company in companies:
            company = company.with_company(company)
            try:
                company._nmbrs_sync_relations()
            except NmbrsError as error:
                self.env.cr.rollback()
                _logger.info('Nmbrs relation sync of company %s failed: %s', company.id, error.detail or error)
                company._nmbrs_report_failure(
                    company.partner_id, 'company_sync', company._nmbrs_error_message(error))
                company.nmbrs_relation_sync_date = fields.Datetime.now()
            else:
                company._nmbrs_resolve_failure(company.partner_id, 'company_sync')
            if not cron._commit_progress(1):
                break

from odoo import fields, models

from ..nmbrs.errors import NmbrsError
from .res_company_errors import CONNECTION_ERRORS


class ResPartner(models.Model):
    """The outcome of a relation's last Nmbrs sync, and the To-Do when it failed."""
    _inherit = 'res.partner'

    def _nmbrs_mark_synced(self):
        company = self.env.company
        self.with_context(nmbrs_no_push=True).write({
            'nmbrs_last_sync': fields.Datetime.now(), 'nmbrs_sync_state': 'ok', 'nmbrs_sync_error': False})
        for partner in self:
            company._nmbrs_resolve_failure(partner, 'relation_sync')

    def _nmbrs_mark_sync_failed(self, error):
        """Keep the error on the relation and give the responsible user one To-Do about it.

        A failure every relation would meet (e.g. a refused login) is one To-Do on the company instead.
        An unexpected error's own text stays in the server log: every contact reader sees the relation.
        """
        company = self.env.company._nmbrs_in_stored_lang()
        if isinstance(error, NmbrsError):  # an unexpected error is logged with its traceback where it is caught
            company._nmbrs_log_error(error, 'relation sync', self[:1])
        message = company._nmbrs_error_message(error)
        self.with_context(nmbrs_no_push=True).write({'nmbrs_sync_state': 'error', 'nmbrs_sync_error': message})
        if isinstance(error, CONNECTION_ERRORS):
            company._nmbrs_report_failure(company.partner_id, 'connection', message)
            return
        for partner in self:
            company._nmbrs_report_failure(partner, 'relation_sync', message)

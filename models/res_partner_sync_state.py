from odoo import fields, models

from ..nmbrs.errors import NmbrsError


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

        An unexpected error's own text stays in the server log: every contact reader sees the relation.
        """
        company = self.env.company
        stored = company.with_context(lang=company._nmbrs_stored_lang())
        if isinstance(error, NmbrsError):
            message = stored._nmbrs_error_message(error)
        else:
            message = stored.env._("The relation could not be sent to Nmbrs because of an unexpected error. "
                                   "The next sync tries again; if this persists, contact your Odoo partner.")
        self.with_context(nmbrs_no_push=True).write({'nmbrs_sync_state': 'error', 'nmbrs_sync_error': message})
        for partner in self:
            company._nmbrs_report_failure(partner, 'relation_sync', message)

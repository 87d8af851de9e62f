from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..nmbrs.errors import NmbrsError
from . import counted_words
from .res_company_connection import SOFT_RELOAD


class ResPartner(models.Model):
    """Linking a relation to Nmbrs, and the Nmbrs buttons of the relation form."""
    _inherit = 'res.partner'

    def _nmbrs_link_company(self, nmbrs_company, debtor):
        """Link this company relation to a Nmbrs company and its debtor (ids: GUIDs over REST, integers over SOAP)."""
        self.ensure_one()
        rest = isinstance(nmbrs_company.id, str)
        self.with_context(nmbrs_no_push=True).write({
            'nmbrs_company_guid' if rest else 'nmbrs_company_id': nmbrs_company.id,
            'nmbrs_company_number': nmbrs_company.number,
            'nmbrs_debtor_guid' if rest else 'nmbrs_debtor_id': debtor.id,
            'nmbrs_debtor_number': debtor.number,
        })

    def _nmbrs_link_employee(self, employee):
        """Link this person to a Nmbrs employee (its id: a GUID over REST, an integer over SOAP)."""
        self.ensure_one()
        self.with_context(nmbrs_no_push=True).write({
            'nmbrs_employee_guid' if isinstance(employee.id, str) else 'nmbrs_employee_id': employee.id,
            'nmbrs_employee_number': employee.number,
        })

    def _nmbrs_linked_records(self):
        """Those of these relations linked to a Nmbrs company or employee, over either protocol."""
        return self.filtered(lambda partner: partner.nmbrs_company_id or partner.nmbrs_employee_id
                             or partner.nmbrs_company_guid or partner.nmbrs_employee_guid)

    @api.model
    def _nmbrs_check_sync_allowed(self):
        """Only Nmbrs administrators link and sync, and only with a connected company: return it."""
        if not self.env.user.has_group('nmbrs_connector.group_nmbrs_manager'):
            raise AccessError(self.env._("Only Nmbrs administrators may link relations or sync with Nmbrs."))
        company = self.env.company
        if company.nmbrs_state != 'connected':
            raise UserError(self.env._(
                "%(company)s is not connected to Nmbrs. Connect it in Settings > Nmbrs first.",
                company=company.name))
        return company

    def action_nmbrs_link(self):
        """Open the link wizard with its proposals for these relations."""
        wizard = self.env['nmbrs.link.wizard']._nmbrs_create_for(self)
        action = self.env['ir.actions.act_window']._for_xml_id('nmbrs_connector.action_nmbrs_link_wizard')
        action['res_id'] = wizard.id
        return action

    def action_nmbrs_sync_now(self):
        """Sync these relations in the company's direction, then import their payroll documents.

        One relation is synced at once; several go to the background (the
        relation sync's scheduled action), which reports in the user's inbox.
        """
        company = self._nmbrs_check_sync_allowed()
        linked = self._nmbrs_linked_records()
        if len(linked) > 1:
            self.env['nmbrs.sync.request']._nmbrs_start(company, 'relations', linked)
            return company._nmbrs_notification(True, self.env._(
                "The sync of %(relations)s started in the background. You get a message in your inbox when "
                "it is done.", relations=counted_words.relations(self.env, len(linked))))
        if company.nmbrs_sync_direction == 'incoming':
            for consent, relations in company._nmbrs_routes(linked):
                try:
                    with company._nmbrs_client_over(consent) as client:
                        relations._nmbrs_refresh_from_nmbrs(client)
                except NmbrsError as error:
                    relations._nmbrs_mark_sync_failed(error)
                else:
                    relations._nmbrs_mark_synced()
        else:
            # Pressing Sync now is the check that releases a relation held for a portal or website change.
            linked._nmbrs_push_to_nmbrs(release_held=True)
        outcomes = self._nmbrs_import_documents()
        failed = linked.filtered(lambda partner: partner.nmbrs_sync_state == 'error')
        if failed:
            # The reload shows the failure on the relation's Nmbrs tab at once.
            return company._nmbrs_notification(False, failed[0].nmbrs_sync_error, next_action=SOFT_RELOAD)
        # A soft reload shows the new documents in the smart button at once.
        return company._nmbrs_notification(*self._nmbrs_import_summary(outcomes), next_action=SOFT_RELOAD)

    def action_nmbrs_annual_documents(self):
        result = self.env['ir.actions.actions']._for_xml_id('nmbrs_connector.action_nmbrs_annual_documents_wizard')
        result['context'] = {'active_model': 'res.partner', 'active_ids': self.ids}
        return result

import dataclasses

from odoo import models

from ..nmbrs.errors import NmbrsError
from ..nmbrs.records import Address
from .nmbrs_relation_values import (
    EMPLOYEE_EMAIL_FIELDS,
    EMPLOYEE_PHONE_FIELDS,
    PUSHED_PARTNER_FIELDS,
    first_filled,
    person_name,
    split_person_name,
    split_street_line,
)

DIRECT_PUSH_KEY = 'nmbrs_connector.direct_push'


class ResPartner(models.Model):
    """Outgoing relation sync: Odoo leads, linked relations are sent to Nmbrs.

    Nmbrs has no call to change a company's name, phone or e-mail, so a company
    sends its address (and, as sole relation of its debtor, the debtor's name);
    an employee sends name, e-mail and phone. An employee's address is not sent:
    in Odoo a contact shows its company's address, not the employee's home.
    """
    _inherit = 'res.partner'

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get('nmbrs_no_push') and not vals.keys().isdisjoint(PUSHED_PARTNER_FIELDS):
            self._nmbrs_queue_direct_push()
        return result

    def _nmbrs_queue_direct_push(self):
        """With direct sync, send these relations to Nmbrs once the user's save is committed.

        The push runs after the commit, in its own transaction: a slow or failing
        Nmbrs never blocks or undoes the save; a failure becomes a To-Do.
        """
        companies = self.env['res.company'].sudo().search([
            ('nmbrs_state', '=', 'connected'), ('nmbrs_sync_direction', '=', 'outgoing'),
            ('nmbrs_direct_sync', '=', True)])
        postcommit = self.env.cr.postcommit
        pending = postcommit.data.setdefault(DIRECT_PUSH_KEY, {})
        already_registered = bool(pending)
        for company in companies:
            linked = self.sudo().with_company(company).filtered('nmbrs_linked')
            if linked:
                pending.setdefault(company.id, set()).update(linked.ids)
        if already_registered or not pending:
            return

        @postcommit.add
        def push_to_nmbrs():
            with self.env.registry.cursor() as cr:
                env = self.env(cr=cr, su=True)
                for company_id, partner_ids in pending.items():
                    company = env['res.company'].browse(company_id)
                    env['res.partner'].with_company(company).browse(partner_ids).exists()._nmbrs_push_to_nmbrs()
                pending.clear()

    def _nmbrs_push_to_nmbrs(self):
        """Send these linked relations to the Nmbrs of the current company; failures become To-Dos."""
        linked = self.filtered(lambda partner: partner.nmbrs_company_id or partner.nmbrs_employee_id)
        if not linked:
            return
        with self.env.company._nmbrs_client() as client:
            for partner in linked:
                try:
                    if partner.nmbrs_company_id:
                        partner._nmbrs_push_company(client)
                    else:
                        partner._nmbrs_push_employee(client)
                except NmbrsError as error:
                    partner._nmbrs_mark_sync_failed(error)
                else:
                    partner._nmbrs_mark_synced()

    def _nmbrs_push_company(self, client):
        self.ensure_one()
        current = client.company_address(self.nmbrs_company_id) or Address(default=True)
        address = dataclasses.replace(
            current, **split_street_line(self.street), postal_code=self.zip or None, city=self.city or None,
            country_iso_code=self.country_id.code or current.country_iso_code,
            state_province=self.state_id.name or current.state_province)
        if address != current:
            client.update_company_address(self.nmbrs_company_id, address)
        if self.nmbrs_debtor_id and self._nmbrs_is_sole_relation_of_debtor():
            debtor = client.debtor(self.nmbrs_debtor_id)
            if debtor and debtor.name != self.name:
                client.update_debtor(dataclasses.replace(debtor, name=self.name))

    def _nmbrs_is_sole_relation_of_debtor(self):
        """A debtor with several companies is named after none of their relations."""
        return self.search_count([('nmbrs_debtor_id', '=', self.nmbrs_debtor_id)], limit=2) == 1

    def _nmbrs_push_employee(self, client):
        self.ensure_one()
        info = client.personal_info(self.nmbrs_employee_id)
        if info is None:
            return
        changes = {}
        if self.name and self.name != person_name(info):
            changes['first_name'], changes['prefix'], changes['last_name'] = split_person_name(self.name)
        # Write back into the field the value came from, else the first one.
        email_field = first_filled(info, EMPLOYEE_EMAIL_FIELDS) or EMPLOYEE_EMAIL_FIELDS[0]
        phone_field = first_filled(info, EMPLOYEE_PHONE_FIELDS) or EMPLOYEE_PHONE_FIELDS[0]
        changes[email_field] = self.email or None
        changes[phone_field] = self.phone or None
        updated = dataclasses.replace(info, **changes)
        if updated != info:
            client.update_personal_info(self.nmbrs_employee_id, updated)

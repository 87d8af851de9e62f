import dataclasses
import logging

from markupsafe import Markup

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

_logger = logging.getLogger(__name__)

# The Odoo fields behind each part of a Nmbrs company address.
ADDRESS_PARTS = {
    'street': ('street', 'house_number', 'house_number_addition'), 'zip': ('postal_code',), 'city': ('city',),
    'country_id': ('country_iso_code',), 'state_id': ('state_province',),
}


class ResPartner(models.Model):
    """Outgoing relation sync: Odoo leads, linked relations are sent to Nmbrs.

    Nmbrs has no call to change a company's name, phone or e-mail, so a company
    sends its address (and, as sole relation of its debtor, the debtor's name);
    an employee sends name, work e-mail and work phone. An employee's address is
    not sent: in Odoo a contact shows its company's address, not the employee's home.

    Only internal users' changes go to Nmbrs. A change by a portal user or a
    website visitor (e.g. a portal user editing their own details) holds the
    relation back until a Nmbrs administrator checks it and presses Sync now.
    """
    _inherit = 'res.partner'

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get('nmbrs_no_push') and not vals.keys().isdisjoint(PUSHED_PARTNER_FIELDS):
            self._nmbrs_changed()
        return result

    def _nmbrs_changed(self):
        """Queue these relations for Nmbrs (direct sync), or hold them when the change is not an internal user's."""
        companies = self.env['res.company'].sudo().search([
            ('nmbrs_state', '=', 'connected'), ('nmbrs_sync_direction', '=', 'outgoing')])
        # Under sudo (portal pages, website forms) env.user still is the portal or public user.
        internal = self.env.user._is_internal()
        for company in companies:
            linked = self.sudo().with_company(company).filtered('nmbrs_linked')
            if not linked:
                continue
            if not internal:
                linked._nmbrs_hold(self.env.user)
            elif company.nmbrs_direct_sync:
                self.env['nmbrs.push']._nmbrs_queue(company, linked)

    def _nmbrs_hold(self, user):
        """Keep these relations from Nmbrs until someone checks the change ``user`` made outside the back office."""
        company = self.env.company
        message = self.with_context(lang=company._nmbrs_stored_lang()).env._(
            "%(user)s changed this relation through the portal or a website form: the change is not sent to "
            "Nmbrs. Check it, then press Sync now to send it.", user=user.name)
        self.with_context(nmbrs_no_push=True).write({'nmbrs_sync_state': 'held', 'nmbrs_sync_error': message})
        for partner in self:
            partner.message_post(body=Markup('<p>%s</p>') % message, subtype_xmlid='mail.mt_note')
            company._nmbrs_report_failure(partner, 'relation_sync', message)

    def _nmbrs_push_to_nmbrs(self, release_held=False, after_each=None):
        """Send these linked relations to the Nmbrs of the current company; failures become To-Dos.

        What was sent is noted in the relation's chatter, with the users whose
        queued changes it carries. Relations held for a portal or website change
        are left out unless ``release_held``. ``after_each()`` is called after
        each relation (e.g. to commit); when it returns False the rest waits and
        this returns True.
        """
        company = self.env.company
        queued = self.env['nmbrs.push'].sudo().search(
            [('company_id', '=', company.id), ('partner_id', 'in', self.ids)])
        linked = self.filtered(lambda partner: partner.nmbrs_company_id or partner.nmbrs_employee_id)
        if not release_held:
            linked = linked.filtered(lambda partner: partner.nmbrs_sync_state != 'held')
        # A relation that is no longer linked has nothing to send; a held one keeps its queued changes.
        queued.filtered(lambda push: not (push.partner_id.nmbrs_company_id or push.partner_id.nmbrs_employee_id)
                        ).unlink()
        if not linked:
            return False
        with company._nmbrs_client() as client:
            for partner in linked:
                pushes = queued.filtered(lambda push: push.partner_id == partner)
                partner._nmbrs_push_one(client, pushes.user_ids)
                pushes.unlink()
                if after_each and not after_each():
                    return True
        return False

    def _nmbrs_push_one(self, client, authors):
        """Send this relation, note what was sent and by whose change; one relation's failure stops only it."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                sent = self._nmbrs_push_company(client) if self.nmbrs_company_id else self._nmbrs_push_employee(client)
        except NmbrsError as error:
            self._nmbrs_mark_sync_failed(error)
            return
        except Exception as error:  # noqa: BLE001 - one relation must never stop the others
            _logger.exception('Sending partner %s to Nmbrs failed', self.id)
            self._nmbrs_mark_sync_failed(error)
            return
        self._nmbrs_mark_synced()
        if sent:
            self._nmbrs_note_sent(sent, authors)

    def _nmbrs_note_sent(self, field_names, authors):
        """Note in the chatter which fields went to Nmbrs (not their values) and whose change they carry."""
        env = self.with_context(lang=self.env.company._nmbrs_stored_lang()).env
        labels = ', '.join(self._fields[name]._description_string(env) for name in field_names)
        if authors:
            body = env._("Sent to Nmbrs: %(fields)s. Changed by %(users)s.",
                         fields=labels, users=', '.join(authors.mapped('name')))
        else:
            body = env._("Sent to Nmbrs: %(fields)s.", fields=labels)
        self.message_post(body=Markup('<p>%s</p>') % body, subtype_xmlid='mail.mt_note')

    def _nmbrs_push_company(self, client):
        """Send the address (and the debtor's name); returns the Odoo fields whose values were sent."""
        self.ensure_one()
        sent = []
        current = client.company_address(self.nmbrs_company_id) or Address(default=True)
        address = dataclasses.replace(
            current, **split_street_line(self.street), postal_code=self.zip or None, city=self.city or None,
            country_iso_code=self.country_id.code or current.country_iso_code,
            state_province=self.state_id.name or current.state_province)
        if address != current:
            client.update_company_address(self.nmbrs_company_id, address)
            sent += [name for name, parts in ADDRESS_PARTS.items()
                     if any(getattr(address, part) != getattr(current, part) for part in parts)]
        if self.nmbrs_debtor_id and self._nmbrs_is_sole_relation_of_debtor():
            debtor = client.debtor(self.nmbrs_debtor_id)
            if debtor and debtor.name != self.name:
                client.update_debtor(dataclasses.replace(debtor, name=self.name))
                sent.append('name')
        return sent

    def _nmbrs_is_sole_relation_of_debtor(self):
        """A debtor with several companies is named after none of their relations."""
        return self.search_count([('nmbrs_debtor_id', '=', self.nmbrs_debtor_id)], limit=2) == 1

    def _nmbrs_push_employee(self, client):
        """Send name, work e-mail and work phone; returns the Odoo fields whose values were sent."""
        self.ensure_one()
        info = client.personal_info(self.nmbrs_employee_id)
        if info is None:
            return []
        changes, sent = {}, []
        if self.name and self.name != person_name(info):
            changes['first_name'], changes['prefix'], changes['last_name'] = split_person_name(self.name)
            sent.append('name')
        # Write back into the field the value came from, else the first one.
        for name, info_fields in (('email', EMPLOYEE_EMAIL_FIELDS), ('phone', EMPLOYEE_PHONE_FIELDS)):
            info_field = first_filled(info, info_fields) or info_fields[0]
            if (self[name] or None) != getattr(info, info_field):
                changes[info_field] = self[name] or None
                sent.append(name)
        if changes:
            client.update_personal_info(self.nmbrs_employee_id, dataclasses.replace(info, **changes))
        return sent

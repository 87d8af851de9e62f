import dataclasses
import logging

from markupsafe import Markup

from odoo import models

from ..nmbrs.errors import NmbrsError
from ..nmbrs.records import Address
from .res_company_errors import NmbrsNoRoute
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
        linked = self._nmbrs_linked_records()
        if not release_held:
            linked = linked.filtered(lambda partner: partner.nmbrs_sync_state != 'held')
        # A relation that is no longer linked has nothing to send; a held one keeps its queued changes.
        unlinked = queued.filtered(lambda push: not push.partner_id._nmbrs_linked_records())
        unlinked.unlink()
        if not linked:
            return False
        # Read before anything is sent: each commit may forget what the cache knew of deleted entries.
        pushes_of = {partner: (queued - unlinked).filtered(lambda push: push.partner_id == partner)
                     for partner in linked}
        for consent, relations in company._nmbrs_routes(linked):
            try:
                client = company._nmbrs_client_over(consent)
            except NmbrsNoRoute as error:
                # A REST-only company without this debtor's consent: nothing can send it, each says why.
                relations._nmbrs_mark_sync_failed(error)
                continue
            with client:
                for partner in relations:
                    partner._nmbrs_push_one(client, pushes_of[partner].user_ids)
                    pushes_of[partner].unlink()
                    if after_each and not after_each():
                        return True
        return False

    def _nmbrs_push_over(self, client):
        """Send this relation over ``client`` (the company's relation sync), with the users its queued changes carry."""
        self.ensure_one()
        pushes = self.env['nmbrs.push'].sudo().search(
            [('company_id', '=', self.env.company.id), ('partner_id', '=', self.id)])
        self._nmbrs_push_one(client, pushes.user_ids)
        pushes.unlink()

    def _nmbrs_push_one(self, client, authors):
        """Send this relation, note what was sent and by whose change; one relation's failure stops only it."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                sent = (self._nmbrs_push_company(client) if self._nmbrs_company_ref(client)
                        else self._nmbrs_push_employee(client))
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
        """Send the address (and the debtor's name); returns the Odoo fields whose values were sent.

        What the protocol cannot change (over REST: the address and the
        debtor's name) is not sent; a note says so.
        """
        self.ensure_one()
        sent, not_sent = [], []
        company_ref = self._nmbrs_company_ref(client)
        current = client.company_address(company_ref) or Address(default=True)
        address = dataclasses.replace(
            current, **split_street_line(self.street), postal_code=self.zip or None, city=self.city or None,
            country_iso_code=self.country_id.code or current.country_iso_code,
            state_province=self.state_id.name or current.state_province)
        if address != current:
            changed = [name for name, parts in ADDRESS_PARTS.items()
                       if any(getattr(address, part) != getattr(current, part) for part in parts)]
            if client.can_update_company_address:
                client.update_company_address(company_ref, address)
                sent += changed
            else:
                not_sent += changed
        debtor_ref = self.nmbrs_debtor_guid if client.protocol == 'rest' else self.nmbrs_debtor_id
        if debtor_ref and self._nmbrs_is_sole_relation_of_debtor(client):
            debtor = client.debtor(debtor_ref)
            if debtor and debtor.name != self.name:
                if client.can_update_debtor:
                    client.update_debtor(dataclasses.replace(debtor, name=self.name))
                    sent.append('name')
                else:
                    not_sent.append('name')
        if not_sent:
            self._nmbrs_note_not_sent(not_sent)
        return sent

    def _nmbrs_note_not_sent(self, field_names):
        """Say in the chatter which changes Nmbrs does not take over its REST API; once, not on every sync."""
        env = self.with_context(lang=self.env.company._nmbrs_stored_lang()).env
        body = env._("Not sent to Nmbrs: %(fields)s. Nmbrs does not let other software change a company's address "
                     "or a debtor's name over its REST API: change them in Nmbrs itself.",
                     fields=', '.join(self._fields[name]._description_string(env) for name in field_names))
        last_note = self.env['mail.message'].sudo().search([
            ('model', '=', self._name), ('res_id', '=', self.id),
            ('subtype_id', '=', self.env.ref('mail.mt_note').id)], order='id desc', limit=1)
        if Markup(last_note.body or '').striptags() != body:
            self.message_post(body=Markup('<p>%s</p>') % body, subtype_xmlid='mail.mt_note')

    def _nmbrs_is_sole_relation_of_debtor(self, client):
        """A debtor with several companies is named after none of their relations."""
        field = 'nmbrs_debtor_guid' if client.protocol == 'rest' else 'nmbrs_debtor_id'
        return self.search_count([(field, '=', self[field])], limit=2) == 1

    def _nmbrs_push_employee(self, client):
        """Send name, work e-mail and work phone; returns the Odoo fields whose values were sent."""
        self.ensure_one()
        employee_ref = self._nmbrs_employee_ref(client)
        info = client.personal_info(employee_ref)
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
            client.update_personal_info(employee_ref, dataclasses.replace(info, **changes))
        return sent

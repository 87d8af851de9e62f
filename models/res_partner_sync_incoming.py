from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import escape_psql

from .nmbrs_relation_values import (
    EMPLOYEE_EMAIL_FIELDS,
    EMPLOYEE_PHONE_FIELDS,
    first_filled,
    normalize_kvk,
    person_name,
    street_line,
)
from .res_partner_employee import EmployeeRoster


class ResPartner(models.Model):
    """Incoming relation sync: Nmbrs companies and employees become (or update) relations.

    Employees become contacts of their company's relation, with their work
    e-mail and phone only: every internal user reads contacts, so private
    e-mail, private phones and the home address stay in Nmbrs (a contact shares
    its company's address in Odoo anyway).
    """
    _inherit = 'res.partner'

    @api.model
    def _nmbrs_import_company(self, client, nmbrs_company, debtor):
        """Create or update the relation of a Nmbrs company, with its employees; returns them all."""
        partner, created = self._nmbrs_company_partner(client, nmbrs_company, debtor)
        partner._nmbrs_update_from_company(client, nmbrs_company, debtor, created=created)
        employees = client.all_employees(nmbrs_company.id)
        roster = EmployeeRoster(client, nmbrs_company.id, employees=employees)
        contacts, created = partner._nmbrs_employee_contacts(
            roster, {employee.id: employee.number for employee in employees})
        synced = partner
        for employee in employees:
            contact = contacts[employee.id]
            contact._nmbrs_update_from_employee(
                employee.id, roster.personal_info(employee.id), created=contact in created)
            synced |= contact
        return synced

    def _nmbrs_refresh_from_nmbrs(self, client):
        """Update these linked relations from Nmbrs (companies and employees alike), named as ``client`` names them."""
        linked_companies = self.filtered(lambda partner: partner._nmbrs_company_ref(client))
        if linked_companies:
            found = {company.id: (company, debtor)
                     for company, debtor in self.env.company._nmbrs_companies_with_debtors(client)}
            for partner in linked_companies:
                if partner._nmbrs_company_ref(client) in found:
                    partner._nmbrs_update_from_company(client, *found[partner._nmbrs_company_ref(client)])
        for partner in (self - linked_companies).filtered(lambda partner: partner._nmbrs_employee_ref(client)):
            employee_ref = partner._nmbrs_employee_ref(client)
            partner._nmbrs_update_from_employee(employee_ref, client.personal_info(employee_ref))

    @api.model
    def _nmbrs_company_relation(self, client, nmbrs_company, debtor=None):
        """The relation linked to a Nmbrs company as ``client`` names it; else, given its ``debtor``, the one
        relation linked over the other protocol to the same company number within that debtor (both
        protocols share the numbers)."""
        id_field = 'nmbrs_company_guid' if client.protocol == 'rest' else 'nmbrs_company_id'
        partners = self.with_context(active_test=False)
        partner = partners.search([(id_field, '=', nmbrs_company.id)], limit=1)
        if partner or not (debtor and debtor.number and nmbrs_company.number):
            return partner
        paired = partners.search([(id_field, '=', False), ('nmbrs_debtor_number', '=', debtor.number),
                                  ('nmbrs_company_number', '=', nmbrs_company.number)], limit=2)
        return paired if len(paired) == 1 else partners.browse()

    @api.model
    def _nmbrs_company_partner(self, client, nmbrs_company, debtor):
        """The relation of a Nmbrs company and whether it is new.

        Found by link (see _nmbrs_company_relation), then KvK number, then exact
        name, among the unlinked relations the current Odoo company may use;
        created when none matches.
        """
        partners = self.with_context(active_test=False)
        partner = self._nmbrs_company_relation(client, nmbrs_company, debtor)
        unlinked_companies = [('is_company', '=', True), ('nmbrs_company_id', '=', False),
                              ('nmbrs_company_guid', '=', False),
                              ('company_id', 'in', [False, self.env.company.id])]
        kvk = normalize_kvk(nmbrs_company.kvk_number)
        if not partner and kvk:
            partner = partners.search(unlinked_companies + [('company_registry', '!=', False)]).filtered(
                lambda candidate: normalize_kvk(candidate.company_registry) == kvk)[:1]
        if not partner and nmbrs_company.name:
            # =ilike compares case-insensitively; escaped, % and _ in a name are plain characters.
            partner = partners.search(
                unlinked_companies + [('name', '=ilike', escape_psql(nmbrs_company.name))], limit=1)
        if partner:
            return partner, False
        return self.create({'name': nmbrs_company.name, 'is_company': True}), True

    def _nmbrs_update_from_company(self, client, nmbrs_company, debtor, created=False):
        self.ensure_one()
        values = {
            'name': nmbrs_company.name,
            'phone': nmbrs_company.phone_number,
            'email': nmbrs_company.email,
            'website': nmbrs_company.website and self._clean_website(nmbrs_company.website),
            'company_registry': nmbrs_company.kvk_number,
        }
        values.update(self._nmbrs_address_values(client.company_address(nmbrs_company.id)))
        rest = client.protocol == 'rest'
        self._nmbrs_apply_incoming(values, {
            'nmbrs_company_guid' if rest else 'nmbrs_company_id': nmbrs_company.id,
            'nmbrs_company_number': nmbrs_company.number,
            'nmbrs_debtor_guid' if rest else 'nmbrs_debtor_id': debtor.id,
            'nmbrs_debtor_number': debtor.number,
        }, created)

    def _nmbrs_update_from_employee(self, employee_id, info, created=False):
        """Take over an employee's name and work e-mail and phone from its PersonalInfo ``info``."""
        self.ensure_one()
        if info is None:
            return
        email_field = first_filled(info, EMPLOYEE_EMAIL_FIELDS)
        phone_field = first_filled(info, EMPLOYEE_PHONE_FIELDS)
        self._nmbrs_apply_incoming({
            'name': person_name(info),
            'email': email_field and getattr(info, email_field),
            'phone': phone_field and getattr(info, phone_field),
        }, {
            # A GUID over REST, an integer over SOAP.
            'nmbrs_employee_guid' if isinstance(employee_id, str) else 'nmbrs_employee_id': employee_id,
            'nmbrs_employee_number': info.employee_number or info.number,
        }, created)

    @api.model
    def _nmbrs_address_values(self, address):
        if address is None:
            return {}
        country = self.env['res.country']
        if address.country_iso_code:
            country = country.search([('code', '=ilike', address.country_iso_code)], limit=1)
        state = self.env['res.country.state']
        if country and address.state_province:
            state = state.search([('country_id', '=', country.id), ('name', '=ilike', address.state_province)],
                                 limit=1)
        return {
            'street': street_line(address),
            'zip': address.postal_code,
            'city': address.city,
            'country_id': country.id,
            'state_id': state.id,
        }

    def _nmbrs_apply_incoming(self, values, link_values, created=False):
        """Write what Nmbrs holds and note, once, which fields that changed (never their values)."""
        self.ensure_one()
        changed = {name: value or False for name, value in values.items()
                   if (value or False) != self._nmbrs_comparable_value(name)}
        self.with_context(nmbrs_no_push=True).write({
            **changed, **link_values,
            'nmbrs_last_sync': fields.Datetime.now(), 'nmbrs_sync_state': 'ok', 'nmbrs_sync_error': False,
        })
        # Stored notes speak the Odoo company's language, whoever runs the sync.
        env = self.with_context(lang=self.env.company._nmbrs_stored_lang()).env
        if created:
            body = env._("Created from Nmbrs.")
        elif changed:
            labels = ', '.join(self._fields[name]._description_string(env) for name in changed)
            body = env._("Updated from Nmbrs: %(fields)s.", fields=labels)
        else:
            return
        self.message_post(body=Markup('<p>%s</p>') % body, subtype_xmlid='mail.mt_note')

    def _nmbrs_comparable_value(self, name):
        value = self[name]
        return value.id if isinstance(value, models.BaseModel) else value

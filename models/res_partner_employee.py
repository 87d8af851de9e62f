from odoo import models

from .nmbrs_relation_values import same_email


class EmployeeRoster:
    """The employees of one Nmbrs company, as far as finding their contacts needs them.

    Each fact is asked from Nmbrs once, and only when needed: the list of
    employees for names, an employee's personal info for e-mail addresses.
    A caller that holds them already hands them in.
    """

    def __init__(self, client, nmbrs_company_id, employees=None, infos=None):
        self.client = client
        self.nmbrs_company_id = nmbrs_company_id
        self._employees = None if employees is None else {employee.id: employee for employee in employees}
        self._infos = dict(infos or {})

    def employee(self, employee_id):
        """The Employee record (number, display name), or None."""
        if self._employees is None:
            self._employees = {employee.id: employee for employee in self.client.all_employees(self.nmbrs_company_id)}
        return self._employees.get(employee_id)

    def name(self, employee_id):
        employee = self.employee(employee_id)
        return employee.display_name if employee else None

    def personal_info(self, employee_id):
        """The PersonalInfo record, or None."""
        if employee_id not in self._infos:
            self._infos[employee_id] = self.client.personal_info(employee_id)
        return self._infos[employee_id]

    def emails(self, employee_id):
        info = self.personal_info(employee_id)
        return (info.email_work, info.email_private) if info else ()


def _same_name(first, second):
    return bool(first and second) and ' '.join(first.split()).casefold() == ' '.join(second.split()).casefold()


class ResPartner(models.Model):
    """The employee contacts of a company relation: one per Nmbrs employee, however they are reached."""
    _inherit = 'res.partner'

    def _nmbrs_employee_contacts(self, roster, employee_numbers):
        """The contacts of Nmbrs employees under this company relation, and those created now.

        The one way the document import, the annual documents and the incoming
        sync find an employee's contact, so that each Nmbrs employee has one
        contact per Odoo company. ``employee_numbers``: {Nmbrs employee id:
        employee number or None}; ``roster``: an EmployeeRoster of the relation's
        Nmbrs company. A contact is found by its link in the current Odoo
        company; else an unlinked contact of this relation is taken that has the
        employee's number as reference, else its e-mail, else its name, and
        linked; else a contact is created. Returns ({employee id: contact},
        created contacts).
        """
        self.ensure_one()
        # Over REST an employee is named by its GUID; a contact linked over SOAP keeps its id and gains the GUID.
        id_field = 'nmbrs_employee_guid' if roster.client.protocol == 'rest' else 'nmbrs_employee_id'
        partners = self.with_context(active_test=False)
        found = partners.search([(id_field, 'in', list(employee_numbers))])
        contacts = {partner[id_field]: partner for partner in found}
        missing = [employee_id for employee_id in employee_numbers if employee_id not in contacts]
        if not missing:
            return contacts, partners.browse()
        numbers = {employee_id: employee_numbers[employee_id] or getattr(roster.employee(employee_id), 'number', None)
                   for employee_id in missing}
        matched = self._nmbrs_match_linked_by_number(id_field, numbers)
        matched.update(self._nmbrs_match_unlinked_contacts(
            roster, {employee_id: number for employee_id, number in numbers.items() if employee_id not in matched}))
        for employee_id, contact in matched.items():
            contact.with_context(nmbrs_no_push=True).write(
                {id_field: employee_id, 'nmbrs_employee_number': numbers[employee_id]})
        contacts.update(matched)
        new = [employee_id for employee_id in missing if employee_id not in matched]
        created = self.create([{
            'name': roster.name(employee_id) or self.env._(
                "Employee %(number)s", number=numbers[employee_id] or employee_id),
            'type': 'contact',
            'parent_id': self.id,
            id_field: employee_id,
            'nmbrs_employee_number': numbers[employee_id],
        } for employee_id in new])
        contacts.update(zip(new, created))
        return contacts, created

    def _nmbrs_match_linked_by_number(self, id_field, numbers):
        """{employee id: contact} for employees a contact of this relation is linked to by the other protocol:
        the same employee number within the company, without this protocol's id yet."""
        wanted = {number: employee_id for employee_id, number in numbers.items() if number}
        if not wanted:
            return {}
        contacts = self.with_context(active_test=False).search([
            ('parent_id', '=', self.id), ('nmbrs_employee_number', 'in', list(wanted)), (id_field, '=', False)])
        by_number = {}
        for contact in contacts:
            by_number.setdefault(contact.nmbrs_employee_number, []).append(contact)
        return {wanted[number]: found[0] for number, found in by_number.items() if len(found) == 1}

    def _nmbrs_match_unlinked_contacts(self, roster, numbers):
        """{employee id: contact} for the employees an unlinked contact of this relation stands for.

        Each contact is taken once: first every match by number, then by e-mail,
        then by name, so that a weaker match never takes a contact a stronger one needs.
        """
        company = self.env.company
        unlinked = self.with_context(active_test=False).search([
            ('parent_id', '=', self.id), ('is_company', '=', False), ('nmbrs_linked', '=', False),
            ('company_id', 'in', [False, company.id])], order='id')
        matched = {}
        if not unlinked:
            return matched
        rules = (
            lambda contact, employee_id: bool(numbers[employee_id])
            and (contact.ref or '').strip() == str(numbers[employee_id]),
            lambda contact, employee_id: bool(contact.email)
            and any(same_email(contact.email, email) for email in roster.emails(employee_id)),
            lambda contact, employee_id: _same_name(contact.name, roster.name(employee_id)),
        )
        for rule in rules:
            for employee_id in numbers:
                if employee_id in matched:
                    continue
                free = unlinked.filtered(lambda contact: contact not in matched.values())
                contact = next((contact for contact in free if rule(contact, employee_id)), None)
                if contact:
                    matched[employee_id] = contact
        return matched

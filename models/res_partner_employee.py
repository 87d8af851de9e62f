from odoo import models


class ResPartner(models.Model):
    """The employee contacts of a company relation, as payroll documents need them."""
    _inherit = 'res.partner'

    def _nmbrs_employee_partners(self, employee_numbers, names):
        """The contacts of Nmbrs employees under this company relation: {employee id: partner}.

        ``employee_numbers``: {Nmbrs employee id: employee number}. A contact is
        found by its link to the employee in the current Odoo company, else
        created under this relation; ``names()`` gives {employee id: name} and
        is only called when a contact must be created.
        """
        self.ensure_one()
        found = self.with_context(active_test=False).search([('nmbrs_employee_id', 'in', list(employee_numbers))])
        partners = {partner.nmbrs_employee_id: partner for partner in found}
        missing = [employee_id for employee_id in employee_numbers if employee_id not in partners]
        if missing:
            known_names = names()
            created = self.create([{
                'name': known_names.get(employee_id) or self.env._(
                    "Employee %(number)s", number=employee_numbers[employee_id] or employee_id),
                'type': 'contact',
                'parent_id': self.id,
                'nmbrs_employee_id': employee_id,
                'nmbrs_employee_number': employee_numbers[employee_id],
            } for employee_id in missing])
            partners.update(zip(missing, created))
        return partners

    def _nmbrs_employee_partner(self, employee_id, employee_number=None, name=None):
        """The contact of one Nmbrs employee under this company relation, found or created."""
        return self._nmbrs_employee_partners({employee_id: employee_number}, lambda: {employee_id: name})[employee_id]

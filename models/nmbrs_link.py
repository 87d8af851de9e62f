from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

# The Nmbrs records that one relation at most may hold per Odoo company.
LINKED_ONCE = {'nmbrs_company_id': _lt("Nmbrs company"), 'nmbrs_employee_id': _lt("Nmbrs employee")}


class NmbrsLink(models.Model):
    """The link of a relation to Nmbrs in one Odoo company.

    Relations are shared between Odoo companies while each company has its own
    Nmbrs, so a relation has one link per Odoo company. The links live in a
    table of their own, not in company-dependent (jsonb) fields, so that the
    database itself refuses a second relation for the same Nmbrs company or
    employee in one Odoo company, whichever worker writes it.
    """
    _name = 'nmbrs.link'
    _description = 'Link of a relation to Nmbrs'
    _rec_name = 'partner_id'

    company_id = fields.Many2one('res.company', 'Company', required=True, index=True, ondelete='cascade')
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, index=True, ondelete='cascade')
    nmbrs_debtor_id = fields.Integer('Nmbrs debtor ID')
    nmbrs_debtor_number = fields.Char('Nmbrs debtor number')
    # The REST GUIDs, set once a REST consent covers the debtor; the SOAP ids stay.
    nmbrs_debtor_guid = fields.Char('Nmbrs debtor ID (REST)')
    nmbrs_company_guid = fields.Char('Nmbrs company ID (REST)')
    nmbrs_employee_guid = fields.Char('Nmbrs employee ID (REST)')
    nmbrs_company_id = fields.Integer('Nmbrs company ID')
    nmbrs_company_number = fields.Integer('Nmbrs company number')
    nmbrs_employee_id = fields.Integer('Nmbrs employee ID')
    nmbrs_employee_number = fields.Integer('Nmbrs employee number')

    _partner_once = models.Constraint(
        'UNIQUE(company_id, partner_id)', "A relation has one link to Nmbrs per Odoo company.")
    # An empty Integer is stored as 0. A debtor may own several Nmbrs companies, so its id is not unique.
    _nmbrs_company_once = models.UniqueIndex(
        '(company_id, nmbrs_company_id) WHERE nmbrs_company_id <> 0',
        "This Nmbrs company is already linked to another relation in this Odoo company.")
    _nmbrs_employee_once = models.UniqueIndex(
        '(company_id, nmbrs_employee_id) WHERE nmbrs_employee_id <> 0',
        "This Nmbrs employee is already linked to another contact in this Odoo company.")

    _nmbrs_company_guid_once = models.UniqueIndex(
        '(company_id, nmbrs_company_guid) WHERE nmbrs_company_guid IS NOT NULL',
        "This Nmbrs company is already linked to another relation in this Odoo company.")
    _nmbrs_employee_guid_once = models.UniqueIndex(
        '(company_id, nmbrs_employee_guid) WHERE nmbrs_employee_guid IS NOT NULL',
        "This Nmbrs employee is already linked to another contact in this Odoo company.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_linked_once(vals.get('company_id'), vals)
        return super().create(vals_list)

    def write(self, vals):
        for link in self:
            link._check_linked_once(vals.get('company_id', link.company_id.id), vals)
        return super().write(vals)

    def _check_linked_once(self, company_id, vals):
        """Name the relation that holds the Nmbrs record already, before the unique indexes refuse it.

        The indexes also stop what this check cannot see, such as two workers linking at once.
        """
        for field, kind in LINKED_ONCE.items():
            if not vals.get(field):
                continue
            holder = self.sudo().search([('company_id', '=', company_id), (field, '=', vals[field]),
                                         ('id', 'not in', self.ids)], limit=1)
            if holder:
                raise ValidationError(self.env._(
                    "%(kind)s %(id)s is already linked to relation %(relation)s in %(company)s.",
                    kind=self.env._(kind), id=vals[field], relation=holder.partner_id.display_name,
                    company=holder.company_id.name))

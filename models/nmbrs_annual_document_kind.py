from odoo import fields, models

# Not a Nmbrs company document: the employees' own annual statements, fetched one per employee.
EMPLOYEE_ANNUAL_STATEMENT = 'EmployeeAnnualStatement'


class NmbrsAnnualDocumentKind(models.Model):
    """A kind of Nmbrs annual document (jaarwerk) the accountant can choose to fetch.

    Records, not a Selection, so the wizard can offer several at once and the
    names can be translated.
    """
    _name = 'nmbrs.annual.document.kind'
    _description = 'Nmbrs annual document kind'
    _order = 'sequence, id'

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, readonly=True,
        help="The Nmbrs operation suffix after SalaryDocuments_AnnualDocument_, or "
             "EmployeeAnnualStatement for the employees' annual statements.")
    sequence = fields.Integer(default=10)
    per_employee = fields.Boolean(readonly=True, help="Fetched once per employee instead of once per company.")
    default_selected = fields.Boolean('Selected by default')

    _code_uniq = models.Constraint('UNIQUE(code)', 'Each Nmbrs annual document kind exists once.')


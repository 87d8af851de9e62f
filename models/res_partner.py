from odoo import api, fields, models
from odoo.exceptions import ValidationError

NMBRS_ID_FIELDS = ('nmbrs_debtor_id', 'nmbrs_company_id', 'nmbrs_employee_id')
# A debtor may own several Nmbrs companies, so its id is shared by their relations.
NMBRS_UNIQUE_ID_FIELDS = ('nmbrs_company_id', 'nmbrs_employee_id')


class ResPartner(models.Model):
    """Links of a relation to Nmbrs, per Odoo company.

    Partners are usually shared between Odoo companies while each company has
    its own Nmbrs connection, so every link field is company dependent.
    """
    _inherit = 'res.partner'

    nmbrs_debtor_id = fields.Integer('Nmbrs debtor ID', company_dependent=True, copy=False)
    nmbrs_debtor_number = fields.Char('Nmbrs debtor number', company_dependent=True, copy=False)
    nmbrs_company_id = fields.Integer('Nmbrs company ID', company_dependent=True, copy=False)
    nmbrs_company_number = fields.Integer('Nmbrs company number', company_dependent=True, copy=False)
    nmbrs_employee_id = fields.Integer('Nmbrs employee ID', company_dependent=True, copy=False)
    nmbrs_employee_number = fields.Integer('Nmbrs employee number', company_dependent=True, copy=False)
    nmbrs_last_sync = fields.Datetime('Last Nmbrs sync', company_dependent=True, copy=False, readonly=True)
    nmbrs_sync_state = fields.Selection(
        [('ok', 'In sync'), ('error', 'Sync error')], string='Nmbrs sync status',
        company_dependent=True, copy=False, readonly=True)
    nmbrs_sync_error = fields.Char('Nmbrs sync error', company_dependent=True, copy=False, readonly=True)
    nmbrs_linked = fields.Boolean(
        'Linked to Nmbrs', compute='_compute_nmbrs_linked', search='_search_nmbrs_linked')

    @api.depends(*NMBRS_ID_FIELDS)
    @api.depends_context('company')
    def _compute_nmbrs_linked(self):
        for partner in self:
            partner.nmbrs_linked = any(partner[field] for field in NMBRS_ID_FIELDS)

    def _search_nmbrs_linked(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            return NotImplemented
        linked = ['|', '|'] + [(field, '!=', False) for field in NMBRS_ID_FIELDS]
        unlinked = ['&', '&'] + [(field, '=', False) for field in NMBRS_ID_FIELDS]
        return linked if (operator == '=') == value else unlinked

    @api.constrains(*NMBRS_UNIQUE_ID_FIELDS)
    def _check_nmbrs_link_unique(self):
        """One Nmbrs company or employee links to at most one relation per Odoo company."""
        for field in NMBRS_UNIQUE_ID_FIELDS:
            values = [value for value in self.mapped(field) if value]
            if not values:
                continue
            taken = self.with_context(active_test=False).sudo()._read_group(
                [(field, 'in', values)], [field], ['__count'])
            duplicates = [value for value, count in taken if count > 1]
            if duplicates:
                raise ValidationError(self.env._(
                    "%(field)s %(value)s is already linked to another relation in %(company)s.",
                    field=self._fields[field].string, value=duplicates[0], company=self.env.company.name))

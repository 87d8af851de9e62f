from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

NMBRS_ID_FIELDS = ('nmbrs_debtor_id', 'nmbrs_company_id', 'nmbrs_employee_id')
# The fields of a relation that show its nmbrs.link in the current Odoo company.
# The REST ids (GUIDs) a link gains once a consent covers its debtor; a REST-only company has only these.
NMBRS_GUID_FIELDS = ('nmbrs_debtor_guid', 'nmbrs_company_guid', 'nmbrs_employee_guid')
NMBRS_LINK_FIELDS = NMBRS_ID_FIELDS + NMBRS_GUID_FIELDS + (
    'nmbrs_debtor_number', 'nmbrs_company_number', 'nmbrs_employee_number')


def _with_link(partners, link_domain, negate=False):
    """The relations whose nmbrs.link in the current Odoo company matches ``link_domain`` (or, with
    ``negate``, does not): a SQL condition, read without the user's rights on links, as the compute does."""
    links = partners.env['nmbrs.link'].sudo()._search(
        Domain('company_id', '=', partners.env.company.id) & Domain(link_domain))
    return Domain.custom(to_sql=lambda model, alias, query: SQL(
        "%s NOT IN %s" if negate else "%s IN %s", SQL.identifier(alias, 'id'), links.subselect('partner_id')))


def _search_link_field(field_name):
    """The search method of a link field."""

    def search(partners, operator, value):
        if operator != 'in':
            return NotImplemented  # the ORM negates 'in' for 'not in'
        filled = [item for item in value if item]
        conditions = [_with_link(partners, [(field_name, 'in', filled)])] if filled else []
        if len(filled) < len(value):  # False, 0 or '': not linked that way
            conditions.append(_with_link(partners, [(field_name, 'not in', [False])], negate=True))
        return Domain.OR(conditions)

    return search


def _link_field(field_class, name, string):
    """A field of the relation's nmbrs.link in the current Odoo company, read, written and searched there."""
    return field_class(string, compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
                       search=_search_link_field(name))


class ResPartner(models.Model):
    """Links of a relation to Nmbrs, per Odoo company (see nmbrs.link), and the outcome of its last sync."""
    _inherit = 'res.partner'

    nmbrs_link_ids = fields.One2many('nmbrs.link', 'partner_id', 'Nmbrs links', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_debtor_id = _link_field(fields.Integer, 'nmbrs_debtor_id', 'Nmbrs debtor ID')
    nmbrs_debtor_number = _link_field(fields.Char, 'nmbrs_debtor_number', 'Nmbrs debtor number')
    nmbrs_company_id = _link_field(fields.Integer, 'nmbrs_company_id', 'Nmbrs company ID')
    nmbrs_company_number = _link_field(fields.Integer, 'nmbrs_company_number', 'Nmbrs company number')
    nmbrs_employee_id = _link_field(fields.Integer, 'nmbrs_employee_id', 'Nmbrs employee ID')
    nmbrs_employee_number = _link_field(fields.Integer, 'nmbrs_employee_number', 'Nmbrs employee number')
    nmbrs_debtor_guid = _link_field(fields.Char, 'nmbrs_debtor_guid', 'Nmbrs debtor ID (REST)')
    nmbrs_company_guid = _link_field(fields.Char, 'nmbrs_company_guid', 'Nmbrs company ID (REST)')
    nmbrs_employee_guid = _link_field(fields.Char, 'nmbrs_employee_guid', 'Nmbrs employee ID (REST)')
    nmbrs_last_sync = fields.Datetime('Last Nmbrs sync', company_dependent=True, copy=False, readonly=True)
    nmbrs_sync_state = fields.Selection(
        [('ok', 'In sync'), ('error', 'Sync error'), ('held', 'Held for a check')], string='Nmbrs sync status',
        company_dependent=True, copy=False, readonly=True)
    nmbrs_sync_error = fields.Char('Nmbrs sync error', company_dependent=True, copy=False, readonly=True)
    nmbrs_linked = fields.Boolean(
        'Linked to Nmbrs', compute='_compute_nmbrs_linked', search='_search_nmbrs_linked')

    @api.depends(*('nmbrs_link_ids.%s' % name for name in NMBRS_LINK_FIELDS), 'nmbrs_link_ids.company_id')
    @api.depends_context('company')
    def _compute_nmbrs_link(self):
        links = self._nmbrs_links()
        for partner in self:
            link = links.get(partner.id)
            for name in NMBRS_LINK_FIELDS:
                partner[name] = link[name] if link else False

    def _inverse_nmbrs_link(self):
        links = self._nmbrs_links()
        company = self.env.company
        for partner in self:
            values = {name: partner[name] for name in NMBRS_LINK_FIELDS}
            link = links.get(partner.id)
            if link and not any(values.values()):
                link.unlink()
            elif link:
                link.write(values)
            elif any(values.values()):
                self.env['nmbrs.link'].sudo().create({**values, 'company_id': company.id, 'partner_id': partner.id})

    def _nmbrs_links(self):
        """{partner id: its nmbrs.link in the current Odoo company}; reading links needs no Nmbrs right."""
        links = self.env['nmbrs.link'].sudo().search(
            [('company_id', '=', self.env.company.id), ('partner_id', 'in', self.ids)])
        return {link.partner_id.id: link for link in links}

    @api.depends(*NMBRS_ID_FIELDS, *NMBRS_GUID_FIELDS)
    @api.depends_context('company')
    def _compute_nmbrs_linked(self):
        for partner in self:
            partner.nmbrs_linked = any(partner[field] for field in NMBRS_ID_FIELDS + NMBRS_GUID_FIELDS)

    def _search_nmbrs_linked(self, operator, value):
        if operator != 'in':
            return NotImplemented
        wanted = {bool(item) for item in value}
        if wanted == {True, False}:
            return Domain.TRUE
        linked = Domain.OR([(field, 'not in', [False])] for field in NMBRS_ID_FIELDS + NMBRS_GUID_FIELDS)
        return _with_link(self, linked, negate=wanted == {False})

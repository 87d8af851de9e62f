from odoo import api, fields, models

NMBRS_ID_FIELDS = ('nmbrs_debtor_id', 'nmbrs_company_id', 'nmbrs_employee_id')
# The fields of a relation that show its nmbrs.link in the current Odoo company.
NMBRS_LINK_FIELDS = NMBRS_ID_FIELDS + ('nmbrs_debtor_number', 'nmbrs_company_number', 'nmbrs_employee_number')


def _search_link_field(field_name):
    """The search method of a link field: a condition on the relation's link in the current Odoo company."""

    def search(partners, operator, value):
        if operator != 'in':
            return NotImplemented  # the ORM negates 'in' for 'not in'
        company = ('company_id', '=', partners.env.company.id)
        filled = [item for item in value if item]
        # 'any!' reads the links without the user's rights on them, as the compute does.
        domain = [('nmbrs_link_ids', 'any!', [company, (field_name, 'in', filled)])] if filled else []
        if len(filled) < len(value):  # False, 0 or '': not linked that way
            unlinked = ('nmbrs_link_ids', 'not any!', [company, (field_name, 'not in', [False])])
            domain = ['|', unlinked] + domain if domain else [unlinked]
        return domain or [(0, '=', 1)]

    return search


class ResPartner(models.Model):
    """Links of a relation to Nmbrs, per Odoo company (see nmbrs.link), and the outcome of its last sync."""
    _inherit = 'res.partner'

    nmbrs_link_ids = fields.One2many('nmbrs.link', 'partner_id', 'Nmbrs links')
    nmbrs_debtor_id = fields.Integer(
        'Nmbrs debtor ID', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_debtor_id'))
    nmbrs_debtor_number = fields.Char(
        'Nmbrs debtor number', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_debtor_number'))
    nmbrs_company_id = fields.Integer(
        'Nmbrs company ID', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_company_id'))
    nmbrs_company_number = fields.Integer(
        'Nmbrs company number', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_company_number'))
    nmbrs_employee_id = fields.Integer(
        'Nmbrs employee ID', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_employee_id'))
    nmbrs_employee_number = fields.Integer(
        'Nmbrs employee number', compute='_compute_nmbrs_link', inverse='_inverse_nmbrs_link',
        search=_search_link_field('nmbrs_employee_number'))
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

    @api.depends(*NMBRS_ID_FIELDS)
    @api.depends_context('company')
    def _compute_nmbrs_linked(self):
        for partner in self:
            partner.nmbrs_linked = any(partner[field] for field in NMBRS_ID_FIELDS)

    def _search_nmbrs_linked(self, operator, value):
        if operator != 'in':
            return NotImplemented
        linked = [('nmbrs_link_ids', 'any!', [('company_id', '=', self.env.company.id), '|', '|'] + [
            (field, 'not in', [False]) for field in NMBRS_ID_FIELDS])]
        wanted = {bool(item) for item in value}
        if wanted == {True, False}:
            return []
        return linked if wanted == {True} else ['!'] + linked

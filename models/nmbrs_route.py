"""Which Nmbrs protocol answers for a relation: REST when an active consent covers its debtor, SOAP otherwise.

A relation goes over REST once a consent covers its debtor and its link holds
the REST id of its Nmbrs company or employee (paired when the consent was
given); until then it stays on SOAP, so an office moves debtor by debtor.
"""
from odoo import api, fields, models

from .res_company_errors import NmbrsNoRoute


class NmbrsLink(models.Model):
    _inherit = 'nmbrs.link'

    def _nmbrs_debtor_number_of(self):
        """The debtor number of this link, or for an employee contact that of its company relation's link."""
        self.ensure_one()
        if self.nmbrs_debtor_number:
            return self.nmbrs_debtor_number
        parent = self.partner_id.parent_id
        if not parent:
            return False
        return self.sudo().search([('company_id', '=', self.company_id.id), ('partner_id', '=', parent.id)],
                                  limit=1).nmbrs_debtor_number

    def _nmbrs_consent(self):
        """The active REST consent of this link's company that covers its debtor, or an empty recordset."""
        self.ensure_one()
        number = self._nmbrs_debtor_number_of()
        if not number:
            return self.env['nmbrs.consent']
        return self.env['nmbrs.consent.debtor'].sudo().search([
            ('company_id', '=', self.company_id.id), ('number', '=', number),
            ('consent_id.state', '=', 'active')], limit=1).consent_id

    def _nmbrs_route(self):
        """The consent this link is asked over, or an empty recordset: then SOAP answers."""
        self.ensure_one()
        if not (self.nmbrs_company_guid or self.nmbrs_employee_guid):
            return self.env['nmbrs.consent']
        return self._nmbrs_consent()

    def _nmbrs_by_consent(self):
        """These links grouped by the consent that covers them (an empty consent: none does)."""
        groups = {}
        for link in self:
            consent = link._nmbrs_consent()
            groups[consent] = groups.get(consent, self.browse()) | link
        return groups


class ResCompany(models.Model):
    _inherit = 'res.company'

    def _nmbrs_routes(self, partners):
        """``[(consent, relations)]``: the relations (in their order) asked over each consent; an empty
        consent holds the relations SOAP answers for."""
        self.ensure_one()
        links = self.env['nmbrs.link'].sudo().search([('company_id', '=', self.id),
                                                      ('partner_id', 'in', partners.ids)])
        route = {link.partner_id.id: link._nmbrs_route() for link in links}
        groups = {}
        for partner in partners:
            consent = route.get(partner.id, self.env['nmbrs.consent'])
            groups.setdefault(consent, partners.browse())
            groups[consent] |= partner
        return list(groups.items())

    def _nmbrs_active_consents(self):
        """The consents of this company Nmbrs answers over now."""
        self.ensure_one()
        return self.env['nmbrs.consent'].sudo().search([('company_id', '=', self.id), ('state', '=', 'active')])

    def _nmbrs_has_soap_login(self):
        """Whether a SOAP login e-mail and API token are filled in; without them only consents answer (REST only)."""
        self.ensure_one()
        return bool(self.nmbrs_username and self.sudo().nmbrs_token)

    def _nmbrs_client_over(self, consent, **options):
        """A client over ``consent`` (REST) or, for an empty consent, the company's SOAP connection.

        Raises NmbrsNoRoute for an empty consent when the company has no SOAP login (a REST-only company).
        """
        self.ensure_one()
        if not consent and not self._nmbrs_has_soap_login():
            raise NmbrsNoRoute('No consent covers the debtor and there is no SOAP login.')
        return consent._nmbrs_client(**options) if consent else self._nmbrs_client(**options)


class ResPartner(models.Model):
    _inherit = 'res.partner'

    nmbrs_protocol = fields.Selection(
        [('soap', 'SOAP: the API token, until Nmbrs ends it'), ('rest', 'REST: a consent of the debtor')],
        string='Nmbrs answers over', compute='_compute_nmbrs_protocol',
        help="REST once a consent covers the relation's debtor; SOAP, which Nmbrs ends on 1 March 2027, until then.")

    @api.depends('nmbrs_company_guid', 'nmbrs_employee_guid', 'nmbrs_company_id', 'nmbrs_employee_id')
    @api.depends_context('company')
    def _compute_nmbrs_protocol(self):
        links = self._nmbrs_links()
        for partner in self:
            link = links.get(partner.id)
            partner.nmbrs_protocol = link and ('rest' if link._nmbrs_route() else 'soap')

    def _nmbrs_company_ref(self, client):
        """This relation's Nmbrs company as ``client`` names it: its REST id or its SOAP id."""
        self.ensure_one()
        return self.nmbrs_company_guid if client.protocol == 'rest' else self.nmbrs_company_id

    def _nmbrs_employee_ref(self, client):
        """This contact's Nmbrs employee as ``client`` names it: its REST id or its SOAP id."""
        self.ensure_one()
        return self.nmbrs_employee_guid if client.protocol == 'rest' else self.nmbrs_employee_id

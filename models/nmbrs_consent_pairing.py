"""When a consent covers a debtor, its relations and employee contacts keep their SOAP ids and gain their REST ids.

Paired by what both protocols share: a company by its number within the
debtor, an employee by its number within the company. What that cannot pair
for certain waits as an nmbrs.pairing for an Nmbrs administrator's choice.
"""
from odoo import fields, models

from . import counted_words


class NmbrsConsentDebtor(models.Model):
    _inherit = 'nmbrs.consent.debtor'

    def _nmbrs_link_relations(self, client):
        """Pair the relations and employee contacts of these debtors; the pairings waiting are rebuilt."""
        Pairing = self.env['nmbrs.pairing']
        for debtor in self:
            links = debtor._nmbrs_links().sudo()
            links.write({'nmbrs_debtor_guid': debtor.nmbrs_debtor_guid})
            decided = Pairing._nmbrs_forget([('company_id', '=', debtor.company_id.id),
                                             ('debtor_number', '=', debtor.number)])
            paired = Pairing._nmbrs_match(debtor, links.filtered('nmbrs_company_number'),
                                          client.companies_by_debtor(debtor.nmbrs_debtor_guid), 'company', decided)
            for link in paired:
                debtor._nmbrs_link_employees(client, link, decided)

    def _nmbrs_link_employees(self, client, relation_link, decided):
        """Pair the employee contacts of the relation of ``relation_link`` (which has its REST company id)."""
        self.ensure_one()
        employee_links = self.env['nmbrs.link'].sudo().search([
            ('company_id', '=', self.company_id.id), ('partner_id.parent_id', '=', relation_link.partner_id.id),
            ('nmbrs_employee_number', '!=', 0)])
        if employee_links:
            self.env['nmbrs.pairing']._nmbrs_match(
                self, employee_links, client.all_employees(relation_link.nmbrs_company_guid), 'employee', decided)


class NmbrsConsent(models.Model):
    _inherit = 'nmbrs.consent'

    nmbrs_pairing_count = fields.Integer('Relations that need a choice', compute='_compute_nmbrs_pairing_count')
    nmbrs_pairing_text = fields.Char('Relations to pair', compute='_compute_nmbrs_pairing_count')

    def _compute_nmbrs_pairing_count(self):
        counts = dict(self.env['nmbrs.pairing']._read_group(
            [('consent_id', 'in', self.ids)] + self.env['nmbrs.pairing']._nmbrs_waiting(), ['consent_id'],
            ['__count']))
        for consent in self:
            consent.nmbrs_pairing_count = counts.get(consent, 0)
            consent.nmbrs_pairing_text = counted_words.relations_need_a_choice(
                self.env, consent.nmbrs_pairing_count)

    def action_nmbrs_pairings(self):
        """The relations of these consents that wait for a choice."""
        return self.env['nmbrs.pairing']._nmbrs_action([('consent_id', 'in', self.ids)])

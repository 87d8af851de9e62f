from odoo import fields, models

from . import counted_words

# How many documents the relation's Nmbrs tab lists; the smart button opens them all.
LATEST_DOCUMENTS = 10


class ResPartner(models.Model):
    """The payroll documents of a relation: its smart button and "Sync now"."""
    _inherit = 'res.partner'

    nmbrs_document_count = fields.Integer(
        'Payroll documents', compute='_compute_nmbrs_document_count', groups='nmbrs_connector.group_nmbrs_user')
    nmbrs_document_ids = fields.Many2many(
        'nmbrs.document', string='Latest payroll documents', compute='_compute_nmbrs_document_ids',
        groups='nmbrs_connector.group_nmbrs_user')

    def _nmbrs_documents_domain(self):
        return ['|', ('partner_id', 'in', self.ids), ('employee_partner_id', 'in', self.ids)]

    def _compute_nmbrs_document_count(self):
        Document = self.env['nmbrs.document']
        counts = dict(Document._read_group([('partner_id', 'in', self.ids)], ['partner_id'], ['__count']))
        for employee, count in Document._read_group(
                [('employee_partner_id', 'in', self.ids)], ['employee_partner_id'], ['__count']):
            counts[employee] = counts.get(employee, 0) + count
        for partner in self:
            partner.nmbrs_document_count = counts.get(partner, 0)

    def _compute_nmbrs_document_ids(self):
        for partner in self:
            partner.nmbrs_document_ids = self.env['nmbrs.document'].search(
                partner._nmbrs_documents_domain(), limit=LATEST_DOCUMENTS)

    def action_open_nmbrs_documents(self):
        action = self.env['ir.actions.act_window']._for_xml_id('nmbrs_connector.action_nmbrs_document')
        action['domain'] = self._nmbrs_documents_domain()
        action['context'] = {'search_default_group_by_period': 1, 'nmbrs_documents_of_one_relation': True}
        return action

    def _nmbrs_document_relations(self):
        """The company relations whose documents these relations have: an employee contact counts for its company."""
        def of_a_company(partner):
            return partner.nmbrs_company_id or partner.nmbrs_company_guid
        employees = self.filtered(lambda partner: partner.nmbrs_employee_id or partner.nmbrs_employee_guid)
        return self.filtered(of_a_company) | employees.parent_id.filtered(of_a_company)

    def _nmbrs_import_documents(self):
        """Import now the payroll documents of these relations in the current Odoo company.

        Returns the outcome of each relation (see res.company._nmbrs_import_documents).
        """
        company = self.env.company
        relations = self._nmbrs_document_relations()
        if not relations or company.nmbrs_state != 'connected':
            return []
        return company._nmbrs_import_documents(relations)

    def _nmbrs_import_summary(self, outcomes):
        """``(ok, message)`` telling the user what an import of these relations brought, and why not all."""
        _ = self.env._
        outcomes = [outcome for outcome in outcomes if outcome]
        created = sum(counts['created'] for outcome in outcomes for counts in outcome.counts.values())
        failures = [error for outcome in outcomes for error in [outcome.error, *outcome.errors.values()] if error]
        if failures:
            reason = self.env.company._nmbrs_error_message(failures[0])
            if created:
                return False, _("%(documents)s imported, but not all: %(reason)s",
                                documents=counted_words.new_payroll_documents(self.env, created), reason=reason)
            return False, _("The payroll documents could not be imported: %(reason)s", reason=reason)
        if not created:
            return True, _("No new payroll documents in Nmbrs.")
        return True, _("%(documents)s imported from Nmbrs.",
                       documents=counted_words.new_payroll_documents(self.env, created))

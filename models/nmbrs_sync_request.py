from markupsafe import Markup

from odoo import api, fields, models

# The scheduled action that does the work of each kind of request.
REQUEST_CRONS = {
    'documents': 'nmbrs_connector.ir_cron_nmbrs_import_documents',
    'relations': 'nmbrs_connector.ir_cron_nmbrs_sync_relations',
}


class NmbrsSyncRequest(models.Model):
    """A user's "do it now" (import documents, sync relations) that a scheduled action carries out.

    The work may take longer than a web request may last, so the button only
    records what is wanted and wakes the scheduled action; the requester gets
    the outcome in their inbox.
    """
    _name = 'nmbrs.sync.request'
    _inherit = ['mail.thread']
    _description = 'Nmbrs sync started by a user'
    _order = 'id'
    _check_company_auto = True

    name = fields.Char(compute='_compute_name')
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        'res.users', 'Requested by', required=True, readonly=True, default=lambda self: self.env.user)
    kind = fields.Selection(
        [('documents', 'Import payroll documents'), ('relations', 'Sync relations')], required=True, readonly=True)
    partner_ids = fields.Many2many(
        'res.partner', 'nmbrs_sync_request_partner_rel', 'request_id', 'partner_id', 'Relations', readonly=True,
        help="Empty: every linked relation of the company.")
    date = fields.Datetime('Requested on', required=True, readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [('queued', 'In progress'), ('done', 'Done')], default='queued', required=True, readonly=True, index=True)

    @api.depends('kind', 'date')
    def _compute_name(self):
        kinds = dict(self._fields['kind']._description_selection(self.env))
        for request in self:
            request.name = kinds.get(request.kind, '')

    @api.model
    def _nmbrs_start(self, company, kind, partners=None):
        """Record what the user wants done now and wake the scheduled action that does it."""
        request = self.sudo().create({
            'company_id': company.id, 'kind': kind, 'user_id': self.env.uid,
            'partner_ids': [fields.Command.set(partners.ids)] if partners else False})
        self.env.ref(REQUEST_CRONS[kind]).sudo()._trigger()
        return request

    def _nmbrs_relations(self):
        self.ensure_one()
        return self.partner_ids or self.company_id._nmbrs_linked_relations()

    def _nmbrs_report(self, body):
        """Mark the request done and send ``body`` to the requester's inbox, in the company's language."""
        self.ensure_one()
        self.state = 'done'
        self.message_post(body=body, partner_ids=self.user_id.partner_id.ids, subtype_xmlid='mail.mt_comment')

    def _nmbrs_table(self, rows):
        """An HTML table of (relation, what happened) pairs for the report."""
        _ = self.env._
        return Markup('<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th></tr></thead>'
                      '<tbody>%s</tbody></table>') % (
            _("Relation"), _("Result"),
            Markup().join(Markup('<tr><td>%s</td><td>%s</td></tr>') % row for row in rows))

    # ------------------------------------------------------------ payroll documents

    def _nmbrs_waiting_relations(self):
        """The relations of a documents request not looked at since it was made."""
        self.ensure_one()
        return self._nmbrs_relations() - self.company_id._nmbrs_checked_since(self.date)

    @api.model
    def _nmbrs_finish_document_requests(self):
        """Report every documents request whose relations were all looked at, or that cannot go on."""
        for request in self.search([('kind', '=', 'documents'), ('state', '=', 'queued')]):
            company = request.company_id.sudo()._nmbrs_in_stored_lang()
            request = request.with_env(company.env)
            if company.nmbrs_state != 'connected':
                request._nmbrs_report(Markup('<p>%s</p>') % company.env._(
                    "The Nmbrs import was not done: %(company)s is no longer connected to Nmbrs.",
                    company=company.name))
            elif not request._nmbrs_waiting_relations():
                relations = request._nmbrs_relations()
                logs = company.env['nmbrs.sync.log'].search([
                    ('company_id', '=', company.id), ('kind', '=', 'documents'), ('date', '>=', request.date),
                    ('partner_id', 'in', relations.ids)])
                request._nmbrs_report(company._nmbrs_import_report(logs, relations))
            self.env.cr.commit()

    # ------------------------------------------------------------ relations

    def _nmbrs_sync_relations(self):
        """Carry out a relations request: the company's relation sync, or "Sync now" of the chosen relations.

        "Sync now" of chosen relations also imports their payroll documents,
        as the button on one relation does.
        """
        self.ensure_one()
        company = self.company_id.sudo()._nmbrs_in_stored_lang()
        request = self.with_env(company.env)
        if company.nmbrs_state != 'connected':
            request._nmbrs_report(Markup('<p>%s</p>') % company.env._(
                "The Nmbrs sync was not done: %(company)s is no longer connected to Nmbrs.", company=company.name))
            self.env.cr.commit()
            return
        partners = request.partner_ids or None
        logs, error = company._nmbrs_sync_relations_isolated(partners, trigger='requested')
        body = company._nmbrs_relation_sync_report(logs, error)
        if partners and not error:
            relations = partners._nmbrs_document_relations()
            list(company._nmbrs_import_relations(relations, trigger='requested'))
            import_logs = company.env['nmbrs.sync.log'].search([
                ('company_id', '=', company.id), ('kind', '=', 'documents'), ('date', '>=', request.date),
                ('partner_id', 'in', relations.ids)])
            body += company._nmbrs_import_report(import_logs, relations)
        request._nmbrs_report(body)
        self.env.cr.commit()

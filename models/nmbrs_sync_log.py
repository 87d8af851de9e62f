from datetime import timedelta

from odoo import api, fields, models

from .nmbrs_document import DOCUMENT_TYPES

KEEP_LOGS_DAYS = 90


class NmbrsSyncLog(models.Model):
    """What one document import of one relation did, per document type, and what each relation sync did.

    A document line without a document type reports a failure that stopped the
    relation's import as a whole (e.g. Nmbrs refused the login); a line
    without a relation, one that stopped the whole Odoo company.
    """
    _name = 'nmbrs.sync.log'
    _description = 'Nmbrs sync log'
    _order = 'date desc, id desc'
    _check_company_auto = True

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one('res.partner', 'Relation', readonly=True, index=True, ondelete='cascade')
    kind = fields.Selection(
        [('documents', 'Payroll documents'), ('relations', 'Relation sync')], 'Sync', readonly=True,
        default='documents', required=True)
    document_type = fields.Selection(DOCUMENT_TYPES, 'Document type', readonly=True)
    trigger = fields.Selection(
        [('cron', 'Scheduled'), ('manual', 'Sync now'), ('requested', 'Started by a user')], readonly=True,
        default='cron', required=True)
    created_count = fields.Integer('Created', readonly=True)
    skipped_count = fields.Integer(
        'Skipped', readonly=True, help="Documents that were already imported, e.g. by another worker.")
    failed_count = fields.Integer('Failed', readonly=True)
    empty_count = fields.Integer(
        'Empty', readonly=True, help="Files Nmbrs answered without content; the next import asks for them again.")
    duration = fields.Float(
        'Duration (s)', readonly=True, digits=(16, 2), help="How long the import of the relation took, in seconds.")
    state = fields.Selection([('done', 'Done'), ('failed', 'Failed')], readonly=True, required=True, default='done')
    error = fields.Text(readonly=True)
    note = fields.Text('Remarks', readonly=True)
    error_operation = fields.Char(
        'Nmbrs call', readonly=True, help="The Nmbrs call that failed, as named in the Nmbrs API user template.")
    error_detail = fields.Text('Technical detail', readonly=True, help="What exactly went wrong, for support.")

    @api.autovacuum
    def _gc_old_logs(self):
        self.sudo().search([('date', '<', fields.Datetime.now() - timedelta(days=KEEP_LOGS_DAYS))]).unlink()

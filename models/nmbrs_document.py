import hashlib
import re

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models, tools
from odoo.tools.misc import formatLang

from .nmbrs_wage_tax_status import wage_tax_status_label

DOCUMENT_TYPES = [
    ('wage_tax', 'Wage tax declaration'),
    ('payslip', 'Payslip'),
    ('sepa', 'SEPA salary payment'),
    ('journal', 'Payroll journal'),
    ('annual', 'Annual document'),
]


# Characters that file systems or browsers refuse in a download name.
UNSAFE_FILE_NAME_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def document_file_name(extension, *parts):
    """'Loonstrook 2026-03 Jan de Vries.pdf' from its parts.

    Unsafe characters become spaces, and a name ending in a dot ('B.V.') does
    not get a second one before the extension.
    """
    stem = UNSAFE_FILE_NAME_CHARACTERS.sub(' ', ' '.join(str(part) for part in parts if part))
    return '%s.%s' % (' '.join(stem.split()).rstrip('. '), extension)


def file_size_text(env, size):
    """'1.06 KB' for 1,081 bytes, in the user's language, as Odoo shows the size of a file elsewhere."""
    if size < 1024:
        return env._("%(count)s bytes", count=size)
    for unit in ('KB', 'MB', 'GB'):
        size /= 1024
        if size < 1024 or unit == 'GB':
            return '%s %s' % (formatLang(env, size, digits=2), unit)


def period_label(year, period):
    """'2026-03' for period 3 of 2026; '2026' for a document of the whole year."""
    return '%d-%02d' % (year, period) if period else str(year or '')


class NmbrsDocument(models.Model):
    """A payroll document Nmbrs produced, stored once per Odoo company.

    The file is an ``ir.attachment`` on this record (never on the partner), so
    only users who may read the document can read its file.
    """
    _name = 'nmbrs.document'
    _description = 'Nmbrs payroll document'
    _order = 'year desc, period desc, document_type, name'
    _check_company_auto = True

    name = fields.Char('File name', required=True, readonly=True)
    document_type = fields.Selection(DOCUMENT_TYPES, 'Type', required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        'res.partner', 'Relation', required=True, readonly=True, index=True, ondelete='restrict',
        help="The company relation the document belongs to.")
    employee_partner_id = fields.Many2one(
        'res.partner', 'Employee', readonly=True, index='btree_not_null', ondelete='restrict',
        help="For payslips and employee annual statements: the employee's contact.")
    # Years, periods, ids and numbers are no quantities: no sums of them in the pivot or in groups.
    year = fields.Integer(required=True, readonly=True, aggregator=None)
    period = fields.Integer(
        'Period number', readonly=True, aggregator=None, help="The payroll period within the year, e.g. the month.")
    period_label = fields.Char('Period', compute='_compute_period_label', store=True)
    nmbrs_company_id = fields.Integer('Nmbrs company ID', readonly=True, aggregator=None)
    nmbrs_run_id = fields.Integer('Nmbrs run ID', readonly=True, aggregator=None)
    nmbrs_run_number = fields.Integer('Run number', readonly=True, aggregator=None)
    run_id = fields.Many2one('nmbrs.run', 'Payroll run', readonly=True, index='btree_not_null', ondelete='set null')
    nmbrs_key = fields.Char(
        'Nmbrs key', required=True, readonly=True,
        help="What identifies the document in Nmbrs, e.g. payslip/company/run/employee/number.")
    nmbrs_status = fields.Char(
        'Status in Nmbrs', readonly=True, help="The status of the wage tax declaration in Nmbrs when imported.")
    nmbrs_status_text = fields.Char(
        'Declaration status', compute='_compute_nmbrs_status_text',
        help="The status of the wage tax declaration in Nmbrs when imported, in words, with Nmbrs's own text.")
    annual_kind = fields.Char('Annual document kind', readonly=True)
    attachment_id = fields.Many2one('ir.attachment', 'File', readonly=True, ondelete='set null')
    file_size_text = fields.Char('File size', compute='_compute_file_size_text')
    checksum = fields.Char(readonly=True, help="SHA-1 of the file as Nmbrs delivered it.")
    import_date = fields.Datetime('Imported on', required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)

    _company_key_uniq = models.Constraint(
        'UNIQUE(company_id, nmbrs_key)', 'This Nmbrs document was already imported.')

    @api.depends('year', 'period')
    def _compute_period_label(self):
        for document in self:
            document.period_label = period_label(document.year, document.period)

    @api.depends('nmbrs_status')
    @api.depends_context('lang')
    def _compute_nmbrs_status_text(self):
        for document in self:
            document.nmbrs_status_text = wage_tax_status_label(self.env, document.nmbrs_status)

    @api.depends('attachment_id.file_size')
    @api.depends_context('lang')
    def _compute_file_size_text(self):
        for document in self:
            attachment = document.attachment_id
            document.file_size_text = file_size_text(self.env, attachment.file_size) if attachment else False

    def action_download(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_url',
            'url': '/web/content/%d?download=true' % self.attachment_id.id,
            'target': 'download',
        }

    @api.model
    def _nmbrs_store(self, values_list):
        """Create documents with their files; returns (created documents, values of those skipped).

        ``values_list`` holds field values plus ``raw``, the file's bytes. A
        document another worker stored meanwhile hits the unique constraint:
        it is skipped and the others are still stored.
        """
        try:
            with self.env.cr.savepoint(), tools.mute_logger('odoo.sql_db'):
                return self._nmbrs_create_with_files(values_list), []
        except UniqueViolation:
            pass
        created, skipped = self.browse(), []
        for values in values_list:
            try:
                with self.env.cr.savepoint(), tools.mute_logger('odoo.sql_db'):
                    created |= self._nmbrs_create_with_files([values])
            except UniqueViolation:
                skipped.append(values)
        return created, skipped

    @api.model
    def _nmbrs_create_with_files(self, values_list):
        if not values_list:
            return self.browse()
        documents = self.create([
            {**{key: value for key, value in values.items() if key != 'raw'},
             'checksum': hashlib.sha1(values['raw']).hexdigest()}
            for values in values_list])
        attachments = self.env['ir.attachment'].create([{
            'name': document.name,
            'raw': values['raw'],
            'res_model': self._name,
            'res_id': document.id,
            'company_id': document.company_id.id,
        } for document, values in zip(documents, values_list)])
        for document, attachment in zip(documents, attachments):
            document.attachment_id = attachment
        return documents

from markupsafe import Markup

from odoo import api, fields, models

from ..nmbrs.errors import NmbrsError, NmbrsPermissionError
from . import counted_words
from .nmbrs_annual_document_kind import EMPLOYEE_ANNUAL_STATEMENT
from .nmbrs_document import document_file_name
from .res_partner_employee import EmployeeRoster

LINE_STATES = [
    ('pending', 'Waiting'),
    ('done', 'Done'),
    ('not_locked', 'Skipped: year not locked'),
    ('not_linked', 'Skipped: not linked to a Nmbrs company'),
    ('missing_right', 'Nmbrs right missing'),
    ('failed', 'Failed'),
]


def statement_key(partner, year, employee):
    """The key of an employee's annual statement: the same over SOAP and REST (the relation and the employee
    NUMBER, which both protocols share), so a relation that moves to REST never stores one twice."""
    return 'annual/relation-%d/%d/%s/%s' % (partner.id, year, EMPLOYEE_ANNUAL_STATEMENT,
                                            employee.number if employee.number is not None else employee.id)


def _merged(outcomes):
    """One line outcome of the outcomes of several fetches (the statements over REST, the rest over SOAP)."""
    states = [outcome['state'] for outcome in outcomes if outcome['state'] != 'done']
    return {
        'state': states[0] if states else 'done',
        'fetched_count': sum(outcome.get('fetched_count', 0) for outcome in outcomes),
        'existing_count': sum(outcome.get('existing_count', 0) for outcome in outcomes),
        'message': '\n'.join(outcome['message'] for outcome in outcomes if outcome.get('message')) or False,
    }


class NmbrsAnnualRequest(models.Model):
    """One accountant's order to fetch a year's annual documents for a set of relations.

    Its lines are the relations; the cron works through the pending ones one at a
    time, so a large selection survives restarts and shows its progress here.
    """
    _name = 'nmbrs.annual.request'
    _inherit = ['mail.thread']
    _description = 'Nmbrs annual documents request'
    _order = 'id desc'
    _check_company_auto = True

    name = fields.Char(compute='_compute_name', store=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        'res.users', 'Requested by', required=True, readonly=True, default=lambda self: self.env.user,
        help="Gets the summary in their inbox once the documents are fetched in the background.")
    year = fields.Integer(required=True, readonly=True)
    kind_ids = fields.Many2many(
        'nmbrs.annual.document.kind', 'nmbrs_annual_request_kind_rel', 'request_id', 'kind_id',
        string='Documents', required=True, readonly=True)
    line_ids = fields.One2many('nmbrs.annual.request.line', 'request_id', 'Relations', readonly=True)
    state = fields.Selection(
        [('queued', 'In progress'), ('done', 'Done')], default='queued', required=True, readonly=True)
    line_count = fields.Integer('Number of relations', compute='_compute_progress')
    processed_count = fields.Integer('Relations processed', compute='_compute_progress')
    progress = fields.Float(compute='_compute_progress', help="Percentage of the relations processed.")

    @api.depends('year', 'line_ids')
    def _compute_name(self):
        for request in self:
            # Stored: in the company's language, whoever asked.
            env = request.company_id._nmbrs_in_stored_lang().env
            request.name = env._("Annual documents %(year)s, %(relations)s", year=request.year,
                                 relations=counted_words.relations(env, len(request.line_ids)))

    @api.depends('line_ids.state')
    def _compute_progress(self):
        for request in self:
            request.line_count = len(request.line_ids)
            request.processed_count = len(request.line_ids.filtered(lambda line: line.state != 'pending'))
            request.progress = 100.0 * request.processed_count / (request.line_count or 1)

    def _nmbrs_process(self):
        """Fetch the documents of every pending relation now (the small, interactive case)."""
        for request in self:
            for line in request.line_ids.filtered(lambda line: line.state == 'pending'):
                line._nmbrs_fetch_isolated()
            request.state = 'done'

    @api.model
    def _cron_nmbrs_annual_documents(self):
        """Fetch the documents of one pending relation per step; report each request once it is done.

        A line that fails, even on an unexpected error, is marked failed and the
        next one goes on: a pending line would stall every later request.
        """
        pending = [('state', '=', 'pending')]
        Line = self.env['nmbrs.annual.request.line']
        cron = self.env['ir.cron']
        cron._commit_progress(remaining=Line.search_count(pending))
        while line := Line.search(pending, order='id', limit=1).try_lock_for_update():
            line._nmbrs_fetch_isolated()
            request = line.request_id
            if 'pending' not in request.line_ids.mapped('state'):
                request.state = 'done'
                request._nmbrs_report_to_requester()
            if not cron._commit_progress(1):
                break

    def _nmbrs_report_to_requester(self):
        """Send the summary to the requester's inbox, with the request as its context."""
        self.ensure_one()
        self.message_post(
            body=self.with_env(self.company_id._nmbrs_in_stored_lang().env)._nmbrs_summary_html(),
            partner_ids=self.user_id.partner_id.ids, subtype_xmlid='mail.mt_comment')

    def _nmbrs_summary_html(self):
        self.ensure_one()
        _ = self.env._
        state_labels = dict(self.env['nmbrs.annual.request.line']._fields['state']._description_selection(self.env))
        rows = Markup('').join(
            Markup('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>') % (
                line.partner_id.display_name, state_labels[line.state], line.fetched_count,
                line.existing_count, line.message or '')
            for line in self.line_ids)
        return Markup(
            '<p>%s</p><table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>'
            '<th>%s</th></tr></thead><tbody>%s</tbody></table>'
        ) % (_("Nmbrs annual documents %(year)s: %(documents)s fetched for %(relations)s.", year=self.year,
               documents=counted_words.documents(self.env, sum(self.line_ids.mapped('fetched_count'))),
               relations=counted_words.relations(self.env, len(self.line_ids))),
             _("Relation"), _("Result"), _("Fetched"), _("Already there"), _("Remarks"), rows)


class NmbrsAnnualRequestLine(models.Model):
    """One relation of a request, and what fetching its annual documents gave."""
    _name = 'nmbrs.annual.request.line'
    _description = 'Nmbrs annual documents request: relation'
    _order = 'request_id, id'
    _check_company_auto = True

    request_id = fields.Many2one('nmbrs.annual.request', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='request_id.company_id', store=True, index=True)
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, readonly=True, ondelete='cascade')
    state = fields.Selection(LINE_STATES, 'Result', default='pending', required=True, readonly=True, index=True)
    fetched_count = fields.Integer('Fetched', readonly=True)
    existing_count = fields.Integer('Already there', readonly=True)
    message = fields.Text('Remarks', readonly=True)

    def _nmbrs_fetch_isolated(self):
        """Fetch like _nmbrs_fetch; an unexpected error undoes this line's work, marks it failed, one To-Do."""
        self.ensure_one()
        company = self.request_id.company_id._nmbrs_in_stored_lang()
        try:
            with self.env.cr.savepoint():
                self._nmbrs_fetch()
        except Exception as error:  # noqa: BLE001 - one relation must never stop the others
            company._nmbrs_log_error(error, 'annual documents', self.partner_id)
            message = company._nmbrs_error_message(error)
            self.write({'state': 'failed', 'message': message})
            company._nmbrs_report_failure(self.partner_id, 'annual_documents', message)
        else:
            if self.state != 'failed':
                company._nmbrs_resolve_failure(self.partner_id, 'annual_documents')

    def _nmbrs_fetch(self):
        """Fetch the relation's missing annual documents of the request's year and record the outcome.

        Over the relation's route (REST when a consent covers its debtor). REST
        has no company annual documents: those come over SOAP while the company
        has a SOAP login and the relation its SOAP id, else the remarks say so.
        """
        self.ensure_one()
        request = self.request_id
        # The company's language names the files and the remarks, whoever asked and whether the cron runs this.
        line = self.with_env(request.company_id.with_company(request.company_id)._nmbrs_in_stored_lang().env)
        company = line.env.company
        partner = line.partner_id
        if not (partner.nmbrs_company_id or partner.nmbrs_company_guid):
            line.state = 'not_linked'
            return
        consent = company._nmbrs_routes(partner)[0][0]
        try:
            outcomes = []
            with company._nmbrs_client_over(consent) as client:
                kinds = line.request_id.kind_ids
                if not client.has_company_annual_documents:
                    kinds = kinds.filtered('per_employee')
                if kinds:
                    outcomes.append(line._nmbrs_fetch_with(client, kinds))
            company_kinds = line.request_id.kind_ids - kinds
            if company_kinds and company._nmbrs_has_soap_login() and partner.nmbrs_company_id:
                with company._nmbrs_client() as client:
                    outcomes.append(line._nmbrs_fetch_with(client, company_kinds))
            elif company_kinds:
                outcomes.append({'state': 'done', 'message': line.env._(
                    "Nmbrs offers the company annual documents only over SOAP, and this relation is on REST "
                    "only: download them in Nmbrs itself.")})
            line.write(_merged(outcomes))
        except NmbrsPermissionError as error:
            company._nmbrs_log_error(error, 'annual documents', line.partner_id)
            line.write({'state': 'missing_right', 'message': company._nmbrs_error_message(error)})
        except NmbrsError as error:
            company._nmbrs_log_error(error, 'annual documents', line.partner_id)
            line.write({'state': 'failed', 'message': company._nmbrs_error_message(error)})

    def _nmbrs_fetch_with(self, client, kinds):
        """Download the ``kinds`` not stored yet over ``client``; returns the line's outcome values.

        The year's last run must be locked: before that Nmbrs has no final annual documents.
        """
        partner, year = self.partner_id, self.request_id.year
        company_ref = partner._nmbrs_company_ref(client)
        runs = [run for run in client.runs(company_ref, year) if run.year in (None, year)]
        last_run = max(runs, key=lambda run: (run.period_end or 0, run.number or 0), default=None)
        if not last_run or not last_run.is_locked:
            return {'state': 'not_locked', 'message': self.env._(
                "%(year)s is not locked in Nmbrs yet: lock the last run of the year first.", year=year)}

        wanted = {  # nmbrs_key -> (kind, Nmbrs employee or None)
            'annual/%d/%d/%s' % (company_ref, year, kind.code): (kind, None)
            for kind in kinds.filtered(lambda kind: not kind.per_employee)}
        statement_kind = kinds.filtered('per_employee')
        if statement_kind:
            wanted.update((statement_key(partner, year, employee), (statement_kind, employee))
                          for employee in client.all_employees(company_ref))
        existing = set(self.env['nmbrs.document'].search([
            ('company_id', '=', self.env.company.id), ('nmbrs_key', 'in', list(wanted))]).mapped('nmbrs_key'))

        downloads, refused = {}, {}
        for key, (kind, employee) in wanted.items():
            if key in existing or kind.code in refused:
                continue
            try:
                if employee:
                    content = client.annual_statement(employee.id, year)
                else:
                    content = client.annual_document(kind.code, company_ref, last_run.id, year)
            except NmbrsPermissionError as error:
                # Other kinds may still be allowed: go on and name this right in the remarks.
                refused[kind.code] = error
                continue
            if content:
                downloads[key] = content
        # Users may only read documents and need no right to create contacts: filing them is the system's work.
        stored = self.sudo()._nmbrs_store_annual_documents(client, downloads, wanted, last_run)
        values = {'state': 'done', 'fetched_count': stored, 'existing_count': len(existing), 'message': False}
        if refused:
            values.update(state='missing_right', message=self._nmbrs_missing_rights_message(refused.values()))
        return values

    def _nmbrs_missing_rights_message(self, refusals):
        company = self.env.company
        rights = sorted({error.right for error in refusals})
        if len(rights) == 1:
            return company._nmbrs_error_message(next(iter(refusals)))
        return self.env._(
            "The Nmbrs API user template does not allow %(rights)s. In Nmbrs, go to Settings > User templates, "
            "open the template of this user, click the gears in the API column and switch these rights on.",
            rights=', '.join(rights))

    def _nmbrs_store_annual_documents(self, client, downloads, wanted, run):
        """Store the downloaded files as documents of the relation; returns how many were stored."""
        if not downloads:
            return 0
        partner, year = self.partner_id, self.request_id.year
        employees = {wanted[key][1].id: wanted[key][1] for key in downloads if wanted[key][1]}
        contacts = partner._nmbrs_employee_contacts(
            EmployeeRoster(client, partner._nmbrs_company_ref(client), employees=employees.values()),
            {employee.id: employee.number for employee in employees.values()})[0] if employees else {}
        values_list = []
        for key, content in downloads.items():
            kind, employee = wanted[key]
            contact = employee and contacts[employee.id]
            values_list.append({
                'name': document_file_name('pdf', self.env._("Annual statement"), year, contact.name) if contact
                else document_file_name('pdf', kind.name, year, partner.name),
                'document_type': 'annual',
                'annual_kind': kind.code,
                'partner_id': partner.id,
                'employee_partner_id': contact and contact.id,
                'year': year,
                'nmbrs_company_id': partner.nmbrs_company_id,
                # The SOAP run id; a REST run's id is a GUID, which the field does not hold.
                'nmbrs_run_id': run.id if client.id_type is int else False,
                'nmbrs_run_number': run.number,
                'nmbrs_key': key,
                'raw': content,
            })
        created, _skipped = self.env['nmbrs.document']._nmbrs_store(values_list)
        return len(created)

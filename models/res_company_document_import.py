import hashlib
import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models

from ..nmbrs import errors
from ..nmbrs.parallel import MAX_CONCURRENT_CALLS
from . import counted_words
from .nmbrs_relation_import import RelationImport, fetch_runs, import_years
from .res_company_errors import CONNECTION_ERRORS

_logger = logging.getLogger(__name__)

# The hourly cron checks each relation once: its job loop and other workers
# skip relations checked more recently than this.
RECHECK_AFTER = timedelta(minutes=30)
# A relation another worker has held for longer than this shows in the sync log.
BUSY_TOO_LONG = timedelta(hours=1)


class ResCompany(models.Model):
    """The document import per Odoo company: which relations, in which order, by which worker."""
    _inherit = 'res.company'

    def _nmbrs_wanted_document_types(self):
        self.ensure_one()
        switched_on = {'wage_tax': self.nmbrs_import_wage_tax, 'payslip': self.nmbrs_import_payslips,
                       'sepa': self.nmbrs_import_sepa, 'journal': self.nmbrs_import_journals}
        return [document_type for document_type, on in switched_on.items() if on]

    def _nmbrs_linked_relations(self):
        """The relations linked to a Nmbrs company in this Odoo company."""
        self.ensure_one()
        return self.env['res.partner'].with_company(self).search(
            ['|', ('nmbrs_company_id', '!=', False), ('nmbrs_company_guid', '!=', False)], order='id')

    @api.model
    def _cron_nmbrs_import_documents(self):
        """Import the documents of every relation due, in each connected company's import window.

        Several workers may run this at once: each relation is imported by the
        worker that holds its lock, and progress is reported per relation so
        the cron loops until every relation was checked. Imports a user asked
        for ("Import documents now") come first, at any hour, and are reported
        to them once every relation was looked at. An unexpected error in one
        company is logged and the next company goes on.
        """
        due = self._nmbrs_due_relations()
        cron = self.env['ir.cron']
        cron._commit_progress(remaining=sum(len(partners) for _company, partners, _trigger in due))
        for company, partners, trigger in due:
            done = self.env['res.partner']
            try:
                for outcome in company._nmbrs_import_relations(partners, trigger=trigger):
                    done |= outcome.partner if outcome else self.env['res.partner']
                    if not cron._commit_progress(1):
                        return
            except Exception as error:  # noqa: BLE001 - one company must never stop the others
                self.env.cr.rollback()
                company._nmbrs_import_failed(partners - done, trigger, error)
                cron._commit_progress(len(partners - done))
        self.env['nmbrs.sync.request']._nmbrs_finish_document_requests()

    @api.model
    def _nmbrs_due_relations(self):
        """[(company, relations, trigger)] to import now.

        Relations a user asked for, at any hour; then those inside their
        company's window not checked within RECHECK_AFTER.
        """
        due, requested = [], defaultdict(lambda: self.env['res.partner'])
        for request in self.env['nmbrs.sync.request'].search([('kind', '=', 'documents'), ('state', '=', 'queued')]):
            requested[request.company_id] |= request._nmbrs_waiting_relations()
        for company in self.search([('nmbrs_state', '=', 'connected')]):
            partners = requested[company].with_company(company)
            if partners:
                due.append((company, partners, 'requested'))
            if company._nmbrs_wanted_document_types() and company._nmbrs_in_import_window():
                scheduled = company._nmbrs_linked_relations() - company._nmbrs_recently_checked() - partners
                if scheduled:
                    due.append((company, scheduled, 'cron'))
        return due

    def _nmbrs_checked_since(self, date):
        """The relations whose documents were looked at (with any outcome) since ``date``."""
        self.ensure_one()
        groups = self.env['nmbrs.sync.log'].sudo()._read_group(
            [('company_id', '=', self.id), ('kind', '=', 'documents'), ('partner_id', '!=', False),
             ('date', '>=', date)], ['partner_id'])
        return self.env['res.partner'].union(*(partner for partner, in groups))

    def _nmbrs_recently_checked(self):
        return self._nmbrs_checked_since(fields.Datetime.now() - RECHECK_AFTER)

    def _nmbrs_import_documents(self, partners=None):
        """Import the payroll documents of ``partners`` (default: every linked relation) now.

        Returns the RelationImport of each relation (None for one another worker was importing).
        """
        self.ensure_one()
        if partners is None:
            partners = self._nmbrs_linked_relations()
        return list(self._nmbrs_import_relations(partners, trigger='manual'))

    def _nmbrs_import_relations(self, partners, trigger):
        """Import relation after relation, yielding each outcome; work is committed after every run.

        Relations are imported over their route: REST for a debtor a consent
        covers, SOAP for the others, so one lapsed consent or a refused SOAP
        login stops only the relations that go over it. Logs, To-Dos and file
        names are written in the company's language.
        """
        self.ensure_one()
        # Users may only read documents: storing them is the system's work.
        company = self.sudo().with_company(self)._nmbrs_in_stored_lang()
        for consent, route_partners in company._nmbrs_routes(partners.with_env(company.env)):
            yield from company._nmbrs_import_route(consent, route_partners, trigger)

    def _nmbrs_import_route(self, consent, partners, trigger):
        """Import the relations asked over one route (a consent, or SOAP for an empty one).

        While one relation is imported, the runs list of the next one is
        already asked on another thread, so Nmbrs's answer time is not waited
        for between relations.
        """
        company = self
        years = import_years(company)
        try:
            # One connection per call under way: none is opened and dropped again.
            client = company._nmbrs_client_over(consent, pool_size=MAX_CONCURRENT_CALLS)
        except errors.NmbrsError as error:
            company._nmbrs_log_error(error, 'document import')
            for partner in partners:
                company._nmbrs_log_relation_failure(partner, trigger, error)
                company.env.cr.commit()
                yield None
            company._nmbrs_report_failure(company.partner_id, 'connection', company._nmbrs_error_message(error))
            company.env.cr.commit()
            return
        connection_error = None
        with client, ThreadPoolExecutor(max_workers=1, thread_name_prefix='nmbrs-runs') as runs_ahead:
            runs = partners and runs_ahead.submit(fetch_runs, client, partners[0]._nmbrs_company_ref(client), years)
            for index, partner in enumerate(partners):
                if connection_error:
                    company._nmbrs_log_relation_failure(partner, trigger, connection_error)
                    company.env.cr.commit()
                    yield None
                    continue
                # Ask ahead only once this relation's list came back fine: a
                # refused login must not be tried again for the next relation.
                if index + 1 < len(partners) and (runs is None or runs.exception() is None):
                    following = runs_ahead.submit(
                        fetch_runs, client, partners[index + 1]._nmbrs_company_ref(client), years)
                else:
                    following = None
                outcome = company._nmbrs_import_relation(partner, client, trigger, runs)
                runs = following
                if outcome and isinstance(outcome.error, CONNECTION_ERRORS):
                    connection_error = outcome.error
                yield outcome

    def _nmbrs_import_relation(self, partner, client, trigger, runs):
        """Import one relation under its lock; None when another worker has it (or just did it)."""
        cr = self.env.cr
        lock = self._nmbrs_import_lock(partner)
        # A session lock, unlike a row lock, survives the commits after every run.
        cr.execute('SELECT pg_try_advisory_lock(%s)', [lock])
        if not cr.fetchone()[0]:
            self._nmbrs_note_busy(partner, trigger)
            return None
        try:
            cr.commit()  # see what the worker that held the lock before us committed
            if trigger == 'cron' and partner in self._nmbrs_recently_checked():
                return None
            started, start_date = time.monotonic(), fields.Datetime.now()
            outcome = RelationImport(self, partner, client, commit=cr.commit, runs=runs)
            try:
                outcome.run()
            except Exception as error:  # noqa: BLE001 - one relation must never stop the others
                cr.rollback()
                outcome.error = error
                self._nmbrs_log_error(error, 'document import', partner)
            try:
                self._nmbrs_log_import(outcome, trigger, start_date, time.monotonic() - started)
                self._nmbrs_report_import(outcome)
                outcome.post_arrivals()
                cr.commit()
            except Exception as error:  # noqa: BLE001 - e.g. another worker resolved the same To-Do
                cr.rollback()
                self._nmbrs_log_error(error, 'document import log', partner)
                self._nmbrs_log_relation_failure(partner, trigger, error)
                cr.commit()
            # Forget the relation's records: memory stays flat however many relations follow.
            self.env.invalidate_all()
            return outcome
        finally:
            self._nmbrs_release_lock(lock)

    def _nmbrs_release_lock(self, lock):
        """Release the advisory lock on every path: a lock kept on a pooled connection would block the relation."""
        cr = self.env.cr
        try:
            cr.execute('SELECT pg_advisory_unlock(%s)', [lock])
        except psycopg2.Error:
            # The transaction broke off (a database error): unlocking needs a usable one.
            cr.rollback()
            cr.execute('SELECT pg_advisory_unlock(%s)', [lock])

    def _nmbrs_import_lock(self, partner):
        """The PostgreSQL advisory lock id of one relation's import in this company."""
        digest = hashlib.blake2b(b'nmbrs-documents:%d:%d' % (self.id, partner.id), digest_size=8).digest()
        return int.from_bytes(digest, 'big', signed=True)

    def _nmbrs_note_busy(self, partner, trigger):
        """Another worker holds the relation: fine for a while, but over an hour it shows in the sync log."""
        last = self.env['nmbrs.sync.log'].sudo().search(
            [('company_id', '=', self.id), ('partner_id', '=', partner.id), ('kind', '=', 'documents')],
            order='date desc', limit=1).date or partner.write_date
        if last > fields.Datetime.now() - BUSY_TOO_LONG:
            return
        _logger.warning('Nmbrs document import of partner %s skipped: another database session has held its '
                        'lock since before %s', partner.id, last)
        _ = self._nmbrs_in_stored_lang().env._
        self.env['nmbrs.sync.log'].sudo().create({
            'company_id': self.id, 'partner_id': partner.id, 'trigger': trigger, 'state': 'failed',
            'error': _("Not imported for over an hour: another Odoo worker keeps this relation busy. If no import "
                       "is running, restart the Odoo server; nothing is lost.")})
        self.env.cr.commit()

    # ------------------------------------------------------------ log and To-Dos

    def _nmbrs_log_import(self, outcome, trigger, date, duration):
        """One line per document type; a relation that failed as a whole is one failed line."""
        _ = self.env._
        common = {'company_id': self.id, 'partner_id': outcome.partner.id, 'trigger': trigger,
                  'date': date, 'duration': duration}
        if outcome.error:
            totals = {key: sum(counts[key] for counts in outcome.counts.values())
                      for key in ('created', 'skipped', 'failed')}
            self.env['nmbrs.sync.log'].create({
                **common, 'state': 'failed', 'error': self._nmbrs_error_message(outcome.error),
                'created_count': totals['created'], 'skipped_count': totals['skipped'],
                'failed_count': totals['failed'], **self._nmbrs_error_details(outcome.error)})
            return
        if not outcome.types:
            self.env['nmbrs.sync.log'].create({**common, 'note': _("No document type is switched on in Settings.")})
            return
        lines = []
        for document_type in outcome.types:
            counts, error = outcome.counts[document_type], outcome.errors.get(document_type)
            if isinstance(error, errors.NmbrsError):  # others were logged with their traceback when caught
                self._nmbrs_log_error(error, '%s import' % document_type, outcome.partner)
            empty = outcome.empty.get(document_type)
            lines.append({
                **common, 'document_type': document_type, 'created_count': counts['created'],
                'skipped_count': counts['skipped'], 'failed_count': counts['failed'],
                'empty_count': counts['empty'], 'state': 'failed' if error else 'done',
                'note': empty and _("Nmbrs sent no file for: %(items)s. The next import asks again.",
                                    items=', '.join(empty)),
                'error': error and self._nmbrs_error_message(error),
                **(self._nmbrs_error_details(error) if error else {})})
        self.env['nmbrs.sync.log'].create(lines)

    def _nmbrs_log_relation_failure(self, partner, trigger, error):
        self.env['nmbrs.sync.log'].create({
            'company_id': self.id, 'partner_id': partner.id, 'trigger': trigger, 'state': 'failed',
            'error': self._nmbrs_error_message(error), **self._nmbrs_error_details(error)})

    def _nmbrs_import_failed(self, partners, trigger, error):
        """An unexpected error stopped this company's import: log it, mark its relations failed, one To-Do."""
        company = self.sudo()._nmbrs_in_stored_lang()
        company._nmbrs_log_error(error, 'document import')
        message = company._nmbrs_error_message(error)
        company.env['nmbrs.sync.log'].create([{
            'company_id': company.id, 'partner_id': partner.id, 'trigger': trigger, 'state': 'failed',
            'error': message, **company._nmbrs_error_details(error)} for partner in partners])
        company._nmbrs_report_failure(company.partner_id, 'document_import', message)

    def _nmbrs_report_import(self, outcome):
        """One open To-Do per failure and relation; resolved once the relation imports cleanly.

        A refused SOAP login is the company's connection To-Do; over REST a
        refusal concerns one debtor's consent, so it stays on the relation.
        """
        over_soap = outcome.client.protocol == 'soap'
        if over_soap and isinstance(outcome.error, CONNECTION_ERRORS):
            self._nmbrs_report_failure(self.partner_id, 'connection', self._nmbrs_error_message(outcome.error))
            return
        if over_soap:
            self._nmbrs_resolve_failure(self.partner_id, 'connection')
        error = outcome.error or next(iter(outcome.errors.values()), None)
        if error:
            self._nmbrs_report_failure(outcome.partner, 'document_import', self._nmbrs_error_message(error))
        else:
            self._nmbrs_resolve_failure(outcome.partner, 'document_import')

    def _nmbrs_import_report(self, logs, relations):
        """The inbox message about an import of ``relations`` a user asked for, from its sync ``logs``."""
        _ = self.env._
        created = sum(logs.mapped('created_count'))
        failed = logs.filtered(lambda log: log.state == 'failed')
        body = Markup('<p>%s</p>') % _(
            "Nmbrs import done: %(documents)s for %(relations)s.",
            documents=counted_words.new_payroll_documents(self.env, created),
            relations=counted_words.relations(self.env, len(relations)))
        if failed:
            body += Markup('<p>%s</p>') % _("These relations could not be imported completely:")
            rows = dict.fromkeys((log.partner_id.display_name, log.error) for log in failed)
            body += self.env['nmbrs.sync.request']._nmbrs_table(rows)
        return body

import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from odoo import api, fields, models

from ..nmbrs import errors
from ..nmbrs.parallel import MAX_CONCURRENT_CALLS
from .nmbrs_relation_import import RelationImport, fetch_runs, import_years

_logger = logging.getLogger(__name__)

# Errors that every relation of the Odoo company would meet: reported once, on the company.
CONNECTION_ERRORS = (errors.NmbrsAuthenticationError, errors.NmbrsPermissionError,
                     errors.NmbrsSubscriptionError, errors.NmbrsConnectionError)
# The hourly cron checks each relation once: its job loop and other workers
# skip relations checked more recently than this.
RECHECK_AFTER = timedelta(minutes=30)


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
        return self.env['res.partner'].with_company(self).search([('nmbrs_company_id', '!=', False)], order='id')

    @api.model
    def _cron_nmbrs_import_documents(self):
        """Import the documents of every relation due, in each connected company's import window.

        Several workers may run this at once: each relation is imported by the
        worker that holds its lock, and progress is reported per relation so
        the cron loops until every relation was checked.
        """
        due = self._nmbrs_due_relations()
        cron = self.env['ir.cron']
        cron._commit_progress(remaining=sum(len(partners) for _company, partners in due))
        for company, partners in due:
            for _outcome in company._nmbrs_import_relations(partners, trigger='cron'):
                if not cron._commit_progress(1):
                    return

    @api.model
    def _nmbrs_due_relations(self):
        """[(company, relations)] to import now: inside the window, not checked within RECHECK_AFTER."""
        due = []
        for company in self.search([('nmbrs_state', '=', 'connected')]):
            if company._nmbrs_wanted_document_types() and company._nmbrs_in_import_window():
                partners = company._nmbrs_linked_relations() - company._nmbrs_recently_checked()
                if partners:
                    due.append((company, partners))
        return due

    def _nmbrs_recently_checked(self):
        self.ensure_one()
        groups = self.env['nmbrs.sync.log'].sudo()._read_group(
            [('company_id', '=', self.id), ('date', '>=', fields.Datetime.now() - RECHECK_AFTER)], ['partner_id'])
        return self.env['res.partner'].union(*(partner for partner, in groups))

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

        While one relation is imported, the runs list of the next one is
        already asked on another thread, so Nmbrs's answer time is not waited
        for between relations.
        """
        self.ensure_one()
        # Users may only read documents: storing them is the system's work.
        company = self.sudo().with_company(self)
        partners = partners.with_env(company.env)
        years = import_years(company)
        connection_error = None
        # One connection per call under way: none is opened and dropped again.
        with company._nmbrs_client(pool_size=MAX_CONCURRENT_CALLS) as client, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix='nmbrs-runs') as runs_ahead:
            runs = partners and runs_ahead.submit(fetch_runs, client, partners[0].nmbrs_company_id, years)
            for index, partner in enumerate(partners):
                if connection_error:
                    company._nmbrs_log_relation_failure(partner, trigger, connection_error)
                    company.env.cr.commit()
                    yield None
                    continue
                # Ask ahead only once this relation's list came back fine: a
                # refused login must not be tried again for the next relation.
                if index + 1 < len(partners) and (runs is None or runs.exception() is None):
                    following = runs_ahead.submit(fetch_runs, client, partners[index + 1].nmbrs_company_id, years)
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
                if not isinstance(error, errors.NmbrsError):
                    _logger.exception('Nmbrs document import of partner %s failed', partner.id)
            self._nmbrs_log_import(outcome, trigger, start_date, time.monotonic() - started)
            self._nmbrs_report_import(outcome)
            outcome.post_arrivals()
            cr.commit()
            # Forget the relation's records: memory stays flat however many relations follow.
            self.env.invalidate_all()
            return outcome
        finally:
            cr.execute('SELECT pg_advisory_unlock(%s)', [lock])

    def _nmbrs_import_lock(self, partner):
        """The PostgreSQL advisory lock id of one relation's import in this company."""
        digest = hashlib.blake2b(b'nmbrs-documents:%d:%d' % (self.id, partner.id), digest_size=8).digest()
        return int.from_bytes(digest, 'big', signed=True)

    # ------------------------------------------------------------ log and To-Dos

    def _nmbrs_import_error_text(self, error):
        if isinstance(error, errors.NmbrsError):
            return self._nmbrs_error_message(error)
        return self.env._("The import stopped on an unexpected error (%(error)s). It is tried again at the "
                          "next run; if this persists, contact your Odoo partner.", error=error)

    def _nmbrs_log_import(self, outcome, trigger, date, duration):
        common = {'company_id': self.id, 'partner_id': outcome.partner.id, 'trigger': trigger,
                  'date': date, 'duration': duration}
        lines = []
        for document_type in outcome.types:
            counts, error = outcome.counts[document_type], outcome.errors.get(document_type)
            lines.append({
                **common, 'document_type': document_type, 'created_count': counts['created'],
                'skipped_count': counts['skipped'], 'failed_count': counts['failed'],
                'state': 'failed' if error else 'done', 'error': error and self._nmbrs_import_error_text(error)})
        if outcome.error:
            lines.append({**common, 'state': 'failed', 'error': self._nmbrs_import_error_text(outcome.error)})
        self.env['nmbrs.sync.log'].create(lines)

    def _nmbrs_log_relation_failure(self, partner, trigger, error):
        self.env['nmbrs.sync.log'].create({
            'company_id': self.id, 'partner_id': partner.id, 'trigger': trigger, 'state': 'failed',
            'error': self._nmbrs_import_error_text(error)})

    def _nmbrs_report_import(self, outcome):
        """One open To-Do per failure and relation; resolved once the relation imports cleanly."""
        if isinstance(outcome.error, CONNECTION_ERRORS):
            self._nmbrs_report_failure(self.partner_id, 'connection',
                                       self._nmbrs_import_error_text(outcome.error))
            return
        self._nmbrs_resolve_failure(self.partner_id, 'connection')
        error = outcome.error or next(iter(outcome.errors.values()), None)
        if error:
            self._nmbrs_report_failure(outcome.partner, 'document_import',
                                       self._nmbrs_import_error_text(error))
        else:
            self._nmbrs_resolve_failure(outcome.partner, 'document_import')

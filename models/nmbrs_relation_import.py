"""The payroll document import of one relation: what to fetch from Nmbrs, fetching it, storing it."""
from collections import Counter, defaultdict
from datetime import date
from functools import partial

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields
from odoo.tools import LazyTranslate
from odoo.tools.misc import format_date

from ..nmbrs.dates import local_date
from ..nmbrs.errors import NmbrsError, NmbrsResponseError
from ..nmbrs.parallel import fetch_all, fetch_in_order
from ..nmbrs.records import Records
from . import document_keys
from .nmbrs_document import document_file_name, period_label
from .nmbrs_run import RUN_DOCUMENT_FLAGS
from .res_partner_employee import EmployeeRoster

_lt = LazyTranslate(__name__)

# The names accountants know these documents by (in Dutch: Loonstrook, Loonaangifte, ...), and their file type.
FILE_NAMES = {
    'payslip': (_lt("Payslip"), 'pdf'),
    'wage_tax': (_lt("Wage tax declaration"), 'xml'),
    'sepa': (_lt("SEPA salary payment"), 'xml'),
    'journal': (_lt("Payroll journal"), 'xml'),
}


def file_name(env, document_type, year, period, name, number=1):
    """'Loonstrook 2026-03 Jan de Vries.pdf' in ``env``'s language; a second payslip of a run gets ' (2)'."""
    prefix, extension = FILE_NAMES[document_type]
    return document_file_name(
        extension, env._(prefix), period_label(year, period), name, '(%d)' % number if number > 1 else None)


def import_years(company):
    """Last year and this year, in the company's timezone: the runs the import looks at."""
    today = pytz.utc.localize(fields.Datetime.now()).astimezone(company._nmbrs_timezone()).date()
    return today.year - 1, today.year


def fetch_runs(client, company_ref, years):
    """The Nmbrs runs of a company in ``years``; only calls Nmbrs, so it may run on another thread.

    A run that cannot be read, or that lacks its year or period, is listed in ``unreadable``.
    """
    runs = Records()
    for year in years:
        found = client.runs(company_ref, year)
        runs.unreadable += getattr(found, 'unreadable', [])
        for run in found:
            if run.year and run.period_end:
                runs.append(run)
            else:
                runs.unreadable.append(NmbrsResponseError(
                    'Nmbrs sent a payroll run without its year or period.', operation='CompanyService.Run_GetList',
                    detail='run %s: year %s, period %s' % (run.id, run.year, run.period_end)))
    return runs


def fetch_declarations(client, company_ref, years):
    """The wage tax declarations of a company in ``years``; those that cannot be read are in ``unreadable``."""
    declarations = Records()
    for year in years:
        found = client.wage_taxes(company_ref, year)
        declarations.unreadable += getattr(found, 'unreadable', [])
        for declaration in found:
            if declaration.year:
                declarations.append(declaration)
            else:
                declarations.unreadable.append(NmbrsResponseError(
                    'Nmbrs sent a wage tax declaration without its year.',
                    operation='CompanyService.WageTax_GetList', detail='declaration %s' % declaration.id))
    return declarations


def payment_date(run):
    """The payment date Nmbrs asks for to build a run's SEPA file.

    Nmbrs writes it into the file as the requested execution date but does not
    know the company's pay day. Salaries are paid once the run is done, so the
    run date is the best guess; a run without one pays at the end of its
    (monthly) period.
    """
    if run.run_at:
        return local_date(run.run_at)
    return date(run.year, min(run.period_end or 12, 12), 1) + relativedelta(months=1, days=-1)


class RelationImport:
    """Imports the payroll documents of one relation (a partner linked to a Nmbrs company).

    Only locked runs are imported: until a run is locked its payslips can still
    change in Nmbrs. The runs of this year and last year are compared with what
    was stored, so a late run of an earlier month is caught up, while a run
    whose documents are all stored costs no call beyond the list of runs.
    ``commit`` is called after every run, so a crash loses at most that run.

    ``client`` is the relation's route (SOAP, or REST over the consent that
    covers its debtor). Runs and documents are known by Nmbrs's numbers
    (document_keys), so what one protocol imported the other never imports again.
    """

    def __init__(self, company, partner, client, commit, runs=None):
        self.company = company
        self.env = company.env
        self.partner = partner.with_env(self.env)
        self.client = client
        self.commit = commit
        # The id to ask the client for; the SOAP id (0 on a REST-only link) stays on what is stored.
        self.company_ref = self.partner._nmbrs_company_ref(client)
        self.nmbrs_company_id = self.partner.nmbrs_company_id
        self.owner = document_keys.owner(self.partner.id, self.partner.nmbrs_company_number
                                         or 'id:%s' % self.company_ref)
        self.types = company._nmbrs_wanted_document_types()
        self.counts = defaultdict(Counter)  # document type -> created / skipped / failed
        self.errors = {}  # document type -> its first error
        self.empty = defaultdict(list)  # document type -> what Nmbrs answered empty, e.g. 'run 2026-03 (12)'
        self.error = None  # what stopped the whole relation, if anything
        self.arrived = Counter()  # (document type, year, period) -> documents created
        self._employee_partners = {}
        self._roster = EmployeeRoster(client, self.company_ref)
        # A future of the runs list, when the caller fetched it ahead of time.
        self._runs = runs

    # ------------------------------------------------------------ the import

    def run(self):
        years = import_years(self.company)
        runs = self._runs.result() if self._runs else fetch_runs(self.client, self.company_ref, years)
        run_types = [document_type for document_type in self.types if document_type in RUN_DOCUMENT_FLAGS]
        for error in runs.unreadable:
            # That run alone waits: it is looked at again at the next import.
            for document_type in run_types:
                self._failed(document_type, error)
        # (types, fetch, store) per batch: fetch only calls Nmbrs, on another thread, so
        # the next batches download while this thread stores an earlier one.
        batches = []
        stored = self._stored_keys(years)
        if 'wage_tax' in self.types:
            batches.append((['wage_tax'], *self._wage_tax_batch(years, runs, stored)))
        if run_types:
            records = self._run_records(runs, years)
            payslips = self._stored_payslip_prefixes(stored)
            batches += filter(None, (self._run_batch(run, records, runs, stored, payslips)
                                     for run in runs if run.is_locked))
            self.commit()
        for (types, _fetch, store), fetched in zip(
                batches, fetch_in_order(fetch for _types, fetch, _store in batches)):
            try:
                with self.env.cr.savepoint():
                    store(fetched)
            except Exception as error:  # noqa: BLE001 - one batch that cannot be stored must not stop the others
                self.company._nmbrs_log_error(error, 'document import', self.partner)
                for document_type in types:
                    self._failed(document_type, error)
            self.commit()

    def _run_records(self, runs, years):
        """The nmbrs.run record of every run, created or brought up to date: {run id: record}.

        A run is found by its year and number, so a run seen over SOAP is the
        same record over REST and gains its REST id.
        """
        Run = self.env['nmbrs.run']
        id_field = 'nmbrs_run_guid' if self.client.protocol == 'rest' else 'nmbrs_run_id'
        known = Run.search([('company_id', '=', self.company.id), ('partner_id', '=', self.partner.id),
                            ('nmbrs_company_id', 'in', [self.nmbrs_company_id, 0]), ('year', 'in', list(years))])
        by_number = {(record.year, record.number): record for record in known if record.number}
        by_id = {record[id_field]: record for record in known if record[id_field]}
        records, new = {}, []
        for run in runs:
            record = by_id.get(run.id) or (run.number and by_number.get((run.year, run.number)))
            if record:
                records[run.id] = record
                values = {field: value for field, value in ((id_field, run.id), ('locked', bool(run.is_locked)))
                          if record[field] != value}
                if values:
                    record.write(values)
            else:
                new.append(run)
        created = Run.create([{
            'company_id': self.company.id, 'partner_id': self.partner.id, 'nmbrs_company_id': self.nmbrs_company_id,
            id_field: run.id, 'name': run.description, 'number': run.number, 'year': run.year,
            'period_start': run.period_start, 'period': run.period_end, 'run_at': run.run_at,
            'locked': bool(run.is_locked)} for run in new])
        records.update(zip((run.id for run in new), created))
        return records

    def _stored_keys(self, years):
        """{key: (document id, year, period)} of the relation's documents of ``years``, in one query."""
        return {document['nmbrs_key']: (document['id'], document['year'], document['period'])
                for document in self.env['nmbrs.document'].search_read([
                    ('company_id', '=', self.company.id), ('partner_id', '=', self.partner.id),
                    ('year', 'in', list(years)), ('document_type', 'in', self.types)],
                    ['nmbrs_key', 'year', 'period'])}

    @staticmethod
    def _stored_payslip_prefixes(stored):
        """{key prefix of one employee in one run: payslips stored}."""
        return Counter(key.rsplit('/', 1)[0] + '/' for key in stored if key.startswith('payslip/'))

    @staticmethod
    def _period_runs(run, runs):
        """The runs of ``run``'s (last) period, by number."""
        return sorted((other for other in runs if other.year == run.year and other.period_end == run.period_end),
                      key=lambda other: other.number or 0)

    def _payslips_here(self, run, runs):
        """Whether this run's batch fetches payslips.

        Over SOAP every run has its own payslips. Over REST Nmbrs gives one
        payslip per employee per period, as it stands after the period's runs
        (see api_facts on getEmployeePayslipPerPeriod): it is fetched once every run of
        the period is locked, by the batch of the period's last run, and filed
        under the last run the employee was paid in, the run SOAP stores it
        under. So a period imported partly over SOAP gets no payslip twice.
        """
        if not self.client.payslips_per_period:
            return True
        period_runs = self._period_runs(run, runs)
        return all(other.is_locked for other in period_runs) and period_runs[-1] is run

    def _run_batch(self, run, records, runs, stored, payslips):
        """(fetch, store) of a run's missing documents; None when it has all it needs."""
        record = records[run.id]
        wanted = [document_type for document_type in RUN_DOCUMENT_FLAGS
                  if document_type in self.types and not record[RUN_DOCUMENT_FLAGS[document_type]]
                  and (document_type != 'payslip' or self._payslips_here(run, runs))]
        if not wanted:
            return None
        # Over REST the last run's batch fetches the payslips of its whole period.
        payslip_runs = self._period_runs(run, runs) if self.client.payslips_per_period else [run]

        def fetch():
            failures, skipped, calls, paid_in = [], Counter(), {}, {}
            if 'payslip' in wanted:
                for payslip_run in payslip_runs:
                    try:
                        found = self.client.run_employees(self.company_ref, payslip_run.id, payslip_run.year)
                    except NmbrsError as error:
                        failures.append(('payslip', error))
                        continue
                    failures += [('payslip', error) for error in getattr(found, 'unreadable', ())]
                    for employee in found:
                        # The last run of the period that paid the employee (runs come by number).
                        paid_in[employee.employee_id] = (employee, payslip_run)
                employees = [employee for employee, _run in paid_in.values()]
                if not employees and not failures:
                    failures.append(('payslip', None))  # no employee in a locked run: asked again next time
                for employee in employees:
                    employee_run = paid_in[employee.employee_id][1]
                    already = payslips[document_keys.run_employee_prefix(self.owner, employee_run, employee)]
                    if already:
                        skipped['payslip'] += already
                        continue
                    calls[('payslip', employee.employee_id, employee.employee_number)] = partial(
                        self._payslips, employee_run, employee.employee_id)
            for document_type, download in (('sepa', partial(self.client.sepa, payment_date=payment_date(run))),
                                            ('journal', self.client.journal)):
                if document_type not in wanted:
                    continue
                if document_keys.run_key(document_type, self.owner, run) in stored:
                    skipped[document_type] += 1
                    continue
                calls[(document_type,)] = partial(download, self.company_ref, run.id, run.year)
            return failures, skipped, fetch_all(calls), paid_in

        def store(fetched):
            failures, skipped, results, paid_in = fetched
            complete = dict.fromkeys(wanted, True)
            for document_type, error in failures:
                if error:
                    self._failed(document_type, error)
                else:
                    self._empty(document_type, run.year, run.period_end)
                complete[document_type] = False
            for document_type, count in skipped.items():
                self.counts[document_type]['skipped'] += count
            values = []
            payslips_fetched = {call[1:]: result for call, result in results.items() if call[0] == 'payslip'}
            partners = self._employees(
                {employee_id: number for (employee_id, number), (_pdfs, error) in payslips_fetched.items()
                 if not error})
            for call, (result, error) in results.items():
                document_type = call[0]
                if error:
                    self._failed(document_type, error)
                    complete[document_type] = False
                elif not result:
                    # Nmbrs may not have made the file yet: not done, so a later import asks again.
                    self._empty(document_type, run.year, run.period_end,
                                partners.get(call[1]) if document_type == 'payslip' else None)
                    complete[document_type] = False
                elif document_type == 'payslip':
                    employee, employee_run = paid_in[call[1]]
                    contact = partners.get(call[1])
                    for number, pdf in enumerate(result, start=1):
                        values.append(self._run_values(
                            employee_run, records[employee_run.id], 'payslip', pdf,
                            document_keys.run_key('payslip', self.owner, employee_run, employee, number),
                            file_name(self.env, 'payslip', run.year, run.period_end, contact.name, number),
                            contact))
                else:
                    values.append(self._run_values(
                        run, record, document_type, result, document_keys.run_key(
                            document_type, self.owner, run),
                        file_name(self.env, document_type, run.year, run.period_end, self.partner.name)))
            for document_type, done in self._store(values).items():
                complete[document_type] = complete.get(document_type, True) and done
            for document_type, done in complete.items():
                if done:
                    # Over REST a period's payslips are done for every run of the period at once.
                    done_runs = payslip_runs if document_type == 'payslip' else [run]
                    self.env['nmbrs.run'].union(*(records[done_run.id] for done_run in done_runs)).write(
                        {RUN_DOCUMENT_FLAGS[document_type]: True})

        return wanted, fetch, store

    def _payslips(self, run, employee_id):
        """An employee's payslip PDFs: of the run over SOAP, of the run's period over REST."""
        if self.client.payslips_per_period:
            pdf = self.client.period_payslip(employee_id, run.year, run.period_end)
            return [pdf] if pdf else []
        return self.client.employee_payslips(self.company_ref, run.id, run.year, employee_id)

    def _wage_tax_batch(self, years, runs, stored):
        """(fetch, store) of the declarations of ``years`` not stored yet that the company's rule lets in."""
        accepted = self._declaration_rule(runs)
        legacy = {key: found for key, found in stored.items() if key.startswith('wage_tax/') and key.count('/') == 2}

        def fetch():
            try:
                declarations = fetch_declarations(self.client, self.company_ref, years)
            except NmbrsError as error:
                return error, [], {}, {}, {}, {}
            keys = {declaration.id: document_keys.declaration_key(self.owner, declaration)
                    for declaration in declarations}
            adopted = self._adopt_legacy(declarations, keys, stored, legacy)
            wanted = {declaration.id: declaration for declaration in declarations
                      if keys[declaration.id] not in stored and declaration.id not in adopted
                      and accepted(declaration)}
            return None, declarations, wanted, keys, adopted, fetch_all({
                declaration_id: partial(self.client.wage_tax_xml, self.company_ref, declaration_id)
                for declaration_id in wanted})

        def store(fetched):
            list_error, declarations, wanted, keys, adopted, results = fetched
            if list_error:
                self._failed('wage_tax', list_error)
                return
            for error in declarations.unreadable:
                self._failed('wage_tax', error)
            self.env['nmbrs.wage.tax.status']._record_seen(self.company, [d.status for d in declarations])
            for declaration_id, document_id in adopted.items():
                self.env['nmbrs.document'].browse(document_id).nmbrs_key = keys[declaration_id]
                self.counts['wage_tax']['skipped'] += 1
            values = []
            for declaration_id, (xml, error) in results.items():
                declaration = wanted[declaration_id]
                if error:
                    self._failed('wage_tax', error)
                elif not xml:
                    self._empty('wage_tax', declaration.year, declaration.period)
                else:
                    values.append({
                        'document_type': 'wage_tax', 'raw': xml, 'nmbrs_key': keys[declaration_id],
                        'name': file_name(self.env, 'wage_tax', declaration.year, declaration.period,
                                          self.partner.name),
                        'year': declaration.year, 'period': declaration.period, 'nmbrs_status': declaration.status,
                        **self._common_values()})
            self._store(values)

        return fetch, store

    def _adopt_legacy(self, declarations, keys, stored, legacy):
        """{declaration id: id of the document stored for it under its old key}.

        Before 19.0.1.2.0 a declaration was stored under its SOAP id. Over SOAP
        that id is seen again and the document takes the new key. Over REST,
        which names no SOAP id, the old documents of a period stand for the
        period's declarations not stored under the new key, in order (SOAP ids
        and serial numbers both grow): never fetched a second time.
        """
        if not legacy:
            return {}
        if self.client.protocol == 'soap':
            return {declaration.id: legacy[key][0] for declaration in declarations
                    if (key := document_keys.soap_declaration_key(self.nmbrs_company_id, declaration.id)) in legacy}
        old = defaultdict(list)
        for document_id, year, period in sorted(legacy.values()):
            old[(year, period)].append(document_id)
        new = defaultdict(list)
        for declaration in sorted(declarations, key=lambda declaration: declaration.serial_number or 0):
            if keys[declaration.id] not in stored:
                new[(declaration.year, declaration.period)].append(declaration.id)
        return {declaration_id: document_id for period, declaration_ids in new.items()
                for declaration_id, document_id in zip(declaration_ids, old.get(period, ()))}

    def _declaration_rule(self, runs):
        """Whether the company's rule lets a declaration in, as a function the fetching thread may call.

        'locked' (the default): every run of its period is locked in Nmbrs.
        'status': its Nmbrs status is one the company chose.
        """
        if self.company.nmbrs_wage_tax_rule == 'status':
            statuses = set(self.company.nmbrs_wage_tax_status_ids.mapped('name'))
            return lambda declaration: declaration.status in statuses

        def all_runs_locked(declaration):
            period_runs = [run for run in runs if run.year == declaration.year and declaration.period
                           and (run.period_start or run.period_end) <= declaration.period <= run.period_end]
            return bool(period_runs) and all(run.is_locked for run in period_runs)
        return all_runs_locked

    # ------------------------------------------------------------ helpers

    def _common_values(self):
        return {'company_id': self.company.id, 'partner_id': self.partner.id,
                'nmbrs_company_id': self.nmbrs_company_id, 'import_date': fields.Datetime.now()}

    def _run_values(self, run, record, document_type, raw, key, name, employee=None):
        return {'document_type': document_type, 'raw': raw, 'nmbrs_key': key, 'name': name,
                'year': run.year, 'period': run.period_end, 'run_id': record.id,
                'nmbrs_run_id': record.nmbrs_run_id, 'nmbrs_run_number': run.number,
                'employee_partner_id': employee.id if employee else False, **self._common_values()}

    def _employees(self, employee_numbers):
        """The contacts of these employees ({id: number}), each looked up once per import."""
        missing = {employee_id: number for employee_id, number in employee_numbers.items()
                   if employee_id not in self._employee_partners}
        if missing:
            self._employee_partners.update(self.partner._nmbrs_employee_contacts(self._roster, missing)[0])
        return self._employee_partners

    def _store(self, values):
        """Store documents; a document that cannot be stored fails alone. Returns {type: all stored}."""
        stored = {}
        if not values:
            return stored
        try:
            with self.env.cr.savepoint():
                created, skipped = self.env['nmbrs.document']._nmbrs_store(values)
        except Exception:  # noqa: BLE001 - find the document at fault, store the others
            created, skipped = self.env['nmbrs.document'].browse(), []
            for document_values in values:
                try:
                    with self.env.cr.savepoint():
                        one_created, one_skipped = self.env['nmbrs.document']._nmbrs_store([document_values])
                except Exception as error:  # noqa: BLE001
                    self.company._nmbrs_log_error(error, 'document import', self.partner)
                    self._failed(document_values['document_type'], error)
                    stored[document_values['document_type']] = False
                    continue
                created |= one_created
                skipped += one_skipped
        for document in created:
            self.counts[document.document_type]['created'] += 1
            self.arrived[(document.document_type, document.year, document.period)] += 1
        for document_values in skipped:
            self.counts[document_values['document_type']]['skipped'] += 1
        return {document_type: stored.get(document_type, True) for document_type in
                {document_values['document_type'] for document_values in values}}

    def _failed(self, document_type, error):
        self.counts[document_type]['failed'] += 1
        self.errors.setdefault(document_type, error)

    def _empty(self, document_type, year, period, employee=None):
        """Nmbrs answered without a file: note which (period, and employee for a payslip); a later import asks again."""
        self.counts[document_type]['empty'] += 1
        self.empty[document_type].append(
            '%s %s' % (period_label(year, period), employee.name) if employee else period_label(year, period))

    # ------------------------------------------------------------ telling the user

    def post_arrivals(self):
        """Tell the relation's chatter what arrived (never the files or amounts: those stay on the documents).

        A catch-up over many periods is told per document type with its first
        and last period, so the note stays short.
        """
        if not self.arrived:
            return
        periods = sorted({(year, period) for _type, year, period in self.arrived})
        if len(periods) <= 3:
            lines = [self._arrival_text(document_type, count, self._period_text(year, period))
                     for (document_type, year, period), count in sorted(self.arrived.items(), key=lambda item: (
                         item[0][1], item[0][2], item[0][0]))]
        else:
            per_type = Counter()
            for (document_type, _year, _period), count in self.arrived.items():
                per_type[document_type] += count
            span = self.env._("%(first)s to %(last)s", first=self._period_text(*periods[0]),
                              last=self._period_text(*periods[-1]))
            lines = [self._arrival_text(document_type, count, span) for document_type, count in sorted(per_type.items())]
        body = Markup('<p>%s</p><ul>%s</ul>') % (
            self.env._("Payroll documents arrived from Nmbrs:"),
            Markup().join(Markup('<li>%s</li>') % line for line in lines))
        self.partner._message_log(body=body)

    def _period_text(self, year, period):
        if 1 <= period <= 12:
            return format_date(self.env, date(year, period, 1), date_format='MMMM y')
        return period_label(year, period)

    def _arrival_text(self, document_type, count, when):
        _ = self.env._
        if document_type == 'payslip':
            if count == 1:
                return _("1 payslip for %(period)s", period=when)
            return _("%(count)s payslips for %(period)s", count=count, period=when)
        label = dict(self.env['nmbrs.document']._fields['document_type']._description_selection(self.env))
        if count == 1:
            return _("%(document)s for %(period)s", document=label[document_type], period=when)
        return _("%(count)s × %(document)s for %(period)s", count=count, document=label[document_type], period=when)

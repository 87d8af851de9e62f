"""A whole office imported over REST by the client alone: the work the Odoo import will do over REST (issue 14).

The Odoo import speaks SOAP only until issue 14, so the benchmark drives the
REST client with the SOAP import's own shape (models/nmbrs_relation_import.py):
company after company, the next company's runs asked ahead; the runs of last
year and this year; the declarations not stored yet whose runs are all locked;
and for each locked run whose documents are missing, its employees, each one's
payslip of the run's period, the SEPA file and the journal. BATCHES_AHEAD
batches download while the caller stores an earlier one (parallel.fetch_in_order),
each batch's downloads in parallel (parallel.fetch_all). ``store`` receives each
batch's documents and ``stored_keys`` says what is already there, so a second
import asks the lists only. No Odoo import here: plain Python.
"""
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from odoo.addons.nmbrs_connector.nmbrs.dates import local_date
from odoo.addons.nmbrs_connector.nmbrs.errors import NmbrsError
from odoo.addons.nmbrs_connector.nmbrs.parallel import fetch_all, fetch_in_order


def key(*parts):
    return '/'.join(map(str, parts))


def _runs(client, company_id, years):
    return [run for year in years for run in client.runs(company_id, year)]


def import_office(client, companies, years, stored_keys, store):
    """Import every company (a record of client.companies()); returns a Counter of what happened."""
    outcome = Counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix='rest-runs') as runs_ahead:
        following = companies and runs_ahead.submit(_runs, client, companies[0].id, years)
        for index, company in enumerate(companies):
            runs_future = following
            following = (runs_ahead.submit(_runs, client, companies[index + 1].id, years)
                         if index + 1 < len(companies) else None)
            try:
                _import_company(client, company, years, runs_future.result(), stored_keys(company), store, outcome)
            except NmbrsError:
                outcome['failed companies'] += 1
    return outcome


def _import_company(client, company, years, runs, stored, store, outcome):
    batches = [_wage_tax_batch(client, company, years, runs, stored)]
    batches += filter(None, (_run_batch(client, company, run, stored) for run in runs if run.is_locked))
    for values, failed in fetch_in_order(batches):
        outcome['failed downloads'] += failed
        outcome['documents'] += len(values)
        store(company, values)


def _wage_tax_batch(client, company, years, runs, stored):
    def locked(declaration):
        period_runs = [run for run in runs if run.year == declaration.year
                       and (run.period_start or run.period_end) <= declaration.period <= run.period_end]
        return bool(period_runs) and all(run.is_locked for run in period_runs)

    def fetch():
        declarations = {declaration.id: declaration for year in years
                        for declaration in client.wage_taxes(company.id, year)
                        if key('wage_tax', company.id, declaration.id) not in stored and locked(declaration)}
        results = fetch_all({declaration_id: partial(client.wage_tax_xml, company.id, declaration_id)
                             for declaration_id in declarations})
        values = [{'document_type': 'wage_tax', 'raw': xml, 'key': key('wage_tax', company.id, declaration_id),
                   'year': declarations[declaration_id].year, 'period': declarations[declaration_id].period}
                  for declaration_id, (xml, error) in results.items() if xml]
        return values, sum(1 for _xml, error in results.values() if error)
    return fetch


def _run_batch(client, company, run, stored):
    """The fetch of a run's missing documents; None when all are stored."""
    run_keys = {kind: key(kind, company.id, run.id) for kind in ('sepa', 'journal')}
    payslip_prefix = key('payslip', company.id, run.id) + '/'
    if all(run_key in stored for run_key in run_keys.values()) and any(
            stored_key.startswith(payslip_prefix) for stored_key in stored):
        return None

    def fetch():
        calls = {}
        for employee in client.run_employees(company.id, run.id, run.year):
            employee_key = payslip_prefix + employee.employee_id
            if employee_key not in stored:
                calls[('payslip', employee_key)] = partial(
                    client.period_payslip, employee.employee_id, run.year, run.period_end)
        if run_keys['sepa'] not in stored:
            calls[('sepa', run_keys['sepa'])] = partial(client.sepa, company.id, run.id, run.year,
                                                         local_date(run.run_at))
        if run_keys['journal'] not in stored:
            calls[('journal', run_keys['journal'])] = partial(client.journal, company.id, run.id, run.year)
        results = fetch_all(calls)
        values = [{'document_type': kind, 'raw': raw, 'key': document_key, 'year': run.year,
                   'period': run.period_end, 'run': run.id}
                  for (kind, document_key), (raw, error) in results.items() if raw]
        return values, sum(1 for _raw, error in results.values() if error)
    return fetch

# Run inside `odoo shell` by bench/run.sh (which sets the BENCH_* variables):
# connects the database's company to a running sandbox, links one relation per
# Nmbrs company, then measures the initial import, a no-change import and the
# storage bound, and writes the figures as JSON to BENCH_RESULT.
import json
import os
import time

from measure import api_bound, calls_seen, control, counts, peak_rss_mb, storage_bound

from odoo.addons.nmbrs_connector.nmbrs import api_facts, parallel

LATENCY = float(os.environ['BENCH_LATENCY'])
RESULT = os.environ['BENCH_RESULT']
DOWNLOADS = ('Run_GetEmployeesByRunCompany', 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
             'SalaryDocuments_GetSEPA', 'Journals_GetByRunCompany_v2', 'WageTax_GetXML')


def measured_import(env, company, relations):
    """One import of every relation, timed, with what Nmbrs saw of it."""
    control('DELETE', 'calls')
    before = counts(env)
    started = time.monotonic()
    outcomes = company._nmbrs_import_documents(relations)
    wall = time.monotonic() - started
    # Before the sandbox's call log is read into this process: it grows with the office.
    rss = peak_rss_mb()
    env.cr.commit()
    after = counts(env)
    created = after['documents'] - before['documents']
    return {
        'wall_s': round(wall, 2),
        **calls_seen(DOWNLOADS),
        'documents_created': created,
        'attachments_created': after['attachments'] - before['attachments'],
        'bytes_downloaded': after['bytes'] - before['bytes'],
        'documents_per_second': round(created / wall, 1) if wall else None,
        'failed_relations': sum(1 for outcome in outcomes if outcome is None or outcome.error or outcome.errors),
        'peak_rss_mb': round(rss, 1),
    }


def main(env):
    credentials = control('GET', 'credentials')
    company = env.company
    company.write({
        'nmbrs_username': credentials['username'], 'nmbrs_token': credentials['token'],
        'nmbrs_tenant_key': credentials['domain'], 'nmbrs_environment': 'custom',
        'nmbrs_api_url': credentials['url'], 'nmbrs_window_start': 0.0, 'nmbrs_window_end': 24.0,
    })
    ok, message = company._nmbrs_connect()
    assert ok, message
    with company._nmbrs_client() as client:
        nmbrs_companies = client.companies()
    relations = env['res.partner'].create([{'name': nmbrs_company.name, 'is_company': True,
                                            'nmbrs_company_id': nmbrs_company.id}
                                           for nmbrs_company in nmbrs_companies])
    env.cr.commit()

    initial = measured_import(env, company, relations)
    no_change = measured_import(env, company, relations)
    storage = storage_bound(env, company, lambda document: (
        document['partner_id'][0], document['nmbrs_run_id'] or document['document_type']))
    concurrency = parallel.MAX_CONCURRENT_CALLS
    bound = api_bound(initial['distinct_calls'], LATENCY, concurrency, api_facts.MAX_CALLS_PER_SECOND)
    result = {
        'companies': len(relations), 'latency_s': LATENCY, 'concurrency': concurrency,
        'load_average': os.getloadavg()[0],
        'initial': initial, 'no_change': no_change,
        'api_bound_s': round(bound, 2), 'storage_bound_s': round(storage, 2),
        'ratio_to_larger_bound': round(initial['wall_s'] / max(bound, storage), 2),
        'peak_rss_mb': round(peak_rss_mb(), 1),
    }
    with open(RESULT, 'w') as file:
        json.dump(result, file, indent=2)


main(env)  # noqa: F821 (odoo shell provides env)

# Run inside `odoo shell` by bench/run.sh (which sets the BENCH_* variables):
# connects the database's company to a running sandbox, links one relation per
# Nmbrs company, then measures the initial import, a no-change import and the
# storage bound, and writes the figures as JSON to BENCH_RESULT.
import json
import os
import random
import resource
import time
import urllib.request

from odoo.addons.nmbrs_connector.nmbrs import api_facts, parallel

SANDBOX = os.environ['BENCH_SANDBOX']  # http://127.0.0.1:PORT
LATENCY = float(os.environ['BENCH_LATENCY'])
RESULT = os.environ['BENCH_RESULT']
DOWNLOADS = ('Run_GetEmployeesByRunCompany', 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
             'SalaryDocuments_GetSEPA', 'Journals_GetByRunCompany_v2', 'WageTax_GetXML')


def control(method, route):
    request = urllib.request.Request('%s/_sandbox/%s' % (SANDBOX, route), method=method)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def max_calls_in_one_second(timestamps):
    """The most calls that arrived within any window of one second."""
    timestamps, most, first = sorted(timestamps), 0, 0
    for last, moment in enumerate(timestamps):
        while moment - timestamps[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def counts(env):
    return {'documents': env['nmbrs.document'].search_count([]),
            'attachments': env['ir.attachment'].search_count([('res_model', '=', 'nmbrs.document')]),
            'bytes': sum(size for size, in env['ir.attachment']._read_group(
                [('res_model', '=', 'nmbrs.document')], [], ['file_size:sum']))}


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
    calls = control('GET', 'calls')
    by_operation = {}
    for call in calls:
        by_operation[call['operation']] = by_operation.get(call['operation'], 0) + 1
    distinct = {(call['operation'], json.dumps(call['parameters'], sort_keys=True)) for call in calls}
    created = after['documents'] - before['documents']
    return {
        'wall_s': round(wall, 2),
        'calls': len(calls),
        'distinct_calls': len(distinct),
        'calls_by_operation': dict(sorted(by_operation.items())),
        'downloads': sum(by_operation.get(operation, 0) for operation in DOWNLOADS),
        'max_calls_per_second': max_calls_in_one_second([call['timestamp'] for call in calls]),
        'documents_created': created,
        'attachments_created': after['attachments'] - before['attachments'],
        'bytes_downloaded': after['bytes'] - before['bytes'],
        'documents_per_second': round(created / wall, 1) if wall else None,
        'failed_relations': sum(1 for outcome in outcomes if outcome is None or outcome.error or outcome.errors),
        'peak_rss_mb': round(rss, 1),
    }


def storage_bound(env, company):
    """Seconds Odoo takes to store the same documents (same batches, same sizes) without Nmbrs."""
    Document = env['nmbrs.document']
    batches = {}
    for document in Document.search_read([], ['partner_id', 'nmbrs_run_id', 'document_type', 'file_size',
                                              'year', 'period'], order='id'):
        batch = (document['partner_id'][0], document['nmbrs_run_id'] or document['document_type'])
        batches.setdefault(batch, []).append(document)
    rng = random.Random(0)
    elapsed = 0.0
    for number, ((partner_id, _run), documents) in enumerate(batches.items()):
        values = [{'document_type': document['document_type'], 'partner_id': partner_id,
                   'company_id': company.id, 'year': document['year'], 'period': document['period'],
                   'name': 'bench-%d-%d' % (number, index), 'nmbrs_key': 'bench/%d/%d' % (number, index),
                   # Random bytes: identical files would be stored once by the filestore.
                   'raw': rng.randbytes(document['file_size'])}
                  for index, document in enumerate(documents)]
        started = time.monotonic()
        Document._nmbrs_store(values)
        env.cr.commit()
        elapsed += time.monotonic() - started
    return elapsed


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
    storage = storage_bound(env, company)
    concurrency = parallel.MAX_CONCURRENT_CALLS
    calls = initial['distinct_calls']
    api_bound = max(calls * LATENCY / concurrency, calls / api_facts.MAX_CALLS_PER_SECOND)
    result = {
        'companies': len(relations), 'latency_s': LATENCY, 'concurrency': concurrency,
        'load_average': os.getloadavg()[0],
        'initial': initial, 'no_change': no_change,
        'api_bound_s': round(api_bound, 2), 'storage_bound_s': round(storage, 2),
        'ratio_to_larger_bound': round(initial['wall_s'] / max(api_bound, storage), 2),
        'peak_rss_mb': round(peak_rss_mb(), 1),
    }
    with open(RESULT, 'w') as file:
        json.dump(result, file, indent=2)


main(env)  # noqa: F821 (odoo shell provides env)

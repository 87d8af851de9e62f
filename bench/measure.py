"""Measurements both benchmarks share (bench.py for SOAP, bench_rest.py for REST); run inside `odoo shell`."""
import json
import os
import random
import resource
import time
import urllib.request

SANDBOX = os.environ['BENCH_SANDBOX']  # http://127.0.0.1:PORT


def control(method, route, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request('%s/_sandbox/%s' % (SANDBOX, route), data=data, method=method)
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


def calls_seen(downloads):
    """The sandbox's call log as figures: calls, distinct calls, per operation, downloads, peak calls per second."""
    calls = control('GET', 'calls')
    by_operation = {}
    for call in calls:
        by_operation[call['operation']] = by_operation.get(call['operation'], 0) + 1
    distinct = {(call['operation'], json.dumps(call['parameters'], sort_keys=True)) for call in calls}
    return {
        'calls': len(calls),
        'distinct_calls': len(distinct),
        'calls_by_operation': dict(sorted(by_operation.items())),
        'downloads': sum(by_operation.get(operation, 0) for operation in downloads),
        'max_calls_per_second': max_calls_in_one_second([call['timestamp'] for call in calls]),
    }


def storage_bound(env, company, batch_of):
    """Seconds Odoo takes to store the same documents (same batches, same sizes) without Nmbrs.

    ``batch_of(document)`` names the batch a stored document arrived in.
    """
    Document = env['nmbrs.document']
    sizes = {attachment['res_id']: attachment['file_size'] for attachment in env['ir.attachment'].search_read(
        [('res_model', '=', 'nmbrs.document')], ['res_id', 'file_size'])}
    batches = {}
    for document in Document.search_read([], ['partner_id', 'nmbrs_run_id', 'nmbrs_key', 'document_type',
                                              'year', 'period'], order='id'):
        document['file_size'] = sizes.get(document['id'], 0)
        batches.setdefault(batch_of(document), []).append(document)
    rng = random.Random(0)
    elapsed = 0.0
    for number, documents in enumerate(batches.values()):
        values = [{'document_type': document['document_type'], 'partner_id': document['partner_id'][0],
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


def write_result(path, initial, no_change, storage, *, companies, latency, concurrency, max_calls_per_second,
                 **extra):
    """The figures of one office as JSON for summary.py, with the import's ratio to the larger bound.

    The API bound is the least time Nmbrs allows for the import's distinct
    calls: by its answer time on ``concurrency`` connections, or by its rate.
    """
    calls = initial['distinct_calls']
    bound = max(calls * latency / concurrency, calls / max_calls_per_second)
    result = {
        **extra, 'companies': companies, 'latency_s': latency, 'concurrency': concurrency,
        'load_average': os.getloadavg()[0],
        'initial': initial, 'no_change': no_change,
        'api_bound_s': round(bound, 2), 'storage_bound_s': round(storage, 2),
        'ratio_to_larger_bound': round(initial['wall_s'] / max(bound, storage), 2),
        'peak_rss_mb': round(peak_rss_mb(), 1),
    }
    with open(path, 'w') as file:
        json.dump(result, file, indent=2)


def measured_import(env, company, relations, downloads):
    """One Odoo import of every relation, timed, with what Nmbrs saw of it (``downloads``: the file calls)."""
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
    seen = calls_seen(downloads)
    return {
        'wall_s': round(wall, 2),
        **seen,
        # Over REST a document is asked, then polled: the polls are counted apart.
        'polls': seen['calls_by_operation'].get('GetDocumentContentId', 0),
        'documents_created': created,
        'attachments_created': after['attachments'] - before['attachments'],
        'bytes_downloaded': after['bytes'] - before['bytes'],
        'documents_per_second': round(created / wall, 1) if wall else None,
        'failed_relations': sum(1 for outcome in outcomes if outcome is None or outcome.error or outcome.errors),
        'peak_rss_mb': round(rss, 1),
    }

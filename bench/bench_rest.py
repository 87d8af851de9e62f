# Run inside `odoo shell` by `bench/run.sh --rest` (which sets the BENCH_* variables):
# gives consent on the running sandbox, makes one relation per Nmbrs company, then
# measures an initial and a no-change import of the whole office over REST
# (bench/rest_import.py: the REST client with the SOAP import's parallel shape,
# the documents stored by Odoo as the SOAP import stores them) and the same
# storage bound as bench.py, and writes the figures as JSON to BENCH_RESULT.
import os
import time

from measure import calls_seen, control, counts, peak_rss_mb, storage_bound, write_result
from rest_import import import_office

from odoo.addons.nmbrs_connector.nmbrs import api_facts, parallel
from odoo.addons.nmbrs_connector.nmbrs.oauth import NmbrsIdentity
from odoo.addons.nmbrs_connector.nmbrs.rest import NmbrsRestClient

LATENCY = float(os.environ['BENCH_LATENCY'])
RESULT = os.environ['BENCH_RESULT']
DOCUMENT_REQUESTS = tuple(operation_id for operation_id, operation in api_facts.REST_OPERATIONS.items()
                          if operation.document)
DOWNLOADS = DOCUMENT_REQUESTS + ('getEmployeesInPayrollRun',)


def connect():
    rest = control('GET', 'rest')
    identity = NmbrsIdentity(rest['client_id'], rest['client_secret'], rest['redirect_uri'],
                             identity_url=rest['identity_url'])
    request = identity.authorization_request()
    callback = control('POST', 'consent', {'authorize_url': request.url, 'all_debtors': True})['callback']
    tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
    # Every debtor of the office: a consent per debtor in real life; one spanning all of them here.
    return identity, tokens, rest


def store_into(env, company, relations):
    Document = env['nmbrs.document']

    def store(nmbrs_company, values):
        partner = relations[nmbrs_company.id]
        Document._nmbrs_store([{
            'document_type': value['document_type'], 'raw': value['raw'], 'nmbrs_key': value['key'],
            'name': '%s %s' % (value['document_type'], value['key']), 'year': value['year'],
            'period': value['period'], 'partner_id': partner.id, 'company_id': company.id} for value in values])
        env.cr.commit()
        env.invalidate_all()

    def stored_keys(nmbrs_company):
        return set(Document.search([('partner_id', '=', relations[nmbrs_company.id].id)]).mapped('nmbrs_key'))
    return store, stored_keys


def measured_import(env, company, client, nmbrs_companies, relations):
    control('DELETE', 'calls')
    before = counts(env)
    store, stored_keys = store_into(env, company, relations)
    years = (time.localtime().tm_year - 1, time.localtime().tm_year)
    started = time.monotonic()
    outcome = import_office(client, nmbrs_companies, years, stored_keys, store)
    wall = time.monotonic() - started
    rss = peak_rss_mb()
    after = counts(env)
    created = after['documents'] - before['documents']
    seen = calls_seen(DOWNLOADS)
    return {
        'wall_s': round(wall, 2), **seen,
        'polls': seen['calls_by_operation'].get('GetDocumentContentId', 0),
        'documents_created': created,
        'attachments_created': after['attachments'] - before['attachments'],
        'bytes_downloaded': after['bytes'] - before['bytes'],
        'documents_per_second': round(created / wall, 1) if wall else None,
        'failed_relations': outcome['failed companies'] + outcome['failed downloads'],
        'peak_rss_mb': round(rss, 1),
    }


def main(env):
    identity, tokens, rest = connect()
    company = env.company
    options = {'api_url': rest['rest_url'], 'pool_size': parallel.MAX_CONCURRENT_CALLS}
    with NmbrsRestClient(rest['subscription_key'], tokens, identity=identity, **options) as client:
        nmbrs_companies = client.companies()
        partners = env['res.partner'].create([{'name': nmbrs_company.name, 'is_company': True}
                                              for nmbrs_company in nmbrs_companies])
        relations = dict(zip((nmbrs_company.id for nmbrs_company in nmbrs_companies), partners))
        env.cr.commit()
        initial = measured_import(env, company, client, nmbrs_companies, relations)
        no_change = measured_import(env, company, client, nmbrs_companies, relations)
    storage = storage_bound(env, company, lambda document: (
        document['partner_id'][0], document['nmbrs_key'].split('/')[2] if document['document_type'] != 'wage_tax'
        else 'wage_tax'))
    write_result(RESULT, initial, no_change, storage, protocol='rest', companies=len(nmbrs_companies),
                 latency=LATENCY, concurrency=parallel.MAX_CONCURRENT_CALLS,
                 max_calls_per_second=api_facts.REST_MAX_CALLS_PER_SECOND)


main(env)  # noqa: F821 (odoo shell provides env)

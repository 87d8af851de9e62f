# Run inside `odoo shell` by `bench/run.sh --rest` (which sets the BENCH_* variables):
# enters the sandbox's REST app in the database's company (no SOAP login: a
# REST-only office), gives one consent for every debtor as the sandbox's consent
# page does, links one relation per Nmbrs company by its REST id, then measures
# the Odoo import over REST (an initial and a no-change import of the whole
# office) and the same storage bound as bench.py, and writes the figures as JSON
# to BENCH_RESULT.
import os

from measure import control, measured_import, storage_bound, write_result

from odoo import fields
from odoo.addons.nmbrs_connector.nmbrs import api_facts, parallel

LATENCY = float(os.environ['BENCH_LATENCY'])
RESULT = os.environ['BENCH_RESULT']
DOWNLOADS = tuple(operation_id for operation_id, operation in api_facts.REST_OPERATIONS.items()
                  if operation.document) + ('getEmployeesInPayrollRun',)


def give_consent(company):
    """A consent spanning every debtor (in real life one per debtor), its debtors read and its relations paired."""
    identity = company._nmbrs_identity()
    request = identity.authorization_request()
    callback = control('POST', 'consent', {'authorize_url': request.url, 'all_debtors': True})['callback']
    tokens = identity.exchange_code(identity.code_from_callback(callback, request.state), request.code_verifier)
    consent = company.env['nmbrs.consent'].create(
        {'company_id': company.id, 'state': 'active', 'given_date': fields.Datetime.now()})
    consent._nmbrs_store_tokens(tokens)
    ok, message = consent._nmbrs_read_debtors()
    assert ok, message
    return consent


def main(env):
    rest = control('GET', 'rest')
    company = env.company
    company.write({
        'nmbrs_rest_client_id': rest['client_id'], 'nmbrs_rest_client_secret': rest['client_secret'],
        'nmbrs_rest_subscription_key': rest['subscription_key'], 'nmbrs_rest_environment': 'custom',
        'nmbrs_rest_identity_url': rest['identity_url'], 'nmbrs_rest_api_url': rest['rest_url'],
        'nmbrs_window_start': 0.0, 'nmbrs_window_end': 24.0,
    })
    consent = give_consent(company)
    with consent._nmbrs_client() as client:
        nmbrs_companies = client.companies()
    relations = env['res.partner'].create([{'name': nmbrs_company.name, 'is_company': True}
                                           for nmbrs_company in nmbrs_companies])
    debtors = {debtor.nmbrs_debtor_guid: debtor for debtor in consent.debtor_ids}
    for relation, nmbrs_company in zip(relations, nmbrs_companies):
        relation.write({'nmbrs_company_guid': nmbrs_company.id, 'nmbrs_company_number': nmbrs_company.number,
                        'nmbrs_debtor_guid': nmbrs_company.debtor_id,
                        'nmbrs_debtor_number': debtors[nmbrs_company.debtor_id].number})
    env.cr.commit()
    assert all(protocol == 'rest' for protocol in relations.mapped('nmbrs_protocol'))

    initial = measured_import(env, company, relations, DOWNLOADS)
    no_change = measured_import(env, company, relations, DOWNLOADS)
    storage = storage_bound(env, company, lambda document: (
        document['partner_id'][0], document['nmbrs_key'].split('/')[2] if document['document_type'] != 'wage_tax'
        else 'wage_tax'))
    write_result(RESULT, initial, no_change, storage, protocol='rest', companies=len(relations),
                 latency=LATENCY, concurrency=parallel.MAX_CONCURRENT_CALLS,
                 max_calls_per_second=api_facts.REST_MAX_CALLS_PER_SECOND)


main(env)  # noqa: F821 (odoo shell provides env)

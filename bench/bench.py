# Run inside `odoo shell` by bench/run.sh (which sets the BENCH_* variables):
# connects the database's company to a running sandbox, links one relation per
# Nmbrs company, then measures the initial import, a no-change import and the
# storage bound, and writes the figures as JSON to BENCH_RESULT.
import os

from measure import control, measured_import, storage_bound, write_result

from odoo.addons.nmbrs_connector.nmbrs import api_facts, parallel

LATENCY = float(os.environ['BENCH_LATENCY'])
RESULT = os.environ['BENCH_RESULT']
DOWNLOADS = ('Run_GetEmployeesByRunCompany', 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
             'SalaryDocuments_GetSEPA', 'Journals_GetByRunCompany_v2', 'WageTax_GetXML')


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

    initial = measured_import(env, company, relations, DOWNLOADS)
    no_change = measured_import(env, company, relations, DOWNLOADS)
    storage = storage_bound(env, company, lambda document: (
        document['partner_id'][0], document['nmbrs_run_id'] or document['document_type']))
    write_result(RESULT, initial, no_change, storage, companies=len(relations), latency=LATENCY,
                 concurrency=parallel.MAX_CONCURRENT_CALLS, max_calls_per_second=api_facts.MAX_CALLS_PER_SECOND)


main(env)  # noqa: F821 (odoo shell provides env)

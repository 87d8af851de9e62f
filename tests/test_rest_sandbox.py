"""The sandbox's REST side seen from outside: its control routes (what the benchmark and demo use), the
same office under SOAP ids and REST GUIDs, and answers to requests the client never sends."""
import json
from urllib.parse import parse_qs, urlsplit

import requests

from odoo.tests import tagged

from ..nmbrs import api_facts
from ..nmbrs.client import NmbrsClient
from ..nmbrs.sandbox import guid
from .rest_case import RestSandboxCase


@tagged('post_install', '-at_install')
class TestRestSandbox(RestSandboxCase):

    def control(self, method, route, payload=None):
        response = requests.request(method, '%s/_sandbox/%s' % (self.sandbox.base_url, route),
                                    data=None if payload is None else json.dumps(payload), timeout=10)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def api(self, path, tokens, **params):
        session = self.watch(requests.Session())
        return session.get(self.sandbox.rest_url + path, params=params, timeout=10, headers={
            'Authorization': 'Bearer %s' % tokens.access_token,
            api_facts.SUBSCRIPTION_KEY_HEADER: self.sandbox.rest_credentials.subscription_key})

    def test_scripts_give_consent_and_turn_knobs_without_a_browser(self):
        rest = self.control('GET', 'rest')
        self.assertEqual((rest['rest_url'], rest['identity_url'], rest['subscription_key']),
                         (self.sandbox.rest_url, self.sandbox.identity_url,
                          self.sandbox.rest_credentials.subscription_key))
        identity = self.identity()
        request = identity.authorization_request()
        callback = self.control('POST', 'consent', {'authorize_url': request.url, 'all_debtors': True})['callback']
        self.assertEqual(parse_qs(urlsplit(callback).query)['state'], [request.state])
        client = self.rest_client(identity.exchange_code(identity.code_from_callback(callback, request.state),
                                                         request.code_verifier))
        self.assertEqual(len(client.debtors()), len(self.sandbox.dataset.debtors))
        self.control('POST', 'rest/knobs', {'document_polls': 2})
        run = next(iter(self.sandbox.dataset.runs.values()))
        self.assertTrue(client.journal(guid('company', run.company_id), guid('run', run.id), run.year))
        self.assertEqual(len(self.sandbox.calls.of('GetDocumentContentId')), 3)
        self.control('POST', 'identity', {'revoke_all': True})
        self.assertEqual(self.api('/api/debtors', client.tokens).json()['code'], api_facts.REST_ERROR_INVALID_TOKEN)

    def test_one_office_under_both_kinds_of_id(self):
        tokens = self.consent(sorted(self.sandbox.dataset.debtors))
        for company in self.sandbox.dataset.companies.values():
            answer = self.api('/api/companies/%s/runs' % guid('company', company.id), tokens,
                              year=self.sandbox.dataset.now().year).json()
            self.assertEqual([item['payrollRunId'] for item in answer['data']],
                             [guid('run', run.id) for run in self.sandbox.dataset.company_runs(
                                 company.id, self.sandbox.dataset.now().year)])
        self.assertEqual(guid('company', 52001), guid('company', 52001))
        self.assertNotEqual(guid('company', 52001), guid('employee', 52001))

    def test_requests_the_client_never_sends(self):
        tokens = self.consent()
        too_big = self.api('/api/debtors', tokens, pageSize=101)
        self.assertEqual((too_big.status_code, too_big.json()['code'], too_big.json()['invalid-params'][0]['name']),
                         (400, api_facts.REST_ERROR_VALIDATION, 'pageSize'))
        unknown = self.api('/api/payrolls', tokens)
        self.assertEqual((unknown.status_code, unknown.json()['statusCode']), (404, 404))
        without_token = self.watch(requests.Session()).get(self.sandbox.rest_url + '/api/debtors', timeout=10, headers={
            api_facts.SUBSCRIPTION_KEY_HEADER: self.sandbox.rest_credentials.subscription_key})
        self.assertEqual(without_token.json()['code'], api_facts.REST_ERROR_MISSING_TOKEN)
        self.assertGreaterEqual(self.contract.checked, 3)

    def test_a_renumbered_company_and_employee_show_their_new_number_over_both_protocols(self):
        dataset = self.sandbox.dataset
        first, second = sorted(dataset.companies.values(), key=lambda company: company.id)[:2]
        employee = dataset.company_employees(first.id)[1]
        self.addCleanup(dataset.renumber_company, second.id, dataset.renumber_company(second.id, first.number))
        self.addCleanup(dataset.renumber_employee, employee.id, dataset.renumber_employee(employee.id, 1))
        client = self.rest_client(self.consent([first.debtor_id]))
        numbers = {company.id: company.number
                   for company in client.companies_by_debtor(guid('debtor', first.debtor_id))}
        self.assertEqual((numbers[guid('company', first.id)], numbers[guid('company', second.id)]),
                         (first.number, first.number))
        rest_employees = [e.id for e in client.all_employees(guid('company', first.id)) if e.number == 1]
        self.assertEqual(len(rest_employees), 2)
        credentials = self.sandbox.credentials
        soap = NmbrsClient(credentials.username, credentials.token, credentials.domain, base_url=self.sandbox.url)
        self.addCleanup(soap.close)
        self.assertEqual([company.number for company in soap.companies_by_debtor(first.debtor_id)
                          if company.id == second.id], [first.number])
        self.assertEqual(len([e for e in soap.all_employees(first.id) if e.number == 1]), 2)

"""The REST client against the sandbox over real HTTP: every operation, every error kind.

Each typed result is compared with the sandbox's own records (by the stable
GUID of each SOAP id) and each document with what the sandbox renders for
SOAP. Every answer is validated against Nmbrs's OpenAPI description
(RestSandboxCase). Errors are provoked through the sandbox's knobs and
checked for their kind, an actionable message, retries, and the absence of
tokens and keys in the error and the log.
"""
import dataclasses
import threading
import time
from datetime import date, datetime
from decimal import Decimal

from odoo.tests import tagged

from ..nmbrs import api_facts
from ..nmbrs.dates import from_dutch_time
from ..nmbrs.errors import (
    NmbrsAccessError,
    NmbrsConnectionError,
    NmbrsConsentError,
    NmbrsHTTPError,
    NmbrsQuotaError,
    NmbrsRateLimitError,
    NmbrsResponseError,
    NmbrsScopeError,
    NmbrsSubscriptionError,
    NmbrsSubscriptionKeyError,
    NmbrsTimeout,
    NmbrsUncertainWriteError,
    NmbrsUnsupportedError,
    NmbrsValidationError,
)
from ..nmbrs.interface import NmbrsApi
from ..nmbrs.records import EmployeeAddress
from ..nmbrs.sandbox import documents, guid, sized_dataset
from ..nmbrs.sandbox.dataset import EMPLOYEE_TYPE_EMPLOYED
from .rest_case import RestSandboxCase

NOBODY = '00000000-0000-4000-8000-000000000000'


@tagged('post_install', '-at_install')
class TestRestReads(RestSandboxCase):
    """Each read of the interface, compared with the office it reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dataset = cls.sandbox.dataset
        cls.debtor = dataset.debtors[min(dataset.debtors)]
        cls.company = next(company for company in dataset.companies.values() if company.debtor_id == cls.debtor.id)
        cls.year = dataset.now().year - 1
        cls.first_run = dataset.company_runs(cls.company.id, cls.year)[0]
        cls.employee = dataset.employees[next(iter(cls.first_run.pay))]

    def setUp(self):
        super().setUp()
        self.client = self.rest_client()

    def test_the_client_declares_what_rest_has(self):
        self.assertIsInstance(self.client, NmbrsApi)
        self.assertEqual((self.client.protocol, self.client.id_type), ('rest', str))
        self.assertTrue(self.client.payslips_per_period and self.client.has_work_costs and self.client.has_user_info)
        self.assertFalse(self.client.payslips_per_run or self.client.has_company_annual_documents
                         or self.client.can_update_company_address or self.client.can_update_debtor)
        for call in (lambda: self.client.employee_payslips(guid('company', 1), guid('run', 1), 2025, NOBODY),
                     lambda: self.client.annual_document('PayrollRegister', NOBODY, NOBODY, 2025),
                     lambda: self.client.update_company_address(NOBODY, None),
                     lambda: self.client.update_debtor(None), self.client.environment_get):
            with self.subTest(call=call), self.assertRaises(NmbrsUnsupportedError) as caught:
                call()
            self.assertIn('SOAP', str(caught.exception))
        self.assertEqual(self.client.call_count, 0, 'an unsupported call never reaches Nmbrs')

    def test_user_debtors_and_companies(self):
        user = self.client.user_info()
        self.assertEqual(user.debtor_id, guid('debtor', self.debtor.id))
        self.assertEqual([(d.id, d.number, d.name) for d in self.client.debtors()],
                         [(guid('debtor', self.debtor.id), self.debtor.number, self.debtor.name)])
        self.assertEqual(self.client.debtor(guid('debtor', self.debtor.id)).name, self.debtor.name)
        expected = [(guid('company', company.id), company.number, company.name, guid('debtor', self.debtor.id))
                    for company in self.sandbox.dataset.companies.values() if company.debtor_id == self.debtor.id]
        for companies in (self.client.companies(), self.client.companies_by_debtor(guid('debtor', self.debtor.id))):
            self.assertEqual([(c.id, c.number, c.name, c.debtor_id) for c in companies], expected)

    def test_current_period_and_company_address(self):
        year, period = self.sandbox.dataset.current_period(self.company.id)
        current = self.client.current_period(guid('company', self.company.id))
        self.assertEqual((current.year, current.period, current.period_type, current.periods_per_year),
                         (year, period, 'M', 12))
        address = self.client.company_address(guid('company', self.company.id))
        self.assertEqual((address.street, address.house_number, address.postal_code, address.city, address.default),
                         (self.company.address.street, self.company.address.house_number,
                          self.company.address.postal_code, self.company.address.city, True))

    def test_runs_and_their_employees(self):
        company_id = guid('company', self.company.id)
        runs = self.client.runs(company_id, self.year)
        expected = self.sandbox.dataset.company_runs(self.company.id, self.year)
        self.assertEqual([(r.id, r.number, r.year, r.period_start, r.period_end, r.description, r.is_locked)
                          for r in runs],
                         [(guid('run', r.id), r.number, r.year, r.period_start, r.period_end, r.description,
                           r.is_locked) for r in expected])
        # The sandbox's run times are Dutch; the client hands out naive UTC.
        self.assertEqual(runs[0].run_at, from_dutch_time(expected[0].run_at))
        self.assertEqual(runs[0].run_type, 'normal')
        employees = self.client.run_employees(company_id, runs[0].id, self.year)
        self.assertEqual([(e.employee_id, e.employee_number) for e in employees],
                         [(guid('employee', i), self.sandbox.dataset.employees[i].number) for i in expected[0].pay])

    def test_an_unreadable_run_or_declaration_is_left_out_alone(self):
        company_id = guid('company', self.company.id)
        run = self.first_run
        declaration = self.sandbox.dataset.company_declarations(self.company.id, self.year)[0]
        for record, field, bad in ((run, 'number', 'twee'), (declaration, 'total_general', 'veel')):
            self.addCleanup(setattr, record, field, getattr(record, field))
            setattr(record, field, bad)

        runs = self.client.runs(company_id, self.year)
        declarations = self.client.wage_taxes(company_id, self.year)

        expected_runs = self.sandbox.dataset.company_runs(self.company.id, self.year)
        self.assertEqual([r.id for r in runs], [guid('run', r.id) for r in expected_runs if r is not run])
        self.assertEqual(len(declarations), len(self.sandbox.dataset.company_declarations(
            self.company.id, self.year)) - 1)
        [bad_run], [bad_declaration] = runs.unreadable, declarations.unreadable
        self.assertEqual((bad_run.operation, bad_run.detail), ('getCompanyPayrollRuns', "'twee' is not a valid integer"))
        self.assertEqual((bad_declaration.operation, bad_declaration.detail),
                         ('getCompanyWageTaxes', "'veel' is not a valid integer"))
        # The sandbox broke Nmbrs's description on purpose here.
        self.assertTrue(self.contract.found)
        self.contract.found.clear()

    def test_wage_taxes_and_their_documents(self):
        company_id = guid('company', self.company.id)
        declarations = self.client.wage_taxes(company_id, self.year)
        expected = self.sandbox.dataset.company_declarations(self.company.id, self.year)
        self.assertEqual([(d.id, d.serial_number, d.period, d.year, d.total_general, d.payment_reference)
                          for d in declarations],
                         [(guid('declaration', d.id), d.serial_number, d.period, d.year, d.total_general,
                           d.payment_reference) for d in expected])
        first = declarations[0]
        self.assertEqual((first.status, first.period_start, first.period_end),
                         ('Verzonden', expected[0].tijdvak_start.date(), expected[0].tijdvak_end.date()))
        self.assertIsInstance(first.sent_at, datetime)
        with self.sandbox.dataset.lock:
            xml = documents.wage_tax_xml(self.sandbox.dataset, expected[0]).encode()
        self.assertEqual(self.client.wage_tax_xml(company_id, first.id), xml)
        sepa = self.client.wage_tax_sepa(company_id, first.id, self.year, date(self.year, 2, 20))
        self.assertIn(b'TAXS', sepa)
        self.assertIn(b'%d-02-20' % self.year, sepa)

    def test_run_documents_are_the_soap_ones(self):
        company_id, run_id = guid('company', self.company.id), guid('run', self.first_run.id)
        with self.sandbox.dataset.lock:
            sepa = documents.sepa_xml(self.sandbox.dataset, self.first_run, datetime(self.year, 1, 24)).encode()
            journal = documents.journal_xml(self.sandbox.dataset, self.first_run).encode()
            payslip = documents.payslip_pdf(self.sandbox.dataset, self.first_run, self.employee)
        self.assertEqual(self.client.sepa(company_id, run_id, self.year, date(self.year, 1, 24)), sepa)
        self.assertEqual(self.client.journal(company_id, run_id, self.year), journal)
        self.assertEqual(self.client.period_payslip(guid('employee', self.employee.id), self.year,
                                                    self.first_run.period_end), payslip)
        self.assertEqual(self.sandbox.calls.of('GetDocumentContentId').__len__(), 3)

    def test_a_document_nmbrs_does_not_have_is_none(self):
        employee_id = guid('employee', self.employee.id)
        self.assertIsNone(self.client.period_payslip(employee_id, self.year - 5, 1))
        self.assertIsNone(self.client.annual_statement(employee_id, self.year - 5))
        self.assertEqual(len(self.sandbox.calls.of('GetDocumentContentId')), 0)

    def test_a_document_is_polled_with_backoff_until_ready(self):
        self.sandbox.rest_knobs.set(document_polls=3)
        journal = self.client.journal(guid('company', self.company.id), guid('run', self.first_run.id), self.year)
        self.assertTrue(journal.startswith(b'<transactions>'))
        polls = self.sandbox.calls.of('GetDocumentContentId')
        self.assertEqual(len(polls), 4)
        gaps = [later.timestamp - earlier.timestamp for earlier, later in zip(polls, polls[1:])]
        self.assertGreater(gaps[-1], gaps[0], 'the client waits longer after each 202')

    def test_a_document_past_its_deadline(self):
        self.sandbox.rest_knobs.set(document_polls=1000)
        client = self.rest_client(document_deadline=0.2, max_poll_interval=0.05)
        with self.assertRaises(NmbrsTimeout) as caught:
            client.journal(guid('company', self.company.id), guid('run', self.first_run.id), self.year)
        self.assertIn('did not finish making the document', str(caught.exception))
        self.assertTrue(caught.exception.transient)

    def test_annual_statement_and_work_costs(self):
        employee_id = guid('employee', self.employee.id)
        with self.sandbox.dataset.lock:
            expected = documents.annual_statement_pdf(self.sandbox.dataset, self.employee, self.year)
        self.assertEqual(self.client.annual_statement(employee_id, self.year), expected)
        costs = self.client.work_costs(guid('company', self.company.id), self.year)
        self.assertEqual([(cost.year, cost.period) for cost in costs], [(self.year, month) for month in range(1, 13)])
        gross = sum((pay.gross for pay in self.first_run.pay.values()), Decimal(0))
        self.assertEqual(costs[0].fiscal_wage, gross)
        self.assertEqual(costs[0].work_cost_available, (gross * Decimal('0.0192')).quantize(Decimal('0.01')))

    def test_employees_and_personal_info(self):
        company_id = guid('company', self.company.id)
        employees = self.client.all_employees(company_id)
        expected = self.sandbox.dataset.company_employees(self.company.id)
        self.assertEqual([(e.id, e.number, e.display_name) for e in employees],
                         [(guid('employee', e.id), e.number, e.display_name) for e in expected])
        self.assertEqual({e.employee_type for e in employees if e.id == guid('employee', self.employee.id)},
                         {'payroll'} if self.employee.employee_type == EMPLOYEE_TYPE_EMPLOYED else {'formerPayroll'})
        info = self.client.personal_info(guid('employee', self.employee.id))
        self.assertEqual((info.first_name, info.prefix, info.last_name, info.email_private, info.email_work,
                          info.telephone_mobile_private, info.birthday, info.country_of_birth_iso_code),
                         (self.employee.first_name, self.employee.prefix, self.employee.last_name,
                          self.employee.email_private, self.employee.email_work,
                          self.employee.telephone_mobile_private, self.employee.birthday.date(), 'NL'))
        self.assertEqual(info.gender, {'male': 'male', 'female': 'female'}[self.employee.gender])

    def test_unknown_records_and_other_debtors(self):
        other = next(company for company in self.sandbox.dataset.companies.values()
                     if company.debtor_id != self.debtor.id)
        with self.assertRaises(NmbrsAccessError) as caught:
            self.client.runs(NOBODY, self.year)
        self.assertEqual((caught.exception.record_kind, caught.exception.record_id), ('company', NOBODY))
        self.assertIn(NOBODY, str(caught.exception))
        with self.assertRaises(NmbrsAccessError) as caught:
            self.client.runs(guid('company', other.id), self.year)
        self.assertEqual((caught.exception.record_kind, caught.exception.code), ('data', 40303))
        self.assertIn('user template', str(caught.exception))
        with self.assertRaises(NmbrsAccessError) as caught:
            self.client.personal_info(NOBODY)
        self.assertEqual(caught.exception.record_kind, 'employee')

    def test_the_client_shares_the_callers_rate_limiter(self):
        class Counting:
            waits = 0

            def wait(self):
                Counting.waits += 1
        client = self.rest_client(rate_limiter=Counting())
        client.companies()
        client.runs(guid('company', self.company.id), self.year)
        self.assertEqual(Counting.waits, client.call_count)
        self.assertEqual(client.call_count, 2)


@tagged('post_install', '-at_install')
class TestRestPagesAndDebtors(RestSandboxCase):
    """Lists read to the end, 100 a page; a consent for several debtors."""

    @classmethod
    def _nmbrs_dataset(cls):
        return _office_with_a_big_company()

    def test_a_list_longer_than_a_page_is_read_to_the_end(self):
        big = max(self.sandbox.dataset.companies.values(),
                  key=lambda company: len(self.sandbox.dataset.company_employees(company.id)))
        client = self.rest_client(self.consent([big.debtor_id]))
        employees = client.all_employees(guid('company', big.id))
        self.assertEqual(len(employees), 230)
        self.assertEqual(len({employee.id for employee in employees}), 230)
        pages = self.sandbox.calls.of('getEmployeesByCompany')
        self.assertEqual([(call.parameters['pageNumber'], call.parameters['pageSize']) for call in pages],
                         [('1', '100'), ('2', '100'), ('3', '100')])

    def test_a_consent_for_two_debtors_lists_companies_per_debtor(self):
        debtor_ids = sorted(self.sandbox.dataset.debtors)
        client = self.rest_client(self.consent(debtor_ids))
        companies = client.companies()
        self.assertEqual(sorted(company.id for company in companies),
                         sorted(guid('company', company_id) for company_id in self.sandbox.dataset.companies))
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 1, 'refused once with 40306')
        self.assertEqual(len(self.sandbox.calls.of('getCompaniesByDebtor')), 2)
        client.companies()
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 1, 'not asked again once refused')


def _office_with_a_big_company():
    dataset = sized_dataset(companies=2, employees=3, runs=1, companies_per_debtor=1)
    company = next(iter(dataset.companies.values()))
    for number in range(227):
        dataset.add_employee(company.id, 'Werknemer', 'Nummer %d' % number)
    return dataset


@tagged('post_install', '-at_install')
class TestRestWrites(RestSandboxCase):
    """Writes arrive once, with what Odoo sends; a write that may have arrived is never sent again."""

    def setUp(self):
        super().setUp()
        self.client = self.rest_client()
        self.employee = self.sandbox.dataset.employees[min(self.sandbox.dataset.employees)]
        self.employee_id = guid('employee', self.employee.id)

    def test_personal_info_round_trip(self):
        info = self.client.personal_info(self.employee_id)
        info.first_name, info.email_work, info.telephone_mobile_work = 'Johanna', 'j@voorbeeld.example', '06-1'
        info.birthday = date(1990, 5, 17)
        self.client.update_personal_info(self.employee_id, info, period=(2026, 3))
        self.assertEqual((self.employee.first_name, self.employee.email_work, self.employee.telephone_mobile_work,
                          self.employee.birthday), ('Johanna', 'j@voorbeeld.example', '06-1', datetime(1990, 5, 17)))
        update = self.sandbox.dataset.updates[-1]
        self.assertEqual((update.operation, update.values['period']), ('UpdateEmployeePersonalInfo',
                                                                     {'year': 2026, 'period': 3}))
        again = self.client.personal_info(self.employee_id)
        self.assertEqual((again.first_name, again.birthday, again.marital_status), ('Johanna', date(1990, 5, 17),
                                                                                     info.marital_status))

    def test_an_address_entry_is_added(self):
        before = len(self.employee.addresses)
        address = EmployeeAddress(type='HomeAddress', street='Lindelaan', house_number='12', postal_code='3511 AB',
                                  city='Utrecht', country_iso_code='NL', default=True)
        self.assertTrue(self.client.update_employee_address(self.employee_id, address))
        self.assertEqual(len(self.employee.addresses), before + 1)
        self.assertEqual((self.employee.addresses[-1].street, self.employee.addresses[-1].type),
                         ('Lindelaan', 'HomeAddress'))

    def test_refused_values_name_the_fields(self):
        with self.assertRaises(NmbrsValidationError) as caught:
            self.client.update_employee_address(self.employee_id, EmployeeAddress(type='HomeAddress'))
        self.assertEqual({name for name, _reason in caught.exception.invalid_params},
                         {'street', 'city', 'countryISOCode'})
        self.assertIn('street', str(caught.exception))
        self.assertEqual(len(self.sandbox.calls.of('createEmployeeAddress')), 1)

    def test_a_write_that_may_have_arrived_is_not_sent_again(self):
        info = self.client.personal_info(self.employee_id)
        for kind in ('http_500', 'http_503', 'drop', 'truncated', 'malformed'):
            with self.subTest(kind=kind):
                self.sandbox.faults.clear()
                self.sandbox.calls.clear()
                self.sandbox.faults.inject(kind, 'UpdateEmployeePersonalInfo')
                with self.assertRaises(NmbrsUncertainWriteError) as caught:
                    self.client.update_personal_info(self.employee_id, info)
                self.assertIn('may or may not have arrived', str(caught.exception))
                self.assertEqual(len(self.sandbox.calls.of('UpdateEmployeePersonalInfo')), 1)
        # The half and the garbled answer break Nmbrs's description on purpose.
        self.contract.found.clear()

    def test_a_throttled_write_is_refused_not_uncertain(self):
        info = self.client.personal_info(self.employee_id)
        self.sandbox.faults.inject('rest_error', 'UpdateEmployeePersonalInfo', code=api_facts.REST_ERROR_TOO_MANY_CALLS)
        with self.assertRaises(NmbrsRateLimitError):
            self.client.update_personal_info(self.employee_id, info)
        self.assertEqual(len(self.sandbox.calls.of('UpdateEmployeePersonalInfo')), 1)


@tagged('post_install', '-at_install')
class TestRestErrors(RestSandboxCase):
    """Every error kind, provoked over HTTP: its class, its message, its retries, and no secret anywhere."""

    def setUp(self):
        super().setUp()
        self.company_id = guid('company', min(self.sandbox.dataset.companies))

    def secrets_of(self, client):
        tokens = client.tokens
        return (self.sandbox.rest_credentials.subscription_key, self.sandbox.rest_credentials.client_secret,
                tokens.access_token, tokens.refresh_token)

    def failing(self, client, call, error_class):
        """Run ``call`` expecting ``error_class``; check that no secret is in the error or the log lines."""
        secrets = self.secrets_of(client)
        with self.capture_logs('odoo.addons.nmbrs_connector.nmbrs') as logs, self.assertRaises(error_class) as caught:
            call()
        error = caught.exception
        self.assertNoSecrets([str(error), repr(error), error.detail or '', *logs.output], *secrets)
        return error

    def test_a_wrong_subscription_key(self):
        client = self.rest_client(subscription_key='not-the-key')
        error = self.failing(client, client.companies, NmbrsSubscriptionKeyError)
        self.assertIn('subscription key', str(error))
        self.assertNotIn('not-the-key', str(error))
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 1, 'not retried')

    def test_a_withdrawn_consent_must_be_renewed(self):
        client = self.rest_client()
        client.companies()
        self.sandbox.identity.revoke_all()
        error = self.failing(client, client.companies, NmbrsConsentError)
        self.assertIn('connect Odoo to Nmbrs again', str(error))
        self.assertEqual(error.reason, 'invalid_grant', 'the refused token led to one refresh, which was refused')

    def test_a_refused_token_without_refresh_names_the_consent(self):
        client = self.rest_client(refresh_tokens=None, identity=None)
        self.sandbox.identity.revoke_all()
        error = self.failing(client, client.companies, NmbrsConsentError)
        self.assertEqual((error.reason, error.code), ('refused', api_facts.REST_ERROR_INVALID_TOKEN))

    def test_an_expiring_access_token_is_refreshed_and_saved_before_use(self):
        saved, used = [], []
        first = dataclasses.replace(self.consent(), expires_at=time.time() + 30)
        client = self.rest_client(first, save_tokens=saved.append)
        self.watch(client._session).hooks['response'].append(
            lambda response, *args, **kwargs: used.append(response.request.headers['Authorization']))
        threads = [threading.Thread(target=client.companies) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(saved), 1, 'four threads, one refresh')
        self.assertEqual(client.tokens, saved[0])
        self.assertNotEqual(saved[0].refresh_token, first.refresh_token)
        self.assertEqual(set(used), {'Bearer %s' % saved[0].access_token})

    def test_a_refused_access_token_is_refreshed_once(self):
        saved = []
        client = self.rest_client(save_tokens=saved.append)
        self.sandbox.identity.advance(api_facts.ACCESS_TOKEN_SECONDS + 1)
        self.addCleanup(self.sandbox.identity.advance, -(api_facts.ACCESS_TOKEN_SECONDS + 1))
        # The client believes its token still lives: Nmbrs refuses it, the client refreshes and asks again.
        self.assertTrue(client.companies())
        self.assertEqual(len(saved), 1)
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 2)

    def test_a_missing_scope_is_named(self):
        self.sandbox.identity.withheld_scopes.add('company.document.read')
        client = self.rest_client()
        dataset = self.sandbox.dataset
        run = dataset.company_runs(min(dataset.companies))[0]
        error = self.failing(client, lambda: client.journal(self.company_id, guid('run', run.id), run.year),
                             NmbrsScopeError)
        self.assertEqual(error.scope, 'company.document.read')
        self.assertIn('"company.document.read"', str(error))
        self.assertEqual(len(self.sandbox.calls.of('getPayrollRunJournals')), 1, 'not retried')

    def test_a_disabled_subscription(self):
        self.sandbox.rest_knobs.set(subscription_disabled=True)
        client = self.rest_client()
        error = self.failing(client, client.companies, NmbrsSubscriptionError)
        self.assertIn('no valid subscription', str(error))

    def test_too_many_calls_waits_as_asked_and_tries_again(self):
        client = self.rest_client(max_retries=3)
        self.sandbox.rest_knobs.set(retry_after=1)
        self.sandbox.faults.inject('rest_error', 'getCompanies', times=1, code=api_facts.REST_ERROR_TOO_MANY_CALLS)
        with self.capture_logs('odoo.addons.nmbrs_connector.nmbrs') as logs:
            self.assertTrue(client.companies())
        calls = self.sandbox.calls.of('getCompanies')
        self.assertEqual(len(calls), 2)
        self.assertGreaterEqual(calls[1].timestamp - calls[0].timestamp, 0.95, 'Retry-After: 1 honoured')
        self.assertTrue(any('retrying in 1.0 s' in line for line in logs.output))

    def test_too_many_calls_in_a_second_from_the_rate_knob(self):
        client = self.rest_client(max_retries=0, max_calls_per_second=None)
        # Counted from here: the consent behind the client is not part of the test.
        self.sandbox.rest_knobs.set(max_calls_per_second=2, retry_after=None)
        for _ in range(2):
            client.companies()
        error = self.failing(client, client.companies, NmbrsRateLimitError)
        self.assertIsNone(error.retry_after)
        self.assertTrue(error.transient)

    def test_a_used_up_quota_stops_at_once(self):
        self.sandbox.rest_knobs.set(quota=1, retry_after=3600)
        client = self.rest_client(max_retries=3)
        client.companies()
        error = self.failing(client, client.companies, NmbrsQuotaError)
        self.assertEqual((error.code, error.retry_after, error.transient), (42909, 3600, False))
        self.assertIn('quota', str(error))
        self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 2, 'the refused call is not repeated')

    def test_server_errors_are_transient_and_reads_retried(self):
        client = self.rest_client()
        for kind in ('http_500', 'http_503', 'drop'):
            with self.subTest(kind=kind):
                self.sandbox.faults.clear()
                self.sandbox.calls.clear()
                self.sandbox.faults.inject(kind, 'getCompanies', times=2)
                self.assertTrue(client.companies())
                self.assertEqual(len(self.sandbox.calls.of('getCompanies')), 3)
        self.sandbox.faults.clear()
        self.sandbox.faults.inject('http_503', 'getCompanies')
        error = self.failing(client, client.companies, NmbrsHTTPError)
        self.assertTrue(error.transient)
        self.assertIn('temporarily unavailable', str(error))

    def test_an_answer_that_is_not_json(self):
        client = self.rest_client(max_retries=0)
        self.sandbox.faults.inject('malformed', 'getCompanies')
        with self.contract_ignored():
            self.failing(client, client.companies, NmbrsResponseError)

    def test_a_timeout(self):
        client = self.rest_client(read_timeout=0.3, max_retries=0)
        self.sandbox.faults.inject('timeout', 'getCompanies', seconds=2)
        error = self.failing(client, client.companies, NmbrsTimeout)
        self.assertIn('did not answer within 0.3 seconds', str(error))

    def test_nmbrs_out_of_reach(self):
        client = self.rest_client(api_url='http://127.0.0.1:9', max_retries=0)
        error = self.failing(client, client.companies, NmbrsConnectionError)
        self.assertIn('127.0.0.1:9', str(error))

    def test_a_wrong_api_address(self):
        client = self.rest_client(api_url=self.sandbox.rest_url + '/v9')
        error = self.failing(client, client.companies, NmbrsHTTPError)
        self.assertIn('check the Nmbrs API address', str(error))

    def contract_ignored(self):
        """For an answer that is broken on purpose: its violations are expected, not a failure."""
        test = self

        class Ignored:
            def __enter__(self):
                self.before = len(test.contract.found)

            def __exit__(self, *exc_info):
                test.assertGreater(len(test.contract.found), self.before, 'the broken answer was noticed')
                del test.contract.found[self.before:]
        return Ignored()

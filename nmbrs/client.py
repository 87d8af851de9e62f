"""Client for the Nmbrs SOAP v3 API, returning typed records.

One ``requests.Session`` per client; use it as a context manager or call
``close()``. The client may be shared by threads: the optional rate limit and
the call counters are thread-safe. Only transient failures of reads (timeouts,
lost connections, HTTP 502/503/504 and a 500 without a SOAP fault) are
retried; a write is sent once (see ``NmbrsUncertainWriteError``).
"""
import collections
import logging
import threading
import time
from datetime import date
from functools import partial
from urllib.parse import urlsplit

from . import api_facts, soap, transport
from .errors import NmbrsError, NmbrsHTTPError, NmbrsResponseError
from .interface import NmbrsApi
from .records import (
    Address,
    Company,
    CurrentPeriod,
    Debtor,
    Employee,
    EmployeeAddress,
    EmployeeType,
    Environment,
    PersonalInfo,
    Run,
    RunEmployee,
    WageTax,
)

_logger = logging.getLogger(__name__)

DEBTOR = api_facts.DEBTOR_SERVICE
COMPANY = api_facts.COMPANY_SERVICE
EMPLOYEE = api_facts.EMPLOYEE_SERVICE

ENVIRONMENT_URLS = {
    'production': api_facts.PRODUCTION_URL,
    'sandbox': api_facts.SANDBOX_URL,
}
DEFAULT_MAX_RESPONSE_BYTES = transport.DEFAULT_MAX_RESPONSE_BYTES
TRANSIENT_HTTP_STATUSES = frozenset({500, 502, 503, 504})
# Shared with the REST client; importable from here as before.
RateLimiter = transport.RateLimiter


def _current_period(result):
    text = soap.value(result, str)
    if not text:
        return None
    parts = text.strip().split('-')
    if len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        raise NmbrsResponseError(
            'Nmbrs sent a value that could not be read.',
            detail='%r is not a period of the form yyyy-p-type' % text[:50])
    return CurrentPeriod(year=int(parts[0]), period=int(parts[1]), period_type=parts[2])


def _no_result(result):
    return None


# How the Result of each operation is read. Wire parameter names live in
# api_facts.OPERATION_PARAMETERS.
DECODERS = {
    (DEBTOR, 'Environment_Get'): partial(soap.record, record_class=Environment),
    (DEBTOR, 'List_GetAll'): partial(soap.records, record_class=Debtor),
    (DEBTOR, 'Debtor_Get'): partial(soap.record, record_class=Debtor),
    (DEBTOR, 'Debtor_Update'): _no_result,
    (COMPANY, 'List_GetAll'): partial(soap.records, record_class=Company),
    (COMPANY, 'List_GetByDebtor'): partial(soap.records, record_class=Company),
    (COMPANY, 'Company_GetCurrentPeriod'): _current_period,
    (COMPANY, 'Run_GetList'): partial(soap.records, record_class=Run, each_apart=True),
    (COMPANY, 'Run_GetEmployeesByRunCompany'): partial(soap.records, record_class=RunEmployee, each_apart=True),
    (COMPANY, 'WageTax_GetList'): partial(soap.records, record_class=WageTax, each_apart=True),
    (COMPANY, 'WageTax_GetXML'): soap.escaped_xml,
    (COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'): soap.pdfs,
    (COMPANY, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2'): soap.pdf,
    (COMPANY, 'SalaryDocuments_GetSEPA'): soap.escaped_xml,
    (COMPANY, 'SalaryDocuments_GetSEPA_Tax'): soap.escaped_xml,
    (COMPANY, 'Journals_GetByRunCompany_v2'): soap.escaped_xml,
    (COMPANY, 'Address_GetCurrent'): partial(soap.record, record_class=Address),
    (COMPANY, 'Address_Update'): _no_result,
    (EMPLOYEE, 'EmployeeType_GetList'): partial(soap.records, record_class=EmployeeType),
    (EMPLOYEE, 'List_GetByCompany'): partial(soap.records, record_class=Employee),
    (EMPLOYEE, 'PersonalInfo_GetCurrent'): partial(soap.record, record_class=PersonalInfo),
    (EMPLOYEE, 'PersonalInfo_UpdateCurrent'): _no_result,
    (EMPLOYEE, 'Address_GetListCurrent'): partial(soap.records, record_class=EmployeeAddress),
    (EMPLOYEE, 'Address_Update'): partial(soap.value, value_type=bool),
    (EMPLOYEE, 'SalaryDocuments_GetAnnualStatementPDF'): soap.pdf,
}
DECODERS.update(
    ((COMPANY, api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + kind), soap.pdf)
    for kind in api_facts.ANNUAL_DOCUMENT_KINDS
)


def decode_response(service, operation, body, params=None):
    """The typed value of a response body to ``operation``; raises NmbrsError for faults."""
    result = soap.read_result(body, service, operation, params)
    return DECODERS[(service, operation)](result)


class NmbrsClient(NmbrsApi):
    """Typed access to the Nmbrs SOAP v3 API (see nmbrs.interface for what it shares with REST).

    ``environment`` is 'production' or 'sandbox'; a ``base_url`` (e.g. a local
    sandbox at http://127.0.0.1:PORT/soap/v3/) takes precedence over it.
    ``domain`` is the tenant key, the part before .nmbrs.nl (may be empty).
    """

    protocol = 'soap'
    id_type = int
    payslips_per_run = True
    has_company_annual_documents = True
    can_update_company_address = True
    can_update_debtor = True
    has_environment = True

    def __init__(self, username, token, domain='', *, environment='production', base_url=None,
                 soap_version=soap.SOAP_11, connect_timeout=10.0, read_timeout=120.0,
                 max_retries=2, backoff=0.5, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES,
                 max_calls_per_second=api_facts.MAX_CALLS_PER_SECOND, rate_limiter=None, pool_size=10):
        if soap_version not in soap.SOAP_VERSIONS:
            raise ValueError('soap_version must be one of %s' % ', '.join(soap.SOAP_VERSIONS))
        if not base_url:
            if environment not in ENVIRONMENT_URLS:
                raise ValueError('environment must be one of %s, or give a base_url'
                                 % ', '.join(ENVIRONMENT_URLS))
            base_url = ENVIRONMENT_URLS[environment]
        if urlsplit(base_url).scheme not in ('http', 'https'):
            raise ValueError('base_url must start with http:// or https://')
        if max_retries < 0:
            raise ValueError('max_retries must be 0 or more')
        self.username = username
        self._token = token
        self.domain = domain or ''
        self.base_url = base_url
        self.soap_version = soap_version
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_response_bytes = max_response_bytes
        # A caller may share one limiter between clients (and processes) of the same environment.
        if rate_limiter is None and max_calls_per_second:
            rate_limiter = RateLimiter(max_calls_per_second)
        self._rate_limiter = rate_limiter
        self._session = transport.new_session(pool_size)
        self._count_lock = threading.Lock()
        self.call_count = 0
        self.calls_by_operation = collections.Counter()
        self._employee_types = None

    def __repr__(self):
        return '<NmbrsClient %s@%s at %s>' % (self.username, self.domain or '-', self.base_url)

    def close(self):
        self._session.close()

    # ------------------------------------------------------------ transport

    def call(self, service, operation, **params):
        """Call ``operation`` with the client's parameter names and return its typed result."""
        envelope = soap.build_envelope(
            service, operation, params, username=self.username, token=self._token,
            domain=self.domain, soap_version=self.soap_version)
        right = api_facts.operation_right(service, operation)
        is_write = (service, operation) in api_facts.WRITE_OPERATIONS
        for attempt in range(self.max_retries + 1):
            try:
                status, body = self._post(service, operation, envelope)
                value = self._decode(service, operation, status, body, params)
                for error in getattr(value, 'unreadable', ()):
                    error.operation = right
                return value
            except NmbrsError as error:
                error.redact(self._token)
                error.operation = error.operation or right
                if is_write and transport.write_may_have_arrived(error):
                    raise transport.uncertain_write_error(error, right) from None
                if not error.transient or attempt >= self.max_retries:
                    raise
                delay = self.backoff * 2 ** attempt
                _logger.warning('Nmbrs %s failed (%s), retrying in %.1f s', right, error.detail
                                or error.message, delay)
                time.sleep(delay)

    def _post(self, service, operation, envelope):
        if self._rate_limiter:
            self._rate_limiter.wait()
        right = api_facts.operation_right(service, operation)
        with self._count_lock:
            self.call_count += 1
            self.calls_by_operation[right] += 1
        url = api_facts.endpoint(self.base_url, service)
        host = urlsplit(url).netloc
        started = time.monotonic()
        with transport.request_errors(host, self.timeout[1]), self._session.post(
                url, data=envelope, headers=soap.http_headers(service, operation, self.soap_version),
                timeout=self.timeout, stream=True) as response:
            body = transport.read_body(response, self.max_response_bytes)
            status = response.status_code
        _logger.debug('Nmbrs %s: HTTP %s, %d bytes in %.3f s', right, status, len(body),
                      time.monotonic() - started)
        return status, body

    def _decode(self, service, operation, status, body, params):
        if status not in (200, 500):
            raise self._http_error(status)
        try:
            value = decode_response(service, operation, body, params)
        except NmbrsResponseError:
            if status == 500:
                raise self._http_error(status) from None
            raise
        if status == 500:
            raise self._http_error(status)
        return value

    def _http_error(self, status):
        transient = status in TRANSIENT_HTTP_STATUSES
        if transient:
            message = 'Nmbrs is temporarily unavailable (HTTP %s). Try again later.' % status
        elif status == 404:
            message = ('Nmbrs answered "not found" (HTTP 404): check the Nmbrs server address (%s).'
                       % self.base_url)
        else:
            message = 'Nmbrs answered with an unexpected HTTP status %s.' % status
        return NmbrsHTTPError(message, status=status, transient=transient, detail='HTTP %s' % status)

    # ------------------------------------------------------------ debtors

    def environment_get(self) -> Environment | None:
        """The user's environment (domain and subdomain); also checks the e-mail and token."""
        return self.call(DEBTOR, 'Environment_Get')

    def debtors(self) -> list[Debtor]:
        return self.call(DEBTOR, 'List_GetAll')

    def debtor(self, debtor_id: int) -> Debtor | None:
        return self.call(DEBTOR, 'Debtor_Get', debtor_id=debtor_id)

    def update_debtor(self, debtor: Debtor) -> None:
        """Replace the debtor: fields left None are emptied in Nmbrs."""
        self.call(DEBTOR, 'Debtor_Update', debtor=debtor)

    # ------------------------------------------------------------ companies

    def companies(self) -> list[Company]:
        return self.call(COMPANY, 'List_GetAll')

    def companies_by_debtor(self, debtor_id: int) -> list[Company]:
        return self.call(COMPANY, 'List_GetByDebtor', debtor_id=debtor_id)

    def current_period(self, company_id: int) -> CurrentPeriod | None:
        return self.call(COMPANY, 'Company_GetCurrentPeriod', company_id=company_id)

    def runs(self, company_id: int, year: int) -> list[Run]:
        """The company's payroll runs of ``year``; runs that cannot be read are listed in ``.unreadable``."""
        return self.call(COMPANY, 'Run_GetList', company_id=company_id, year=year)

    def run_employees(self, company_id: int, run_id: int, year: int) -> list[RunEmployee]:
        """The employees paid in a run; those that cannot be read are listed in ``.unreadable``."""
        return self.call(COMPANY, 'Run_GetEmployeesByRunCompany',
                         company_id=company_id, run_id=run_id, year=year)

    def wage_taxes(self, company_id: int, year: int) -> list[WageTax]:
        """The company's wage tax declarations of ``year``; those that cannot be read are in ``.unreadable``."""
        return self.call(COMPANY, 'WageTax_GetList', company_id=company_id, year=year)

    def wage_tax_xml(self, company_id: int, wage_tax_id: int) -> bytes | None:
        return self.call(COMPANY, 'WageTax_GetXML', company_id=company_id, wage_tax_id=wage_tax_id)

    def employee_payslips(self, company_id: int, run_id: int, year: int, employee_id: int) -> list[bytes]:
        """The employee's payslip PDFs of a run (one per employment), as bytes."""
        return self.call(COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
                         company_id=company_id, run_id=run_id, year=year, employee_id=employee_id)

    def all_payslips(self, company_id: int, run_id: int, year: int) -> bytes | None:
        """One PDF with the payslips of every employee in the run, or None."""
        return self.call(COMPANY, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2',
                         company_id=company_id, run_id=run_id, year=year)

    def sepa(self, company_id: int, run_id: int, year: int, payment_date: date) -> bytes | None:
        """The SEPA transfer file for the run's net wages, as XML bytes, or None."""
        return self.call(COMPANY, 'SalaryDocuments_GetSEPA', company_id=company_id, run_id=run_id,
                         year=year, payment_date=payment_date)

    def sepa_tax(self, company_id: int, run_id: int, year: int, wage_tax_id: int,
                 payment_date: date) -> bytes | None:
        """The SEPA transfer file for a wage tax payment, as XML bytes, or None."""
        return self.call(COMPANY, 'SalaryDocuments_GetSEPA_Tax', company_id=company_id,
                         run_id=run_id, year=year, wage_tax_id=wage_tax_id, payment_date=payment_date)

    def journal(self, company_id: int, run_id: int, year: int) -> bytes | None:
        """The run's journal entries, as XML bytes, or None."""
        return self.call(COMPANY, 'Journals_GetByRunCompany_v2',
                         company_id=company_id, run_id=run_id, year=year)

    def annual_document(self, kind: str, company_id: int, run_id: int, year: int) -> bytes | None:
        """A company annual document PDF; ``kind`` is one of api_facts.ANNUAL_DOCUMENT_KINDS."""
        if kind not in api_facts.ANNUAL_DOCUMENT_KINDS:
            raise ValueError('unknown annual document kind %r' % kind)
        return self.call(COMPANY, api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + kind,
                         company_id=company_id, run_id=run_id, year=year)

    def company_address(self, company_id: int) -> Address | None:
        return self.call(COMPANY, 'Address_GetCurrent', company_id=company_id)

    def update_company_address(self, company_id: int, address: Address) -> None:
        """Replace the company address; Nmbrs gives the new address a new id."""
        self.call(COMPANY, 'Address_Update', company_id=company_id, address=address)

    # ------------------------------------------------------------ employees

    def employee_types(self) -> list[EmployeeType]:
        """The employee types of the environment, asked once per client: they do not change in a session."""
        if self._employee_types is None:
            self._employee_types = self.call(EMPLOYEE, 'EmployeeType_GetList')
        return self._employee_types

    def employees(self, company_id: int, employee_type: int) -> list[Employee]:
        """The company's employees of one type (an id from employee_types())."""
        return self.call(EMPLOYEE, 'List_GetByCompany',
                         company_id=company_id, employee_type=employee_type)

    def all_employees(self, company_id: int) -> list[Employee]:
        """The company's employees of every type, each once."""
        found = {}
        for employee_type in self.employee_types():
            for employee in self.employees(company_id, employee_type.id):
                found.setdefault(employee.id, employee)
        return list(found.values())

    def personal_info(self, employee_id: int) -> PersonalInfo | None:
        return self.call(EMPLOYEE, 'PersonalInfo_GetCurrent', employee_id=employee_id)

    def update_personal_info(self, employee_id: int, info: PersonalInfo) -> None:
        """Replace the current personal info: fields left None are emptied in Nmbrs."""
        self.call(EMPLOYEE, 'PersonalInfo_UpdateCurrent', employee_id=employee_id, info=info)

    def employee_addresses(self, employee_id: int) -> list[EmployeeAddress]:
        return self.call(EMPLOYEE, 'Address_GetListCurrent', employee_id=employee_id)

    def update_employee_address(self, employee_id: int, address: EmployeeAddress) -> bool | None:
        """Update an employee address; returns Nmbrs's success flag."""
        return self.call(EMPLOYEE, 'Address_Update', employee_id=employee_id, address=address)

    def annual_statement(self, employee_id: int, year: int) -> bytes | None:
        """The employee's annual statement (jaaropgave) PDF, or None."""
        return self.call(EMPLOYEE, 'SalaryDocuments_GetAnnualStatementPDF',
                         employee_id=employee_id, year=year)

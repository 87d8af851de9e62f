"""Client for the Nmbrs REST API, returning the typed records of nmbrs/records.py.

It implements nmbrs.interface.NmbrsApi like the SOAP client. Every call sends
the bearer token and the subscription key; lists are read page by page
(100 a page) to the end; a document call answers a task id whose file is
polled from GET /api/documents/{taskId} with backoff up to a deadline.

Tokens: the client holds one TokenPair. Before it expires, or when Nmbrs
refuses it, ``refresh_tokens(stale_pair)`` gives the next pair, which must be
persisted before it returns (refresh tokens rotate). Pass it yourself to
serialise refreshes across processes, or pass ``identity`` (an NmbrsIdentity)
and ``save_tokens`` (a callback that persists the new pair). Refreshes inside
one client are serialised. The client may be shared by threads.
"""
import collections
import json
import logging
import threading
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit

from . import api_facts, dates, transport
from .errors import (
    NmbrsAccessError,
    NmbrsConsentError,
    NmbrsError,
    NmbrsHTTPError,
    NmbrsQuotaError,
    NmbrsRateLimitError,
    NmbrsResponseError,
    NmbrsScopeError,
    NmbrsSeveralDebtorsError,
    NmbrsSubscriptionError,
    NmbrsSubscriptionKeyError,
    NmbrsTimeout,
    NmbrsValidationError,
)
from .interface import NmbrsApi
from .oauth import CONSENT_RENEW
from .records import (
    Address,
    Company,
    CurrentPeriod,
    Debtor,
    Employee,
    PersonalInfo,
    Records,
    Run,
    RunEmployee,
    UserInfo,
    WageTax,
    WorkCost,
)

_logger = logging.getLogger(__name__)

DOCUMENT_CONTENT = 'GetDocumentContentId'
# What an answer may be besides JSON or bytes.
_PROCESSING = object()  # 202: the document is not ready yet
_NO_DOCUMENT = object()  # 404 40401 to a document request
# The record kind an access error names, by the path parameter that was refused.
_RECORD_KINDS = (('employeeId', 'employee'), ('payrollRunId', 'run'), ('wageTaxId', 'declaration'),
                 ('companyId', 'company'), ('debtorId', 'debtor'), ('taskId', 'document'))
_MAX_PAGES = 10000
_MAX_ERROR_TEXT = 300


class NmbrsRestClient(NmbrsApi):
    """Typed access to the Nmbrs REST API for one consent (see the module docstring for tokens).

    ``api_url``: the API's base address (https://api.nmbrsapp.com, or a local
    sandbox's); ``document_deadline``: seconds a document may take to be made.
    """

    protocol = 'rest'
    id_type = str
    payslips_per_period = True
    has_work_costs = True
    has_user_info = True

    def __init__(self, subscription_key, tokens, *, refresh_tokens=None, identity=None, save_tokens=None,
                 api_url=api_facts.REST_API_URL, connect_timeout=10.0, read_timeout=120.0, max_retries=2,
                 backoff=0.5, max_response_bytes=transport.DEFAULT_MAX_RESPONSE_BYTES,
                 max_calls_per_second=api_facts.REST_MAX_CALLS_PER_SECOND, rate_limiter=None, pool_size=10,
                 document_deadline=300.0, poll_interval=0.2, max_poll_interval=5.0, max_retry_after=60.0):
        if urlsplit(api_url).scheme not in ('http', 'https'):
            raise ValueError('api_url must start with http:// or https://')
        if max_retries < 0:
            raise ValueError('max_retries must be 0 or more')
        self._subscription_key = subscription_key
        self._tokens = tokens
        if refresh_tokens is None and identity is not None:
            def refresh_tokens(stale):
                fresh = identity.refresh(stale.refresh_token)
                if save_tokens:
                    save_tokens(fresh)
                return fresh
        self._refresh_tokens = refresh_tokens
        self._token_lock = threading.Lock()
        self.api_url = api_url.rstrip('/')
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_response_bytes = max_response_bytes
        self.document_deadline = document_deadline
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.max_retry_after = max_retry_after
        if rate_limiter is None and max_calls_per_second:
            rate_limiter = transport.RateLimiter(max_calls_per_second)
        self._rate_limiter = rate_limiter
        self._session = transport.new_session(pool_size)
        self._count_lock = threading.Lock()
        self.call_count = 0
        self.calls_by_operation = collections.Counter()
        # Set once Nmbrs answered 40306: this consent spans several debtors.
        self._companies_per_debtor = False

    def __repr__(self):
        return '<NmbrsRestClient at %s>' % self.api_url

    def close(self):
        self._session.close()

    @property
    def tokens(self):
        """The token pair in use (after any refresh)."""
        with self._token_lock:
            return self._tokens

    # ------------------------------------------------------------ tokens

    def _usable_tokens(self):
        tokens = self.tokens
        if tokens is None or not tokens.access_token:
            raise NmbrsConsentError('There is no Nmbrs consent for this connection. ' + CONSENT_RENEW,
                                    reason='not_connected')
        if self._refresh_tokens and tokens.expires_within(api_facts.ACCESS_TOKEN_LEEWAY_SECONDS):
            tokens = self._renew(tokens)
        return tokens

    def _renew(self, stale):
        """The pair after ``stale``: refreshed once, however many threads found it stale."""
        with self._token_lock:
            if self._tokens is not stale:
                return self._tokens
            fresh = self._refresh_tokens(stale)
            self._tokens = fresh
            _logger.info('Nmbrs REST access token refreshed')
            return fresh

    def _secrets(self):
        tokens = self.tokens
        return (self._subscription_key, tokens and tokens.access_token, tokens and tokens.refresh_token)

    # ------------------------------------------------------------ transport

    def call(self, operation_id, path=None, query=None, body=None):
        """Call an operation of api_facts.REST_OPERATIONS: parsed JSON, bytes (documents), or a marker.

        Reads are retried on transient failures (honouring Retry-After); a
        write is sent once. A refused access token is refreshed once.
        """
        operation = api_facts.REST_OPERATIONS[operation_id]
        path = path or {}
        url = self.api_url + operation.path.format(**{name: quote(str(value), safe='')
                                                      for name, value in path.items()})
        attempt, renewed = 0, False
        while True:
            try:
                tokens = self._usable_tokens()
                status, headers, content = self._send(operation_id, operation.method, url, query, body, tokens)
                return self._answer(operation_id, status, headers, content, path)
            except NmbrsConsentError as error:
                if error.reason == 'refused' and not renewed and self._refresh_tokens:
                    renewed = True
                    self._renew(tokens)
                    continue
                raise self._redacted(error, operation_id) from None
            except NmbrsError as error:
                self._redacted(error, operation_id)
                if (operation.write and transport.write_may_have_arrived(error)
                        and not isinstance(error, NmbrsRateLimitError)):
                    raise transport.uncertain_write_error(error, operation_id) from None
                if operation.write or not error.transient or attempt >= self.max_retries:
                    raise
                delay = self.backoff * 2 ** attempt
                if getattr(error, 'retry_after', None) is not None:
                    delay = min(error.retry_after, self.max_retry_after)
                attempt += 1
                _logger.warning('Nmbrs %s failed (%s), retrying in %.1f s', operation_id,
                                error.detail or error.message, delay)
                time.sleep(delay)

    def _redacted(self, error, operation_id):
        for secret in self._secrets():
            error.redact(secret)
        error.operation = error.operation or operation_id
        return error

    def _send(self, operation_id, method, url, query, body, tokens):
        if self._rate_limiter:
            self._rate_limiter.wait()
        with self._count_lock:
            self.call_count += 1
            self.calls_by_operation[operation_id] += 1
        headers = {'Authorization': 'Bearer %s' % tokens.access_token,
                   api_facts.SUBSCRIPTION_KEY_HEADER: self._subscription_key,
                   'Accept': 'application/json, application/octet-stream'}
        started = time.monotonic()
        with transport.request_errors(urlsplit(url).netloc, self.timeout[1]), self._session.request(
                method, url, params=query, json=body, headers=headers, timeout=self.timeout,
                stream=True) as response:
            content = transport.read_body(response, self.max_response_bytes)
            status, answer_headers = response.status_code, response.headers
        _logger.debug('Nmbrs %s: HTTP %s, %d bytes in %.3f s', operation_id, status, len(content),
                      time.monotonic() - started)
        return status, answer_headers, content

    def _answer(self, operation_id, status, headers, content, path):
        if operation_id == DOCUMENT_CONTENT and status == 200:
            return content
        if status == 202 and operation_id == DOCUMENT_CONTENT:
            return _PROCESSING
        if status in (200, 201):
            return _json(content)
        error = self._error(operation_id, status, headers, content, path)
        if error is None:
            return _NO_DOCUMENT
        raise error

    def _error(self, operation_id, status, headers, content, path):
        """The NmbrsError of an error answer; None for "no such document"."""
        try:
            body = json.loads(content) if content else {}
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code = body.get('code') if isinstance(body.get('code'), int) else None
        detail = ('HTTP %s %s %s: %s' % (status, code or '', body.get('title') or '',
                                          body.get('detail') or body.get('message') or ''))[:_MAX_ERROR_TEXT]
        common = {'code': code, 'operation': operation_id, 'detail': detail}
        operation = api_facts.REST_OPERATIONS[operation_id]
        if status == 401:
            if code is None and 'statusCode' in body:
                return NmbrsSubscriptionKeyError(
                    'Nmbrs refused the subscription key. Copy the primary or secondary key of your subscription '
                    'from the Nmbrs developer portal and enter it again.', **common)
            return NmbrsConsentError('Nmbrs no longer accepts the consent of this connection. ' + CONSENT_RENEW,
                                     reason='refused', **common)
        if status == 403:
            if code == api_facts.REST_ERROR_NO_DATA_ACCESS:
                return NmbrsAccessError(
                    'The Nmbrs login that gave consent may not see this data: the tags or filters of its user '
                    'template hide it. Ask your Nmbrs administrator to widen them, or connect with another login.',
                    record_kind='data', **common)
            if code == api_facts.REST_ERROR_NO_SUBSCRIPTION:
                return NmbrsSubscriptionError(
                    'This Nmbrs environment is disabled: it has no valid subscription.', **common)
            if code == api_facts.REST_ERROR_SEVERAL_DEBTORS:
                return NmbrsSeveralDebtorsError(
                    'The Nmbrs consent covers several debtors: Nmbrs lists their companies per debtor only.',
                    record_kind='debtor', **common)
            scope = operation.scopes[0]
            return NmbrsScopeError(
                'The Nmbrs consent does not include the permission "%s" that this needs. Connect to Nmbrs again '
                'and approve every permission asked.' % scope, right=scope, **common)
        if status == 404:
            if code == api_facts.REST_ERROR_NOT_FOUND and operation.document:
                return None
            if code is None:
                return NmbrsHTTPError(
                    'Nmbrs answered "not found" (HTTP 404): check the Nmbrs API address (%s).' % self.api_url,
                    status=status, **common)
            kind, record_id = next(((kind, path[name]) for name, kind in _RECORD_KINDS if name in path),
                                   ('data', None))
            return NmbrsAccessError(
                'Nmbrs does not know %s %s, or the consent does not reach it.' % (kind, record_id)
                if record_id else 'Nmbrs does not know the data asked for.',
                record_kind=kind, record_id=record_id, **common)
        if status == 429:
            retry_after = _retry_after(headers.get('Retry-After'))
            wait = ' Nmbrs asked to wait %d seconds.' % retry_after if retry_after is not None else ''
            if code == api_facts.REST_ERROR_QUOTA_EXCEEDED:
                return NmbrsQuotaError(
                    'The Nmbrs call quota of this subscription is used up. Nothing more is asked from Nmbrs for now; '
                    'the next scheduled run continues where this one stopped.' + wait,
                    retry_after=retry_after, **common)
            return NmbrsRateLimitError('Nmbrs asked to slow down: too many calls in a short time.' + wait,
                                       retry_after=retry_after, **common)
        if status == 400:
            params = [(str(item.get('name')), str(item.get('reason'))) for item in body.get('invalid-params') or ()
                      if isinstance(item, dict)]
            reasons = '; '.join('%s: %s' % param for param in params) or body.get('detail') or 'no reason given'
            return NmbrsValidationError('Nmbrs refused the values sent (%s).' % str(reasons)[:_MAX_ERROR_TEXT],
                                        invalid_params=params, **common)
        if status >= 500:
            return NmbrsHTTPError('Nmbrs is temporarily unavailable (HTTP %s). Try again later.' % status,
                                  status=status, transient=True, **common)
        return NmbrsHTTPError('Nmbrs answered with an unexpected HTTP status %s.' % status, status=status, **common)

    # ------------------------------------------------------------ lists and documents

    def _list(self, operation_id, path=None, query=None):
        """Every item of a paged list, page after page (the pages' own links are not followed)."""
        items = []
        for page in range(1, _MAX_PAGES + 1):
            answer = self.call(operation_id, path, {**(query or {}), 'pageNumber': page,
                                                    'pageSize': api_facts.REST_PAGE_SIZE})
            if not isinstance(answer, dict) or not isinstance(answer.get('data'), list):
                raise _unexpected('the answer to %s is not a list in an envelope' % operation_id)
            items += answer['data']
            pagination = answer.get('pagination') if isinstance(answer.get('pagination'), dict) else {}
            total_pages = pagination.get('totalPages')
            if (not answer['data'] or not pagination.get('nextPage')
                    or (isinstance(total_pages, int) and page >= total_pages)):
                return items
        raise _unexpected('%s has more than %d pages' % (operation_id, _MAX_PAGES))

    def _first(self, operation_id, path=None, query=None):
        items = self._list(operation_id, path, query)
        return items[0] if items else None

    def document(self, operation_id, path, query=None):
        """The file of a document operation, or None when Nmbrs has none."""
        answer = self.call(operation_id, path, query)
        if answer is _NO_DOCUMENT:
            return None
        task_id = answer.get('taskId') if isinstance(answer, dict) else None
        if not isinstance(task_id, str) or not task_id:
            raise _unexpected('the answer to %s carries no taskId' % operation_id)
        deadline = time.monotonic() + self.document_deadline
        delay = self.poll_interval
        while True:
            content = self.call(DOCUMENT_CONTENT, {'taskId': task_id})
            if content is _NO_DOCUMENT:
                return None
            if content is not _PROCESSING:
                return content or None
            if time.monotonic() + delay > deadline:
                raise NmbrsTimeout(
                    'Nmbrs did not finish making the document within %d seconds. Nothing was lost; the next run '
                    'asks again.' % self.document_deadline, operation=operation_id,
                    detail='task %s still processing' % task_id)
            time.sleep(delay)
            delay = min(delay * 2, self.max_poll_interval)

    # ------------------------------------------------------------ who and where

    def user_info(self):
        item = self._first('getUserInfo')
        return item and UserInfo(name=_text(item, 'name'), email=_text(item, 'email'),
                                 language=_text(item, 'language'), debtor_id=_text(item, 'debtorId'),
                                 user_id=_text(item, 'userId'))

    def debtors(self):
        return [Debtor(id=_required(item, 'debtorId'), number=_text(item, 'number'), name=_text(item, 'name'))
                for item in self._list('getDebtors')]

    def debtor(self, debtor_id):
        return next((debtor for debtor in self.debtors() if debtor.id == debtor_id), None)

    def companies(self):
        if not self._companies_per_debtor:
            try:
                return [_company(item) for item in self._list('getCompanies')]
            except NmbrsSeveralDebtorsError:
                self._companies_per_debtor = True
        return [company for debtor in self.debtors() for company in self.companies_by_debtor(debtor.id)]

    def companies_by_debtor(self, debtor_id):
        return [_company(item, debtor_id) for item in self._list('getCompaniesByDebtor', {'debtorId': debtor_id})]

    def current_period(self, company_id):
        item = self._first('getCurrentPeriod', {'companyId': company_id})
        if not item:
            return None
        period = _object(item, 'period')
        period_type = _text(item, 'periodType')
        return CurrentPeriod(year=_integer(period, 'year'), period=_integer(period, 'period'),
                             period_type=api_facts.REST_PERIOD_TYPES.get(period_type, period_type))

    def company_address(self, company_id):
        """The default company address (type companyAddress), its latest entry."""
        items = self._list('getCompanyAddresses', {'companyId': company_id})
        current = [item for item in items if _text(item, 'type') in (None, 'companyAddress')] or items
        if not current:
            return None
        item = max(current, key=lambda item: (bool(item.get('isDefault')), _datetime(item, 'createdAt')
                                              or datetime.min))
        return Address(**_address_values(item))

    # ------------------------------------------------------------ payroll

    def runs(self, company_id, year):
        return _each_apart('getCompanyPayrollRuns', _run, self._list(
            'getCompanyPayrollRuns', {'companyId': company_id}, {'year': year}))

    def run_employees(self, company_id, run_id, year):
        return _each_apart('getEmployeesInPayrollRun', _run_employee, self._list(
            'getEmployeesInPayrollRun', {'companyId': company_id, 'payrollRunId': run_id}, {'year': year}))

    def wage_taxes(self, company_id, year):
        return _each_apart('getCompanyWageTaxes', _wage_tax, self._list(
            'getCompanyWageTaxes', {'companyId': company_id}, {'year': year}))

    def wage_tax_xml(self, company_id, wage_tax_id):
        return self.document('getWageTaxXML', {'companyId': company_id, 'wageTaxId': wage_tax_id})

    def wage_tax_sepa(self, company_id, wage_tax_id, year, payment_date=None):
        """The SEPA file of a declaration's payment to the tax office (REST only), or None."""
        return self.document('getWageTaxSEPA', {'companyId': company_id, 'wageTaxId': wage_tax_id},
                             _with_payment_date({'year': year}, payment_date))

    def sepa(self, company_id, run_id, year, payment_date=None):
        return self.document('getPayrollRunSEPA', {'companyId': company_id, 'payrollRunId': run_id},
                             _with_payment_date({'year': year}, payment_date))

    def journal(self, company_id, run_id, year):
        return self.document('getPayrollRunJournals', {'companyId': company_id, 'payrollRunId': run_id},
                             {'year': year})

    def period_payslip(self, employee_id, year, period):
        return self.document('getEmployeePayslipPerPeriod', {'employeeId': employee_id},
                             {'period': period, 'year': year})

    def annual_statement(self, employee_id, year):
        return self.document('getEmployeeAnnualStatement', {'employeeId': employee_id}, {'year': year})

    def work_costs(self, company_id, year):
        costs = []
        for item in self._list('getCompanyWorkCosts', {'companyId': company_id}, {'year': year}):
            period = _object(item, 'period')
            costs.append(WorkCost(
                year=_integer(period, 'year'), period=_integer(period, 'period'),
                **{name: _decimal(item, key) for name, key in _WORK_COST_FIELDS}))
        return costs

    # ------------------------------------------------------------ employees

    def all_employees(self, company_id):
        employees = []
        for item in self._list('getEmployeesByCompany', {'companyId': company_id}):
            basic = _object(item, 'employeeBasicInfo')
            employees.append(Employee(id=_required(item, 'employeeId'), number=_integer(basic, 'employeeNumber'),
                                      display_name=_display_name(basic),
                                      employee_type=_text(basic, 'employeeType')))
        return employees

    def personal_info(self, employee_id):
        item = self._first('getEmployee', {'employeeId': employee_id})
        if not item or not isinstance(item.get('personalInfo'), dict):
            return None
        return _personal_info(_required(item, 'employeeId'), item['personalInfo'])

    def update_personal_info(self, employee_id, info, period=None):
        """Change basic, birth, contact and partner info; ``period`` (year, period) it applies from.

        Without ``period`` Nmbrs applies it to the company's current period
        (UNVERIFIED). Fields left None are emptied, as over SOAP.
        """
        self.call('UpdateEmployeePersonalInfo', {'employeeId': employee_id},
                  body=_personal_info_body(info, period))

    def update_employee_address(self, employee_id, address, period=None):
        """Add an address entry (REST has no change of an existing one); True once Nmbrs created it."""
        body = {'isDefault': address.default, 'type': _rest_address_type(address.type), 'street': address.street,
                'houseNumber': address.house_number, 'houseNumberAddition': address.house_number_addition,
                'postalCode': address.postal_code, 'city': address.city, 'stateProvince': address.state_province,
                'countryISOCode': address.country_iso_code}
        if period:
            body['period'] = {'year': period[0], 'period': period[1]}
        answer = self.call('createEmployeeAddress', {'employeeId': employee_id}, body=body)
        return isinstance(answer, dict) and bool(answer.get('addressId'))


# ---------------------------------------------------------------- reading JSON

_WORK_COST_FIELDS = (
    ('fiscal_wage', 'fiscalWage'), ('work_cost_base', 'workCostBase'), ('work_cost_available', 'workCostAvailable'),
    ('work_cost_payroll', 'workCostPayroll'), ('work_cost_financial', 'workCostFinancial'),
    ('work_cost_to_pay', 'workCostToPay'), ('work_cost_estimated', 'workCostEstimated'),
    ('work_cost_paid', 'workCostPaid'))


def _unexpected(detail):
    return NmbrsResponseError('Nmbrs sent an answer in an unexpected form.', detail=detail)


def _json(content):
    try:
        return json.loads(content, parse_float=Decimal)
    except ValueError as error:
        raise NmbrsResponseError('Nmbrs sent an answer that could not be read.', detail=str(error)[:200]) from None


def _each_apart(operation_id, read, items):
    """The records of a list's items: one that cannot be read is left out and its error kept in ``unreadable``."""
    found = Records()
    for item in items:
        try:
            if not isinstance(item, dict):
                raise _unreadable(item, 'object')
            found.append(read(item))
        except NmbrsResponseError as error:
            error.operation = operation_id
            found.unreadable.append(error)
    return found


def _run(item):
    return Run(id=_required(item, 'payrollRunId'), number=_integer(item, 'number'), year=_integer(item, 'year'),
               period_start=_integer(item, 'periodStart'), period_end=_integer(item, 'periodEnd'),
               description=_text(item, 'description'), run_at=_datetime(item, 'createdAt'),
               is_locked=_boolean(item, 'locked'), run_type=_text(item, 'type'))


def _run_employee(item):
    return RunEmployee(employee_id=_required(item, 'employeeId'), employee_number=_integer(item, 'employeeNumber'))


def _wage_tax(item):
    return WageTax(id=_required(item, 'wageTaxId'), serial_number=_integer(item, 'serialNumber'),
                   payment_reference=_text(item, 'paymentReference'), total_general=_integer(item, 'totalGeneral'),
                   period=_integer(item, 'period'), year=_integer(item, 'year'), status=_text(item, 'status'),
                   sent_at=_datetime(item, 'sentAt'), period_start=_date(item, 'periodStart'),
                   period_end=_date(item, 'periodEnd'), correction_period_start=_date(item, 'correctionPeriodStart'),
                   correction_period_end=_date(item, 'correctionPeriodEnd'))


def _unreadable(value, kind):
    return NmbrsResponseError('Nmbrs sent a value that could not be read.',
                              detail='%r is not a valid %s' % (str(value)[:50], kind))


def _object(item, key):
    value = item.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _unreadable(value, 'object')
    return value


def _required(item, key):
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise _unexpected('an item without %s' % key)
    return value


def _typed(item, key, kind, accepted):
    value = item.get(key)
    if value is None or accepted(value):
        return value
    raise _unreadable(value, kind)


def _text(item, key):
    return _typed(item, key, 'text', lambda value: isinstance(value, str))


def _integer(item, key):
    return _typed(item, key, 'integer', lambda value: isinstance(value, int) and not isinstance(value, bool))


def _boolean(item, key):
    return _typed(item, key, 'boolean', lambda value: isinstance(value, bool))


def _decimal(item, key):
    value = item.get(key)
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _unreadable(value, 'number') from None


def _datetime(item, key):
    value = _text(item, key)
    try:
        return dates.parse_datetime(value) if value else None
    except ValueError:
        raise _unreadable(value, 'date-time') from None


def _date(item, key):
    value = _text(item, key)
    try:
        return dates.parse_date(value) if value else None
    except ValueError:
        raise _unreadable(value, 'date') from None


def _company(item, debtor_id=None):
    number = _text(item, 'number')
    return Company(id=_required(item, 'companyId'), name=_text(item, 'name'),
                   number=int(number) if number and number.isdigit() else None,
                   debtor_id=_text(item, 'debtorId') or debtor_id)


def _display_name(basic):
    return ' '.join(part for part in (_text(basic, 'firstName'), _text(basic, 'prefix'), _text(basic, 'lastName'))
                    if part) or None


def _address_values(item):
    return {'id': _text(item, 'addressId'), 'default': _boolean(item, 'isDefault'), 'street': _text(item, 'street'),
            'house_number': _text(item, 'houseNumber'), 'house_number_addition': _text(item, 'houseNumberAddition'),
            'postal_code': _text(item, 'postalCode'), 'city': _text(item, 'city'),
            'state_province': _text(item, 'stateProvince'), 'country_iso_code': _text(item, 'countryISOCode')}


def _rest_address_type(record_type):
    return (record_type[:1].lower() + record_type[1:]) if record_type else 'homeAddress'


def _personal_info(employee_id, item):
    basic, birth = _object(item, 'basicInfo'), _object(item, 'birthInfo')
    contact, partner = _object(item, 'contactInfo'), _object(item, 'partnerInfo')
    emergency = _object(item, 'emergencyInfo')
    number = _integer(basic, 'employeeNumber')
    gender = _text(birth, 'gender')
    return PersonalInfo(
        id=employee_id, number=number, employee_number=number, display_name=_display_name(basic),
        first_name=_text(basic, 'firstName'), first_name_in_full=_text(basic, 'firstNameInFull'),
        initials=_text(basic, 'initials'), prefix=_text(basic, 'prefix'), last_name=_text(basic, 'lastName'),
        gender=api_facts.REST_GENDERS.get(gender, gender), birthday=_date(birth, 'birthDate'),
        deceased_date=_date(birth, 'deceasedOn'),
        country_of_birth_iso_code=_text(_object(birth, 'birthCountry'), 'codeISO'),
        nationality_iso_code=_text(_object(birth, 'nationality'), 'codeISO'),
        email_private=_text(contact, 'privateEmail'), email_work=_text(contact, 'businessEmail'),
        telephone_work=_text(contact, 'businessPhone'), telephone_mobile_work=_text(contact, 'businessMobilePhone'),
        telephone_private=_text(contact, 'privatePhone'),
        telephone_mobile_private=_text(contact, 'privateMobilePhone'), telephone_other=_text(contact, 'otherPhone'),
        partner_prefix=_text(partner, 'partnerPrefix'), partner_last_name=_text(partner, 'partnerName'),
        marital_status=_text(partner, 'maritalStatus'),
        partner_ascription_code=_integer(_object(partner, 'ascription'), 'code'),
        in_case_of_emergency=_text(emergency, 'emergencyContact'),
        in_case_of_emergency_phone=_text(emergency, 'emergencyPhone'),
        in_case_of_emergency_relation=_text(emergency, 'emergencyRelationship'),
        creation_date=_datetime(item, 'createdAt'))


# ---------------------------------------------------------------- writing JSON

def _iso_datetime(value):
    """A date or naive datetime as Nmbrs's date-time text (Dutch time, no zone)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value.strftime('%Y-%m-%dT%H:%M:%S')


def _with_payment_date(query, payment_date):
    if payment_date:
        query['paymentDate'] = _iso_datetime(payment_date)
    return query


_MARITAL_STATUSES = frozenset({'married', 'unmarried', 'livingTogether', 'divorced', 'registeredPartner',
                               'widowWidower', 'notSpecified'})


def _personal_info_body(info, period):
    body = {
        'basicInfo': {'employeeNumber': info.employee_number if info.employee_number is not None else info.number,
                      'firstName': info.first_name, 'firstNameInFull': info.first_name_in_full,
                      'prefix': info.prefix, 'initials': info.initials, 'lastName': info.last_name},
        'birthInfo': {'birthDate': _iso_datetime(info.birthday),
                      'birthCountryCodeISO': info.country_of_birth_iso_code,
                      'nationalityCodeISO': info.nationality_iso_code, 'deceasedOn': _iso_datetime(info.deceased_date),
                      'gender': api_facts.RECORD_GENDERS.get(info.gender)},
        'contactInfo': {'privateEmail': info.email_private, 'businessEmail': info.email_work,
                        'businessPhone': info.telephone_work, 'businessMobilePhone': info.telephone_mobile_work,
                        'privatePhone': info.telephone_private, 'privateMobilePhone': info.telephone_mobile_private,
                        'otherPhone': info.telephone_other},
        # SOAP's Dutch marital status texts have no REST counterpart: only REST's own values are sent.
        'partnerInfo': {'partnerPrefix': info.partner_prefix, 'partnerName': info.partner_last_name,
                        'maritalStatus': info.marital_status if info.marital_status in _MARITAL_STATUSES else None,
                        'ascriptionCode': info.partner_ascription_code},
    }
    if period:
        body['period'] = {'year': period[0], 'period': period[1]}
    return body


def _retry_after(value):
    """Seconds of a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int(moment.timestamp() - time.time()))

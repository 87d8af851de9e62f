"""The sandbox's Nmbrs REST API below /rest/: the same office as SOAP, in the shapes of Nmbrs's OpenAPI description.

Each request is checked as Nmbrs does: the subscription key (by the gateway),
the bearer token (a live consent of the identity service), the scope the
operation needs, and the consent's debtors. Documents answer a task id; the
file comes from GET /api/documents/{taskId} after ``knobs.document_polls``
answers 202.
"""
import json
import re
import threading
import time
import uuid
from urllib.parse import parse_qs, urlencode

from .. import api_facts
from . import faults as fault_kinds, rest_shapes as shapes
from .calls import Call
from .guids import GuidIndex
from .reply import JSON, Reply

OCTET_STREAM = 'application/octet-stream'
SERVICE = 'rest'
_ROUTES = [(re.compile('^%s$' % re.sub(r'\{(\w+)\}', r'(?P<\1>[^/]+)', operation.path)), operation_id)
           for operation_id, operation in api_facts.REST_OPERATIONS.items()]
HANDLERS = {}


class RestError(Exception):
    """A Nmbrs REST error answer: ``code`` from api_facts.REST_ERRORS."""

    def __init__(self, code, invalid_params=None):
        super().__init__(code)
        self.code = code
        self.invalid_params = invalid_params


def error_reply(code, invalid_params=None, headers=None):
    status, kind, title, detail = api_facts.REST_ERRORS[code]
    body = {'type': kind, 'httpStatus': status, 'code': code, 'title': title, 'detail': detail,
            'docUrl': api_facts.REST_ERROR_DOC_URL}
    if invalid_params:
        body['invalid-params'] = [{'name': name, 'reason': reason} for name, reason in invalid_params]
    return Reply(status, json.dumps(body).encode(), JSON, headers=headers)


def _handler(operation_id):
    def register(function):
        HANDLERS[operation_id] = function
        return function
    return register


class Request:
    """One API request as the handlers see it: the consent, path and query values, the JSON body."""

    def __init__(self, app, operation_id, consent, path, query, body):
        self.app, self.dataset, self.consent = app, app.dataset, consent
        self.operation_id, self.path, self.query, self.body = operation_id, path, query, body

    def integer(self, name, default=None, minimum=None, maximum=None):
        text = self.query.get(name)
        if text is None or text == '':
            return default
        if not re.fullmatch(r'-?\d+', text) or (minimum is not None and int(text) < minimum) or (
                maximum is not None and int(text) > maximum):
            raise RestError(api_facts.REST_ERROR_VALIDATION, [(name, 'The parameter is invalid.')])
        return int(text)

    def year(self):
        return self.integer('year', self.dataset.now().year, 1900, 9999)

    def _visible(self, debtor_id):
        if debtor_id not in self.consent.debtor_ids:
            raise RestError(api_facts.REST_ERROR_NO_DATA_ACCESS)

    def debtor(self):
        debtor_id = self.app.guids.soap_id('debtor', self.path['debtorId'])
        if debtor_id is None:
            raise RestError(api_facts.REST_ERROR_NOT_FOUND)
        self._visible(debtor_id)
        return self.dataset.debtors[debtor_id]

    def company(self):
        company_id = self.app.guids.soap_id('company', self.path['companyId'])
        if company_id is None:
            raise RestError(api_facts.REST_ERROR_INVALID_COMPANY)
        company = self.dataset.companies[company_id]
        self._visible(company.debtor_id)
        return company

    def employee(self):
        employee_id = self.app.guids.soap_id('employee', self.path['employeeId'])
        if employee_id is None:
            raise RestError(api_facts.REST_ERROR_NOT_FOUND)
        employee = self.dataset.employees[employee_id]
        self._visible(self.dataset.companies[employee.company_id].debtor_id)
        return employee

    def run(self, company):
        run = self.dataset.run_of(company.id, self.app.guids.soap_id('run', self.path['payrollRunId']))
        if run is None:
            raise RestError(api_facts.REST_ERROR_NOT_FOUND)
        return run

    def declaration(self, company):
        declaration = self.dataset.declarations.get(self.app.guids.soap_id('declaration', self.path['wageTaxId']))
        if declaration is None or declaration.company_id != company.id:
            raise RestError(api_facts.REST_ERROR_NOT_FOUND)
        return declaration

    def payment_date(self):
        text = self.query.get('paymentDate')
        try:
            return shapes.parse_datetime(text) if text else None
        except ValueError:
            raise RestError(api_facts.REST_ERROR_VALIDATION, [('paymentDate', 'Not a date-time.')]) from None


class RestApplication:
    def __init__(self, dataset, identity, knobs, faults, calls, stopping):
        self.dataset = dataset
        self.identity = identity
        self.knobs = knobs
        self.faults = faults
        self.calls = calls
        self.guids = GuidIndex(dataset)
        self._stopping = stopping
        self._tasks_lock = threading.Lock()
        self._tasks = {}  # task id -> [consent id, polls so far, render]

    def handle(self, method, path, query, headers, body, base_url):
        operation_id, values = next(((operation_id, match.groupdict()) for pattern, operation_id in _ROUTES
                                     if (match := pattern.match(path))), (None, {}))
        if operation_id is None or api_facts.REST_OPERATIONS[operation_id].method != method:
            # Unknown to the gateway: it answers in its own shape.
            return Reply(404, json.dumps({'statusCode': 404, 'message': 'Resource not found'}).encode(), JSON)
        params = {key: values_[-1] for key, values_ in parse_qs(query, keep_blank_values=True).items()}
        rule = self.faults.fault_for(SERVICE, operation_id)
        self.calls.record(Call(SERVICE, operation_id, {**values, **params}, None, time.time(),
                               injected=rule.kind if rule else None))
        latency = self.faults.latency_for(SERVICE, operation_id)
        if latency > 0:
            self._stopping.wait(latency)
        if rule:
            injected = self._injected(rule)
            if injected is not None:
                return injected
        reply = self._answer(operation_id, values, params, headers, body, base_url)
        if rule and rule.kind == fault_kinds.TRUNCATED:
            reply.body = reply.body[:len(reply.body) // 2]
        elif rule and rule.kind == fault_kinds.HUGE:
            reply.body += b' ' * max(0, rule.size - len(reply.body))
        return reply

    def _injected(self, rule):
        """The answer of an injected fault, or None to answer normally (after a timeout's wait)."""
        if rule.kind == fault_kinds.REST_ERROR:
            return error_reply(rule.code, headers=self._retry_after_header(rule.code))
        if rule.kind in (fault_kinds.HTTP_500, fault_kinds.SOAP_FAULT):
            return error_reply(api_facts.REST_ERROR_SERVER)
        if rule.kind == fault_kinds.HTTP_503:
            return error_reply(api_facts.REST_ERROR_UNAVAILABLE)
        if rule.kind == fault_kinds.DROP:
            return Reply(0, drop=True)
        if rule.kind in (fault_kinds.MALFORMED, fault_kinds.ENTITY_EXPANSION):
            return Reply(200, b'{"data": [ this is not JSON', JSON)
        if rule.kind == fault_kinds.TIMEOUT:
            self._stopping.wait(rule.seconds)
        return None

    def _retry_after_header(self, code):
        if code in (api_facts.REST_ERROR_TOO_MANY_CALLS, api_facts.REST_ERROR_QUOTA_EXCEEDED) and (
                self.knobs.retry_after is not None):
            return {'Retry-After': str(self.knobs.retry_after)}
        return None

    def _answer(self, operation_id, values, params, headers, body, base_url):
        if headers.get(api_facts.SUBSCRIPTION_KEY_HEADER) not in self.knobs.subscription_keys:
            return Reply(401, json.dumps(api_facts.GATEWAY_KEY_REFUSED).encode(), JSON)
        refused = self.knobs.throttle()
        if refused:
            code = {'rate': api_facts.REST_ERROR_TOO_MANY_CALLS, 'quota': api_facts.REST_ERROR_QUOTA_EXCEEDED}[refused]
            return error_reply(code, headers=self._retry_after_header(code))
        authorization = headers.get('Authorization') or ''
        if not authorization.startswith('Bearer ') or not authorization[7:].strip():
            return error_reply(api_facts.REST_ERROR_MISSING_TOKEN)
        consent = self.identity.consent_of(authorization[7:].strip())
        if consent is None:
            return error_reply(api_facts.REST_ERROR_INVALID_TOKEN)
        if self.knobs.subscription_disabled:
            return error_reply(api_facts.REST_ERROR_NO_SUBSCRIPTION)
        if not set(api_facts.REST_OPERATIONS[operation_id].scopes) & consent.scopes:
            return error_reply(api_facts.REST_ERROR_MISSING_SCOPE)
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            return error_reply(api_facts.REST_ERROR_VALIDATION, [('body', 'Not JSON.')])
        request = Request(self, operation_id, consent, values, params, payload)
        try:
            with self.dataset.lock:
                return HANDLERS[operation_id](request, base_url)
        except RestError as error:
            return error_reply(error.code, error.invalid_params)

    # ------------------------------------------------------------ documents

    def new_task(self, consent, render):
        """A task whose file ``render()`` makes when it is polled ready; the answer {"taskId"}."""
        task_id = str(uuid.uuid4())
        with self._tasks_lock:
            self._tasks[task_id] = [consent.id, 0, render]
        return json_reply({'taskId': task_id})

    def poll(self, consent, task_id):
        with self._tasks_lock:
            task = self._tasks.get(task_id)
            if task is None or task[0] != consent.id:
                raise RestError(api_facts.REST_ERROR_NOT_FOUND)
            task[1] += 1
            ready = task[1] > self.knobs.document_polls
        if not ready:
            return json_reply(api_facts.DOCUMENT_PROCESSING, status=202)
        content = task[2]()
        return Reply(200, content if isinstance(content, bytes) else content.encode('utf-8'), OCTET_STREAM)


def json_reply(value, status=200):
    return Reply(status, json.dumps(value).encode(), JSON)


def page_reply(request, items, base_url, shape):
    """One page of a list in Nmbrs's envelope, links included."""
    size = request.integer('pageSize', 20, 1, api_facts.REST_PAGE_SIZE)
    number = request.integer('pageNumber', 1, 1)
    total_pages = max(1, -(-len(items) // size))
    route = base_url + '/rest' + api_facts.REST_OPERATIONS[request.operation_id].path.format(**request.path)

    def link(page):
        return '%s?%s' % (route, urlencode({**request.query, 'pageNumber': page, 'pageSize': size}))
    return json_reply({
        'pagination': {'pageNumber': number, 'pageSize': size, 'firstPage': link(1), 'lastPage': link(total_pages),
                       'totalPages': total_pages, 'totalRecords': len(items),
                       'nextPage': link(number + 1) if number < total_pages else None,
                       'previousPage': link(number - 1) if number > 1 else None},
        'data': [shape(item) for item in items[(number - 1) * size:number * size]],
    })

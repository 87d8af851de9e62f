"""What each REST operation of the sandbox answers; registered in rest_api.HANDLERS by operationId.

A handler gets the checked ``Request`` (consent, path and query values, body)
and the sandbox's base URL (for the page links), with ``dataset.lock`` held.
"""
from .. import api_facts
from . import documents, rest_shapes as shapes
from .dataset import Address
from .guids import guid
from .rest_api import RestError, _handler, json_reply, page_reply


def _consent_debtors(request):
    return [request.dataset.debtors[debtor_id] for debtor_id in request.consent.debtor_ids]


@_handler('getUserInfo')
def user_info(request, base_url):
    consent = request.consent
    return page_reply(request, [consent], base_url, lambda consent: {
        'name': consent.user_name, 'email': 'toestemming@%s.example' % request.dataset.subdomain, 'language': 'NL',
        'debtorId': guid('debtor', consent.debtor_ids[0]), 'userId': guid('debtor', 0)})


@_handler('getDebtors')
def debtors(request, base_url):
    return page_reply(request, _consent_debtors(request), base_url, shapes.debtor)


@_handler('getCompanies')
def companies(request, base_url):
    if len(request.consent.debtor_ids) > 1:
        raise RestError(api_facts.REST_ERROR_SEVERAL_DEBTORS)
    return page_reply(request, request.dataset.visible_companies(_user(request)), base_url, shapes.company)


def _user(request):
    """The consent as a SOAP-side user, for the dataset's visibility rules."""
    return type('ConsentUser', (), {'debtor_ids': set(request.consent.debtor_ids)})()


@_handler('getCompaniesByDebtor')
def companies_by_debtor(request, base_url):
    debtor = request.debtor()
    return page_reply(request, request.dataset.visible_companies(_user(request), debtor.id), base_url,
                      shapes.company)


@_handler('getCurrentPeriod')
def current_period(request, base_url):
    company = request.company()
    return page_reply(request, [request.dataset.current_period(company.id)], base_url,
                      lambda period: shapes.current_period(*period))


@_handler('getCompanyAddresses')
def company_addresses(request, base_url):
    company = request.company()
    year, period = request.dataset.current_period(company.id)
    return page_reply(request, [company], base_url, lambda company: shapes.company_address(company, year, period))


@_handler('getCompanyPayrollRuns')
def payroll_runs(request, base_url):
    company = request.company()
    return page_reply(request, request.dataset.company_runs(company.id, request.year()), base_url, shapes.run)


@_handler('getEmployeesInPayrollRun')
def run_employees(request, base_url):
    company = request.company()
    year = request.year()
    run = request.run(company)
    if run.year != year:
        raise RestError(api_facts.REST_ERROR_NOT_FOUND)
    return page_reply(request, [request.dataset.employees[employee_id] for employee_id in run.pay], base_url,
                      shapes.run_employee)


@_handler('getCompanyWageTaxes')
def wage_taxes(request, base_url):
    company = request.company()
    return page_reply(request, request.dataset.company_declarations(company.id, request.year()), base_url,
                      shapes.wage_tax)


@_handler('getCompanyWorkCosts')
def work_costs(request, base_url):
    company = request.company()
    year = request.year()
    runs = request.dataset.company_runs(company.id, year)
    periods = sorted({run.period_end for run in runs})
    return page_reply(request, periods, base_url, lambda period: shapes.work_cost(
        year, period, [run for run in runs if run.period_end == period]))


@_handler('getEmployeesByCompany')
def employees(request, base_url):
    company = request.company()
    wanted = set(filter(None, (request.query.get('employeeType') or '').split(',')))
    return page_reply(request, [employee for employee in request.dataset.company_employees(company.id)
                                if not wanted or shapes.EMPLOYEE_TYPES.get(employee.employee_type) in wanted],
                      base_url, shapes.employee_list_item)


@_handler('getEmployee')
def employee(request, base_url):
    record = request.employee()
    year, period = request.dataset.current_period(record.company_id)
    return page_reply(request, [record], base_url, lambda record: {
        'employeeId': guid('employee', record.id), 'personalInfo': shapes.personal_info(record, year, period)})


def _datetime_field(section, key, name):
    text = section.get(key)
    try:
        return shapes.parse_datetime(text) if text else None
    except (TypeError, ValueError):
        raise RestError(api_facts.REST_ERROR_VALIDATION, [(name, 'Not a date-time.')]) from None


@_handler('UpdateEmployeePersonalInfo')
def update_personal_info(request, base_url):
    record = request.employee()
    body = request.body if isinstance(request.body, dict) else {}
    basic = body.get('basicInfo') or {}
    if not basic.get('lastName'):
        raise RestError(api_facts.REST_ERROR_VALIDATION, [('basicInfo.lastName', 'The last name is required.')])
    birth, contact = body.get('birthInfo') or {}, body.get('contactInfo') or {}
    partner = body.get('partnerInfo') or {}
    genders = {value: key for key, value in shapes.GENDERS.items()}
    statuses = {value: key for key, value in shapes.MARITAL_STATUSES.items()}
    changes = {
        'first_name': basic.get('firstName'), 'prefix': basic.get('prefix'), 'initials': basic.get('initials'),
        'last_name': basic['lastName'], 'birthday': _datetime_field(birth, 'birthDate', 'birthInfo.birthDate'),
        'deceased_date': _datetime_field(birth, 'deceasedOn', 'birthInfo.deceasedOn'),
        'gender': genders.get(birth.get('gender')), 'country_of_birth_iso_code': birth.get('birthCountryCodeISO'),
        'email_private': contact.get('privateEmail'), 'email_work': contact.get('businessEmail'),
        'telephone_work': contact.get('businessPhone'), 'telephone_mobile_work': contact.get('businessMobilePhone'),
        'telephone_private': contact.get('privatePhone'),
        'telephone_mobile_private': contact.get('privateMobilePhone'), 'telephone_other': contact.get('otherPhone'),
        'partner_prefix': partner.get('partnerPrefix'), 'partner_last_name': partner.get('partnerName'),
        'burgerlijke_staat': statuses.get(partner.get('maritalStatus')),
    }
    if basic.get('employeeNumber') is not None:
        changes['employee_number'] = basic['employeeNumber']
    for attribute, value in changes.items():
        setattr(record, attribute, value)
    request.dataset.record_update('rest', 'UpdateEmployeePersonalInfo', record.id, body)
    return json_reply({'personalInfoId': guid('employee', record.id)})


@_handler('createEmployeeAddress')
def create_address(request, base_url):
    record = request.employee()
    body = request.body if isinstance(request.body, dict) else {}
    missing = [(name, 'The field is required.') for name in ('type', 'street', 'city', 'countryISOCode')
               if not body.get(name)]
    if missing:
        raise RestError(api_facts.REST_ERROR_VALIDATION, missing)
    address = Address(id=request.dataset.next_id('address'), street=body['street'],
                      house_number=body.get('houseNumber'), postal_code=body.get('postalCode'), city=body['city'],
                      state_province=body.get('stateProvince'), house_number_addition=body.get('houseNumberAddition'),
                      country_iso_code=body['countryISOCode'], default=bool(body.get('isDefault')),
                      type=body['type'][:1].upper() + body['type'][1:])
    record.addresses.append(address)
    request.dataset.record_update('rest', 'createEmployeeAddress', record.id, body)
    return json_reply({'addressId': guid('address', address.id)}, status=201)


# ---------------------------------------------------------------- documents

def _task(request, render):
    """The answer to a document that exists: a task whose file ``render`` makes once it is ready."""
    return request.app.new_task(request.consent, render)


@_handler('getWageTaxXML')
def wage_tax_xml(request, base_url):
    declaration = request.declaration(request.company())
    return _task(request, lambda: documents.wage_tax_xml(request.dataset, declaration))


@_handler('getWageTaxSEPA')
def wage_tax_sepa(request, base_url):
    company = request.company()
    declaration = request.declaration(company)
    payment_date = request.payment_date()
    runs = [run for run in request.dataset.company_runs(company.id, request.year())
            if run.period_start <= declaration.period <= run.period_end]
    if not runs:
        raise RestError(api_facts.REST_ERROR_NOT_FOUND)
    return _task(request, lambda: documents.sepa_tax_xml(request.dataset, runs[-1], declaration, payment_date))


@_handler('getPayrollRunSEPA')
def run_sepa(request, base_url):
    company = request.company()
    run = request.run(company)
    payment_date = request.payment_date()
    if not run.pay:
        raise RestError(api_facts.REST_ERROR_NOT_FOUND)
    return _task(request, lambda: documents.sepa_xml(request.dataset, run, payment_date))


@_handler('getPayrollRunJournals')
def run_journals(request, base_url):
    run = request.run(request.company())
    return _task(request, lambda: documents.journal_xml(request.dataset, run))


@_handler('getEmployeePayslipPerPeriod')
def payslip_per_period(request, base_url):
    """The payslip of the period's latest run that paid the employee (which run wins is UNVERIFIED)."""
    record = request.employee()
    year = request.year()
    period = request.integer('period', None, 1, 53)
    runs = [run for run in request.dataset.employee_runs(record.id, year)
            if period is not None and run.period_start <= period <= run.period_end]
    pdfs = [pdf for pdf in documents.employee_payslips(request.dataset, runs[-1], record) if pdf] if runs else []
    if not pdfs:
        raise RestError(api_facts.REST_ERROR_NOT_FOUND)
    return _task(request, lambda: pdfs[0])


@_handler('getEmployeeAnnualStatement')
def annual_statement(request, base_url):
    record = request.employee()
    pdf = documents.annual_statement_pdf(request.dataset, record, request.year())
    if pdf is None:
        raise RestError(api_facts.REST_ERROR_NOT_FOUND)
    return _task(request, lambda: pdf)


@_handler('GetDocumentContentId')
def document_content(request, base_url):
    return request.app.poll(request.consent, request.path['taskId'])


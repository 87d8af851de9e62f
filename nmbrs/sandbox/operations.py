"""What each served operation answers, given the authenticated user and its parameters.

A handler gets the dataset, the user and the request parameters under the client's
names from ``api_facts.OPERATION_PARAMETERS`` (company_id, year, ...), already typed.
It returns the Result for ``envelope.response_envelope``: a list of (element, value)
pairs, a scalar, or None to leave the Result out (void operations, no document).
"""
import datetime

from .. import api_facts
from . import documents, shapes
from .envelope import UnreadableRequest

HANDLERS = {}


def _operation(service, name):
    def register(handler):
        HANDLERS[(service, name)] = handler
        return handler
    return register


def typed_parameters(service, operation, values):
    """Read the request body's values (by wire name) into the handler's keyword arguments.

    Like .NET's XmlSerializer, a missing number is 0 and a malformed one makes the
    request unreadable.
    """
    arguments = {}
    for name, wire_name in api_facts.OPERATION_PARAMETERS[(service, operation)]:
        value = values.get(wire_name)
        if name.endswith('_id') or name in ('year', 'employee_type'):
            try:
                value = int(value or 0)
            except (TypeError, ValueError):
                raise UnreadableRequest(api_facts.UNREADABLE_REQUEST_FAULT % (1, 1)) from None
        elif name.endswith('_date'):
            value = shapes.from_wire((shapes.Field(wire_name, name, datetime.datetime),), values).get(name)
        elif not isinstance(value, dict):
            value = {}
        arguments[name] = value
    return arguments


def _items(element, records, fields):
    return [(element, shapes.to_wire(record, fields)) for record in records]


def _pdf_result(pdf):
    return None if pdf is None else [('PDF', pdf)]


# --- DebtorService -----------------------------------------------------------------

@_operation(api_facts.DEBTOR_SERVICE, 'Environment_Get')
def environment_get(dataset, user):
    return [('Domain', dataset.domain_host), ('SubDomain', user.domain)]


@_operation(api_facts.DEBTOR_SERVICE, 'List_GetAll')
def debtor_list_get_all(dataset, user):
    return _items('Debtor', dataset.visible_debtors(user), shapes.DEBTOR)


@_operation(api_facts.DEBTOR_SERVICE, 'Debtor_Get')
def debtor_get(dataset, user, debtor_id):
    return shapes.to_wire(dataset.debtor_for(user, debtor_id), shapes.DEBTOR)


@_operation(api_facts.DEBTOR_SERVICE, 'Debtor_Update')
def debtor_update(dataset, user, debtor):
    target = dataset.debtor_for(user, int(debtor.get('Id') or 0))
    # The whole object is sent: fields left out are emptied (research notes, 2.1).
    target.number = debtor.get('Number') or ''
    target.name = debtor.get('Name') or ''
    dataset.record_update(api_facts.DEBTOR_SERVICE, 'Debtor_Update', target.id, debtor)


# --- CompanyService ------------------------------------------------------------------

@_operation(api_facts.COMPANY_SERVICE, 'List_GetAll')
def company_list_get_all(dataset, user):
    return _items('Company', dataset.visible_companies(user), shapes.COMPANY)


@_operation(api_facts.COMPANY_SERVICE, 'List_GetByDebtor')
def list_get_by_debtor(dataset, user, debtor_id):
    dataset.debtor_for(user, debtor_id)
    return _items('Company', dataset.visible_companies(user, debtor_id), shapes.COMPANY)


@_operation(api_facts.COMPANY_SERVICE, 'Company_GetCurrentPeriod')
def company_get_current_period(dataset, user, company_id):
    company = dataset.company_for(user, company_id)
    return '%d-%d-M' % dataset.current_period(company.id)


@_operation(api_facts.COMPANY_SERVICE, 'Run_GetList')
def run_get_list(dataset, user, company_id, year):
    company = dataset.company_for(user, company_id)
    return _items('RunInfo', dataset.company_runs(company.id, year), shapes.RUN_INFO)


@_operation(api_facts.COMPANY_SERVICE, 'Run_GetEmployeesByRunCompany')
def run_get_employees_by_run_company(dataset, user, company_id, run_id, year):
    run = dataset.run_of(dataset.company_for(user, company_id).id, run_id, year)
    employees = [dataset.employees[employee_id] for employee_id in (run.pay if run else ())]
    return [('EmployeeIdNumber', [('EmployeeId', employee.id), ('EmployeeNumber', employee.number)])
            for employee in employees]


@_operation(api_facts.COMPANY_SERVICE, 'WageTax_GetList')
def wage_tax_get_list(dataset, user, company_id, year):
    company = dataset.company_for(user, company_id)
    return _items('WageTax', dataset.company_declarations(company.id, year), shapes.WAGE_TAX)


@_operation(api_facts.COMPANY_SERVICE, 'WageTax_GetXML')
def wage_tax_get_xml(dataset, user, wage_tax_id, company_id):
    company = dataset.company_for(user, company_id)
    declaration = dataset.declarations.get(wage_tax_id)
    if declaration is None or declaration.company_id != company.id:
        return None
    return documents.wage_tax_xml(dataset, declaration)


@_operation(api_facts.COMPANY_SERVICE, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2')
def salary_documents_get_employee_payslips_pdf_by_run_company_v2(dataset, user, employee_id, company_id, run_id, year):
    company = dataset.company_for(user, company_id)
    employee = dataset.employee_for(user, employee_id, company.id)
    run = dataset.run_of(company.id, run_id, year)
    pdfs = documents.employee_payslips(dataset, run, employee) if run else []
    return [('Payslip', [('PDF', pdf)]) for pdf in pdfs]


@_operation(api_facts.COMPANY_SERVICE, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2')
def salary_documents_get_all_payslips_pdf_by_run_company_v2(dataset, user, company_id, run_id, year):
    run = dataset.run_of(dataset.company_for(user, company_id).id, run_id, year)
    return _pdf_result(documents.all_payslips_pdf(dataset, run) if run else None)


@_operation(api_facts.COMPANY_SERVICE, 'SalaryDocuments_GetSEPA')
def salary_documents_get_sepa(dataset, user, company_id, run_id, year, payment_date):
    run = dataset.run_of(dataset.company_for(user, company_id).id, run_id, year)
    return documents.sepa_xml(dataset, run, payment_date) if run else None


@_operation(api_facts.COMPANY_SERVICE, 'SalaryDocuments_GetSEPA_Tax')
def salary_documents_get_sepa_tax(dataset, user, company_id, run_id, year, wage_tax_id, payment_date):
    company = dataset.company_for(user, company_id)
    run = dataset.run_of(company.id, run_id, year)
    declaration = dataset.declarations.get(wage_tax_id)
    if run is None or declaration is None or declaration.company_id != company.id:
        return None
    return documents.sepa_tax_xml(dataset, run, declaration, payment_date)


@_operation(api_facts.COMPANY_SERVICE, 'Journals_GetByRunCompany_v2')
def journals_get_by_run_company_v2(dataset, user, company_id, run_id, year):
    run = dataset.run_of(dataset.company_for(user, company_id).id, run_id, year)
    return documents.journal_xml(dataset, run) if run else None


def _annual_document_handler(kind):
    def annual_document(dataset, user, company_id, run_id, year):
        """The year's document once it is closed; ``RunId`` must name one of its runs (meaning undocumented)."""
        company = dataset.company_for(user, company_id)
        if dataset.run_of(company.id, run_id, year) is None or not dataset.year_closed(company.id, year):
            return None
        return _pdf_result(documents.annual_document_pdf(dataset, company, year, kind))
    return annual_document


for _kind in api_facts.ANNUAL_DOCUMENT_KINDS:
    _operation(api_facts.COMPANY_SERVICE, api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + _kind)(
        _annual_document_handler(_kind))


@_operation(api_facts.COMPANY_SERVICE, 'Address_GetCurrent')
def company_address_get_current(dataset, user, company_id):
    return shapes.to_wire(dataset.company_for(user, company_id).address, shapes.ADDRESS)


@_operation(api_facts.COMPANY_SERVICE, 'Address_Update')
def company_address_update(dataset, user, company_id, address):
    company = dataset.company_for(user, company_id)
    changes = shapes.from_wire(shapes.ADDRESS, address)
    # Nmbrs replaces the address (delete plus insert), so its id changes.
    company.address = dataset.new_address(**{
        **{key: value for key, value in vars(company.address).items() if key != 'id'}, **changes})
    dataset.record_update(api_facts.COMPANY_SERVICE, 'Address_Update', company.id, address)


# --- EmployeeService -------------------------------------------------------------------

@_operation(api_facts.EMPLOYEE_SERVICE, 'EmployeeType_GetList')
def employee_type_get_list(dataset, user):
    return [('EmployeeType', [('Id', type_id), ('Description', description)])
            for type_id, description in dataset.employee_types]


@_operation(api_facts.EMPLOYEE_SERVICE, 'List_GetByCompany')
def list_get_by_company(dataset, user, company_id, employee_type):
    company = dataset.company_for(user, company_id)
    return _items('Employee', dataset.company_employees(company.id, employee_type), shapes.EMPLOYEE)


@_operation(api_facts.EMPLOYEE_SERVICE, 'PersonalInfo_GetCurrent')
def personal_info_get_current(dataset, user, employee_id):
    return shapes.to_wire(dataset.employee_for(user, employee_id), shapes.PERSONAL_INFO)


@_operation(api_facts.EMPLOYEE_SERVICE, 'PersonalInfo_UpdateCurrent')
def personal_info_update_current(dataset, user, employee_id, info):
    employee = dataset.employee_for(user, employee_id)
    for attribute, value in shapes.from_wire(shapes.PERSONAL_INFO, info).items():
        setattr(employee, attribute, value)
    dataset.record_update(api_facts.EMPLOYEE_SERVICE, 'PersonalInfo_UpdateCurrent', employee.id, info)


@_operation(api_facts.EMPLOYEE_SERVICE, 'Address_GetListCurrent')
def address_get_list_current(dataset, user, employee_id):
    return _items('EmployeeAddress', dataset.employee_for(user, employee_id).addresses, shapes.EMPLOYEE_ADDRESS)


@_operation(api_facts.EMPLOYEE_SERVICE, 'Address_Update')
def employee_address_update(dataset, user, employee_id, address):
    """Changes the address with the sent Id; false when the employee has none with that Id."""
    employee = dataset.employee_for(user, employee_id)
    target = next((existing for existing in employee.addresses
                   if str(existing.id) == (address.get('Id') or '').strip()), None)
    if target is None:
        return False
    for attribute, value in shapes.from_wire(shapes.EMPLOYEE_ADDRESS, address).items():
        setattr(target, attribute, value)
    dataset.record_update(api_facts.EMPLOYEE_SERVICE, 'Address_Update', employee.id, address)
    return True


@_operation(api_facts.EMPLOYEE_SERVICE, 'SalaryDocuments_GetAnnualStatementPDF')
def salary_documents_get_annual_statement_pdf(dataset, user, employee_id, year):
    employee = dataset.employee_for(user, employee_id)
    return _pdf_result(documents.annual_statement_pdf(dataset, employee, year))


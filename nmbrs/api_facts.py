"""Facts about the Nmbrs SOAP v3 API, kept in one place.

Everything here comes from public sources (see the research notes shipped with
the project). Items marked UNVERIFIED are guesses: when Nmbrs proves them wrong,
this is the only file to change. Both the client and the sandbox read them.
"""

PRODUCTION_URL = 'https://api.nmbrs.nl/soap/v3/'
SANDBOX_URL = 'https://api-sandbox.nmbrs.nl/soap/v3/'

# The XML namespace always names the production host, also on the sandbox.
NAMESPACE_BASE = 'https://api.nmbrs.nl/soap/v3/'

DEBTOR_SERVICE = 'DebtorService'
COMPANY_SERVICE = 'CompanyService'
EMPLOYEE_SERVICE = 'EmployeeService'
SERVICES = (DEBTOR_SERVICE, COMPANY_SERVICE, EMPLOYEE_SERVICE)

SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope'
XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
XSD_NS = 'http://www.w3.org/2001/XMLSchema'
SOAP11_CONTENT_TYPE = 'text/xml; charset=utf-8'
SOAP12_CONTENT_TYPE = 'application/soap+xml; charset=utf-8'

AUTH_HEADER = 'AuthHeaderWithDomain'
# Environment_Get is documented with the v2.1 header (no Domain). UNVERIFIED
# whether it also accepts AuthHeaderWithDomain; the sandbox accepts both.
AUTH_HEADER_WITHOUT_DOMAIN = 'AuthHeader'

# Fault texts look like "Server was unable to process request. ---> 1001: Invalid Authentication".
# The prefix is UNVERIFIED; only the "---> NNNN:" part is confirmed.
FAULT_PREFIX = 'Server was unable to process request. ---> '
FAULT_CODE_PATTERN = r'--->\s*(\d{4,5})\s*:\s*(.*)'

# ASMX's own faults (soap:Client in 1.1, soap:Sender in 1.2), texts inferred from .NET.
INVALID_ACTION_FAULT = ('Unable to handle request without a valid action parameter. '
                        'Please supply a valid soap action.')
UNREADABLE_REQUEST_FAULT = 'Server was unable to read request. ---> There is an error in XML document (%d, %d).'

ERROR_INVALID_AUTHENTICATION = 1001
ERROR_UNAUTHORIZED_OPERATION = 1002
ERROR_UNAUTHORIZED_DATA = 1003
ERROR_NO_SUBSCRIPTION = 1004
ERROR_UNAUTHORIZED_EMPLOYEE = 2003
ERROR_UNAUTHORIZED_COMPANY = 2004
ERROR_UNAUTHORIZED_DEBTOR = 2009
ERROR_UNKNOWN = 9999

FAULT_TEXTS = {
    ERROR_INVALID_AUTHENTICATION: 'Invalid Authentication',
    ERROR_UNAUTHORIZED_OPERATION: 'Unauthorized access',
    ERROR_UNAUTHORIZED_DATA: 'Unauthorized access',
    ERROR_NO_SUBSCRIPTION: 'Disabled, no valid subscription',
    ERROR_UNAUTHORIZED_EMPLOYEE: 'Unauthorized access',
    ERROR_UNAUTHORIZED_COMPANY: 'Unauthorized access',
    ERROR_UNAUTHORIZED_DEBTOR: 'Unauthorized access',
    ERROR_UNKNOWN: 'Unkown',  # sic: Nmbrs's own spelling
}

# "Not set" for non-nullable dateTime values. UNVERIFIED (inferred from .NET).
UNSET_DATETIME = '0001-01-01T00:00:00'

# Nmbrs allows about 150 calls per second per environment, then delays callers.
MAX_CALLS_PER_SECOND = 150

# The 15 company annual documents: operation suffix after
# "SalaryDocuments_AnnualDocument_". The misspellings are Nmbrs's own.
ANNUAL_DOCUMENT_KINDS = (
    'AnualStatement',
    'CompanyWageComponentsCumulative',
    'JournalEntriesCompanyrCumulative',
    'JournalEntriesCostCenterCumulative',
    'JournalEntriesDepartmentCumulative',
    'JournalEntriesEmployeeCumulative',
    'LeaveSaldos',
    'PaymentListCumulative',
    'PayrollRegister',
    'PayrollRegisterAllEmployees',
    'PayrollRegisterSummaryCumulative',
    'ReservationSaldos',
    'SentWageTaxDeclarations',
    'WageTaxDeclarationOverviewByPeriod',
    'WageTaxDeclarationOverviewCumulative',
)
ANNUAL_DOCUMENT_OPERATION_PREFIX = 'SalaryDocuments_AnnualDocument_'

# Wage tax declaration Status is free text; real values are UNVERIFIED.
# The sandbox uses these placeholders; the addon never relies on them.
SANDBOX_WAGE_TAX_STATUSES = ('Created', 'Sent', 'SentExternal')

# Employee type ids come from EmployeeType_GetList; whether one id means "all"
# is UNVERIFIED, so callers list every type.

# Period string of Company_GetCurrentPeriod: "yyyy-p-type"; the 4-weekly type is
# written "4W" or "W4" depending on the source (UNVERIFIED), accept both.
PERIOD_TYPES = {'M': 12, '4W': 13, 'W4': 13, 'W1': 53}


def namespace(service):
    return NAMESPACE_BASE + service


def soap_action(service, operation):
    return '"%s/%s"' % (namespace(service), operation)


def endpoint(base_url, service):
    return base_url.rstrip('/') + '/' + service + '.asmx'


def operation_right(service, operation):
    """Name of the right in the Nmbrs API user template that allows a call."""
    return '%s.%s' % (service, operation)


# Request parameters of every operation the client calls, in WSDL order, as
# (name used by the client, wire name). The wire names are case-sensitive and
# differ between operations (RunID/RunId, intYear/Year, EmployeeID/EmployeeId).
# A correction of a name or of the order is one edit here.
_COMPANY_RUN_YEAR = (('company_id', 'CompanyId'), ('run_id', 'RunId'), ('year', 'Year'))
OPERATION_PARAMETERS = {
    (DEBTOR_SERVICE, 'Environment_Get'): (),
    (DEBTOR_SERVICE, 'List_GetAll'): (),
    (DEBTOR_SERVICE, 'Debtor_Get'): (('debtor_id', 'DebtorId'),),
    (DEBTOR_SERVICE, 'Debtor_Update'): (('debtor', 'Debtor'),),
    (COMPANY_SERVICE, 'List_GetAll'): (),
    (COMPANY_SERVICE, 'List_GetByDebtor'): (('debtor_id', 'DebtorId'),),
    (COMPANY_SERVICE, 'Company_GetCurrentPeriod'): (('company_id', 'CompanyId'),),
    (COMPANY_SERVICE, 'Run_GetList'): (('company_id', 'CompanyId'), ('year', 'Year')),
    (COMPANY_SERVICE, 'Run_GetEmployeesByRunCompany'): _COMPANY_RUN_YEAR,
    (COMPANY_SERVICE, 'WageTax_GetList'): (('company_id', 'CompanyId'), ('year', 'intYear')),
    (COMPANY_SERVICE, 'WageTax_GetXML'): (('wage_tax_id', 'LoonaangifteID'), ('company_id', 'CompanyId')),
    (COMPANY_SERVICE, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'): (
        ('employee_id', 'EmployeeID'), ('company_id', 'CompanyId'), ('run_id', 'RunID'), ('year', 'intYear')),
    (COMPANY_SERVICE, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2'): (
        ('company_id', 'CompanyId'), ('run_id', 'RunID'), ('year', 'intYear')),
    (COMPANY_SERVICE, 'SalaryDocuments_GetSEPA'): (
        ('company_id', 'CompanyId'), ('run_id', 'RunID'), ('year', 'Year'), ('payment_date', 'paymentDate')),
    (COMPANY_SERVICE, 'SalaryDocuments_GetSEPA_Tax'): (
        ('company_id', 'CompanyId'), ('run_id', 'RunID'), ('year', 'Year'), ('wage_tax_id', 'WageTaxID'),
        ('payment_date', 'paymentDate')),
    (COMPANY_SERVICE, 'Journals_GetByRunCompany_v2'): (
        ('company_id', 'CompanyId'), ('run_id', 'RunId'), ('year', 'intYear')),
    (COMPANY_SERVICE, 'Address_GetCurrent'): (('company_id', 'CompanyId'),),
    (COMPANY_SERVICE, 'Address_Update'): (('company_id', 'CompanyId'), ('address', 'Address')),
    (EMPLOYEE_SERVICE, 'EmployeeType_GetList'): (),
    (EMPLOYEE_SERVICE, 'List_GetByCompany'): (('company_id', 'CompanyId'), ('employee_type', 'EmployeeType')),
    (EMPLOYEE_SERVICE, 'PersonalInfo_GetCurrent'): (('employee_id', 'EmployeeId'),),
    (EMPLOYEE_SERVICE, 'PersonalInfo_UpdateCurrent'): (
        ('employee_id', 'EmployeeId'), ('info', 'PersonalInfo')),
    (EMPLOYEE_SERVICE, 'Address_GetListCurrent'): (('employee_id', 'EmployeeId'),),
    (EMPLOYEE_SERVICE, 'Address_Update'): (('employee_id', 'EmployeeId'), ('address', 'Address')),
    (EMPLOYEE_SERVICE, 'SalaryDocuments_GetAnnualStatementPDF'): (
        ('employee_id', 'EmployeeID'), ('year', 'intYear')),
}
OPERATION_PARAMETERS.update(
    ((COMPANY_SERVICE, ANNUAL_DOCUMENT_OPERATION_PREFIX + kind), _COMPANY_RUN_YEAR)
    for kind in ANNUAL_DOCUMENT_KINDS
)

# Operations that change data in Nmbrs: sent once, never retried.
WRITE_OPERATIONS = frozenset({
    (DEBTOR_SERVICE, 'Debtor_Update'),
    (COMPANY_SERVICE, 'Address_Update'),
    (EMPLOYEE_SERVICE, 'PersonalInfo_UpdateCurrent'),
    (EMPLOYEE_SERVICE, 'Address_Update'),
})

# Operations that take AUTH_HEADER_WITHOUT_DOMAIN instead of AUTH_HEADER.
OPERATIONS_WITHOUT_DOMAIN = frozenset({(DEBTOR_SERVICE, 'Environment_Get')})


def auth_header(service, operation):
    """Name of the SOAP header element that carries the credentials for a call."""
    if (service, operation) in OPERATIONS_WITHOUT_DOMAIN:
        return AUTH_HEADER_WITHOUT_DOMAIN
    return AUTH_HEADER

# Date-times without a zone are Dutch local time: Nmbrs is a Dutch service
# whose .NET stack writes local times without an offset. UNVERIFIED for every
# field, so one place decides.
NMBRS_TIMEZONE = 'Europe/Amsterdam'

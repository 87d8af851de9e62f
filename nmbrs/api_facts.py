"""Facts about the Nmbrs SOAP v3 API, kept in one place.

Everything here comes from public sources (see the research notes shipped with
the project). Items marked UNVERIFIED are guesses: when Nmbrs proves them wrong,
this is the only file to change. Both the client and the sandbox read them.
"""
from datetime import date

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
# What a status text means, for the spellings seen in samples and docs, so the
# screens can say it in words; any other text is shown as Nmbrs wrote it.
# WageTax_SetSentExternal "sets the status to Sent as External": whether Nmbrs
# then writes 'SentExternal' or 'Sent as External' is UNVERIFIED, both are known.
WAGE_TAX_STATUS_MEANINGS = {
    'Created': 'created',
    'Sent': 'sent',
    'SentExternal': 'sent_external',
    'Sent as External': 'sent_external',
}

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


# ============================================================================ REST
# Facts about the Nmbrs REST API (the successor of SOAP, which Nmbrs stops on
# 1 March 2027). The contract is Nmbrs's own OpenAPI description, shipped in the
# PyPI package nmbrs-rest-api (nmbrs_rest/_spec/nmbrs-openapi.yaml); the tests
# hold the sandbox to it. What the description leaves open is marked UNVERIFIED.

# Nmbrs stops its SOAP API on this day (its SSO help article); the company annual
# documents (SalaryDocuments_AnnualDocument_*) have no REST counterpart and end with it.
SOAP_END_DATE = date(2027, 3, 1)

REST_API_URL = 'https://api.nmbrsapp.com'
IDENTITY_URL = 'https://identityservice.nmbrs.com'
# Paths below the identity service's base address.
AUTHORIZE_PATH = '/connect/authorize'
TOKEN_PATH = '/connect/token'
REVOCATION_PATH = '/connect/revocation'
DISCOVERY_PATH = '/.well-known/openid-configuration'
SUBSCRIPTION_KEY_HEADER = 'X-Subscription-Key'

# What the addon asks consent for. offline_access brings the refresh token;
# employee.info (not .read) because the outgoing sync updates employees.
REST_SCOPES = (
    'offline_access', 'user.info.read', 'company.info.read', 'company.payrollsettings.read',
    'employee.info', 'company.document.read', 'employee.document.read', 'document.read',
)
# Lifetimes (seconds). Codes: 5 minutes, single use. Access tokens: about an
# hour (the client reads expires_in). Refresh tokens: 30 days, single use, a new
# one with every refresh; whether the 30 days slide is UNVERIFIED.
AUTHORIZATION_CODE_SECONDS = 300
ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
# UNVERIFIED: each refresh starts a new 30 days (OAuth servers such as
# IdentityServer slide by default). Odoo refreshes daily, and warns a week
# before the date this gives, so a wrong guess shows as a warning, not a lapse.
REFRESH_TOKEN_LIFETIME_SLIDES = True
# Refresh this long before the access token expires, so a call never carries a dying token.
ACCESS_TOKEN_LEEWAY_SECONDS = 60

# Lists come in an envelope {pagination: {...}, data: [...]}; pageSize defaults
# to 20 and is at most 100. Even single records (the current period, the user)
# come as a one-item list.
REST_PAGE_SIZE = 100

# Requests per second the client allows itself. Nmbrs publishes no REST limit
# (it is per plan, UNVERIFIED); the client honours 429 and Retry-After on top.
REST_MAX_CALLS_PER_SECOND = MAX_CALLS_PER_SECOND


class RestOperation:
    """One REST operation the addon uses, named by its operationId in Nmbrs's OpenAPI description.

    ``scopes``: any one of them allows the call (the description lists the
    read and the read-write scope together; it means either). ``document``:
    the answer is {"taskId"}, the file is fetched from GET /api/documents/{taskId}.
    """

    def __init__(self, method, path, scopes, document=False):
        self.method = method
        self.path = path
        self.scopes = scopes
        self.document = document

    @property
    def write(self):
        return self.method != 'GET'


REST_OPERATIONS = {
    'getUserInfo': RestOperation('GET', '/api/user/info', ('user.info.read',)),
    'getDebtors': RestOperation('GET', '/api/debtors', ('company.info', 'company.info.read')),
    'getCompanies': RestOperation('GET', '/api/companies', ('company.info', 'company.info.read')),
    'getCompaniesByDebtor': RestOperation(
        'GET', '/api/debtors/{debtorId}/companies', ('company.info.read', 'company.info')),
    'getCurrentPeriod': RestOperation('GET', '/api/companies/{companyId}/period', ('company.info.read', 'company.info')),
    'getCompanyAddresses': RestOperation(
        'GET', '/api/companies/{companyId}/addresses', ('company.info.read', 'company.info')),
    'getCompanyPayrollRuns': RestOperation(
        'GET', '/api/companies/{companyId}/runs', ('company.payrollsettings.read',)),
    'getEmployeesInPayrollRun': RestOperation(
        'GET', '/api/companies/{companyId}/runs/{payrollRunId}/employees', ('company.payrollsettings.read',)),
    'getCompanyWageTaxes': RestOperation(
        'GET', '/api/companies/{companyId}/wagetaxes', ('company.payrollsettings.read',)),
    'getCompanyWorkCosts': RestOperation(
        'GET', '/api/companies/{companyId}/workcost', ('company.payrollsettings.read',)),
    'getEmployeesByCompany': RestOperation(
        'GET', '/api/companies/{companyId}/employees', ('employee.info', 'employee.info.read')),
    'getEmployee': RestOperation('GET', '/api/employees/{employeeId}', ('employee.info', 'employee.info.read')),
    'UpdateEmployeePersonalInfo': RestOperation(
        'PUT', '/api/employees/{employeeId}/personalInfo', ('employee.info',)),
    'createEmployeeAddress': RestOperation('POST', '/api/employees/{employeeId}/address', ('employee.info',)),
    'getWageTaxXML': RestOperation(
        'GET', '/api/companies/{companyId}/wagetaxes/{wageTaxId}/xml', ('company.document.read',), document=True),
    'getWageTaxSEPA': RestOperation(
        'GET', '/api/companies/{companyId}/wagetaxes/{wageTaxId}/sepa', ('company.document.read',), document=True),
    'getPayrollRunSEPA': RestOperation(
        'GET', '/api/companies/{companyId}/runs/{payrollRunId}/sepa', ('company.document.read',), document=True),
    'getPayrollRunJournals': RestOperation(
        'GET', '/api/companies/{companyId}/runs/{payrollRunId}/journals', ('company.document.read',), document=True),
    'getEmployeePayslipPerPeriod': RestOperation(
        'GET', '/api/employees/{employeeId}/payslipperperiod', ('employee.document.read', 'employee.document'),
        document=True),
    'getEmployeeAnnualStatement': RestOperation(
        'GET', '/api/employees/{employeeId}/annualstatement', ('employee.document.read', 'employee.document'),
        document=True),
    'GetDocumentContentId': RestOperation('GET', '/api/documents/{taskId}', ('document.read',)),
}

# Error codes in the body {type, httpStatus, code, title, detail, invalid-params, docUrl}.
REST_ERROR_MISSING_TOKEN = 40101
REST_ERROR_INVALID_TOKEN = 40102
REST_ERROR_NO_DATA_ACCESS = 40303       # the login's user template (tags/filters) hides the data
REST_ERROR_NO_SUBSCRIPTION = 40304
REST_ERROR_SEVERAL_DEBTORS = 40306     # GET /api/companies with a consent for several debtors
# A call outside the consent's scopes: neither the code nor the title is in the
# description (UNVERIFIED); the client recognises any other 403 as a missing scope.
REST_ERROR_MISSING_SCOPE = 40301
REST_ERROR_VALIDATION = 40033
REST_ERROR_NOT_FOUND = 40401           # also: no such document (UNVERIFIED for documents)
REST_ERROR_INVALID_COMPANY = 40404
REST_ERROR_TOO_MANY_CALLS = 42908      # back off; Retry-After is honoured when sent (undocumented)
REST_ERROR_QUOTA_EXCEEDED = 42909      # the plan's call volume is used up: retrying does not help
REST_ERROR_SERVER = 50001
REST_ERROR_BAD_GATEWAY = 50201
REST_ERROR_UNAVAILABLE = 50301
REST_ERRORS = {  # code: (HTTP status, type, title, detail), as in the description's examples
    REST_ERROR_MISSING_TOKEN: (401, 'authenticationError', 'Missing_Token', 'Token is missing on the authentication'),
    REST_ERROR_INVALID_TOKEN: (401, 'authenticationError', 'Invalid_Token', 'Token is invalid.'),
    REST_ERROR_MISSING_SCOPE: (403, 'authenticationError', 'Unauthorized_Scope',
                               'The token does not have the scope this call needs.'),
    REST_ERROR_NO_DATA_ACCESS: (
        403, 'authenticationError', 'Unauthorized_AccessData',
        'You do not have access for the debtor or company you are trying to reach. Contact the administrator of the '
        'environment and review access rights by tags/filters for your login on Template User.'),
    REST_ERROR_NO_SUBSCRIPTION: (403, 'authenticationError', 'Invalid_Subscription',
                                 'This environment is disabled, there is no valid subscription.'),
    REST_ERROR_SEVERAL_DEBTORS: (403, 'authenticationError', 'Multiple_Debtors',
                                 'The token spans several debtors: list the companies per debtor.'),
    REST_ERROR_VALIDATION: (400, 'validationError', 'Parameter_Invalid', 'Invalid parameter.'),
    REST_ERROR_NOT_FOUND: (404, 'invalidRequestError', 'Not_Found', 'The requested resource could not be found.'),
    REST_ERROR_INVALID_COMPANY: (404, 'invalidRequestError', 'Invalid_Company',
                                 'Company not found. Check if the company Id is correct.'),
    REST_ERROR_TOO_MANY_CALLS: (429, 'throttlingError', 'Too_Many_Calls',
                                'The amount of calls is above the threshold for your subscription plan.'),
    REST_ERROR_QUOTA_EXCEEDED: (429, 'throttlingError', 'Quota_Exceeded', 'Out of call volume quota.'),
    REST_ERROR_SERVER: (500, 'apiError', 'Unkown', 'An unexpected error has occurred.'),
    REST_ERROR_BAD_GATEWAY: (502, 'apiError', 'Bad_Gateway', 'A gateway error has ocurred.'),
    REST_ERROR_UNAVAILABLE: (503, 'apiError', 'Service_Unavailable',
                             'The API is not available, it can be because of an update or an unexpected error.'),
}
REST_ERROR_DOC_URL = 'https://developer.nmbrs.com/api/docs/errors'
# A wrong or missing subscription key is refused by the API gateway before the
# API, with a smaller body (Azure API Management's shape, UNVERIFIED for Nmbrs).
GATEWAY_KEY_REFUSED = {
    'statusCode': 401,
    'message': 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active '
               'subscription.',
}

# Documents: the call answers {"taskId"}; GET /api/documents/{taskId} answers
# 202 with the JSON string below until the file is ready, then 200 with the
# bytes. How long generation takes is UNVERIFIED: the client polls with backoff
# up to a deadline.
DOCUMENT_PROCESSING = 'Document is being processed'

# Where the description contradicts itself or differs from SOAP, the client
# follows the likely reality:
# - PayrollRun.periodStart/periodEnd are typed integer with format date-time:
#   they are period numbers (1-12 for a monthly company), as in SOAP's RunInfo.
# - Company.number is a string ("1"); SOAP's is an integer. Read as an integer
#   when it is one.
# - WageTax.periodStart/End are dates; sentAt a date-time (None when not sent).
# - Date-times without a zone are Dutch time, as over SOAP (dates.py).
# - A payslip is per employee per period (getEmployeePayslipPerPeriod), not per
#   run: what it holds when a period has several runs is UNVERIFIED. Taken here:
#   the payslip as it stands after the period's
#   runs, one PDF even for two employments. So it is fetched once every run of
#   the period is locked and filed under the last run that paid the employee
#   (RelationImport._payslips_here).
# - A document that does not exist (e.g. no payslip in that period) answers
#   404 with code 40401 (UNVERIFIED): the client returns None, as SOAP does.
REST_PERIOD_TYPES = {'month': 'M', '4-weeks': '4W', '1-week': 'W1'}
# Gender: SOAP says undefined/male/female, REST unspecified/male/female/unknown.
REST_GENDERS = {'male': 'male', 'female': 'female', 'unspecified': 'undefined', 'unknown': 'undefined'}
RECORD_GENDERS = {'male': 'male', 'female': 'female', 'undefined': 'unspecified'}
# Address types: SOAP writes HomeAddress, REST homeAddress (and has workAddress);
# records keep SOAP's spelling.

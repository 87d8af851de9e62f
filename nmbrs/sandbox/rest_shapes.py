"""The JSON shapes of the sandbox's records over REST, as Nmbrs's OpenAPI description names them.

Ids are the stable GUIDs of guids.py; date-times are written in UTC with
``Z``; a dataset's times are Dutch local time.
"""
import datetime
from decimal import Decimal

from ..dates import NMBRS_ZONE, from_dutch_time
from .dataset import EMPLOYEE_TYPE_EMPLOYED, EMPLOYEE_TYPE_LEFT
from .guids import guid

EMPLOYEE_TYPES = {EMPLOYEE_TYPE_EMPLOYED: 'payroll', 2: 'applicant', EMPLOYEE_TYPE_LEFT: 'formerPayroll'}
GENDERS = {'male': 'male', 'female': 'female', None: 'unspecified'}
# The dataset keeps Nmbrs's Dutch texts (SOAP); REST has an enumeration.
MARITAL_STATUSES = {'Ongehuwd': 'unmarried', 'Gehuwd': 'married', 'Samenwonend': 'livingTogether',
                    'Geregistreerd partner': 'registeredPartner'}
COUNTRIES = {'NL': 'Nederland'}
# Work-related costs scheme: the free space is 1.92% of the fiscal wage; 80% final levy above it.
WORK_COST_FREE_SPACE = Decimal('0.0192')
WORK_COST_LEVY = Decimal('0.80')
WORK_COST_PER_EMPLOYEE = Decimal('45.00')


def utc(moment):
    """A dataset time (Dutch local) as the description writes date-times: UTC with Z."""
    if moment is None:
        return None
    return from_dutch_time(moment).strftime('%Y-%m-%dT%H:%M:%SZ')


def calendar_date(moment):
    """A date the description types date-time (a birth date): that day at midnight, written as UTC."""
    return moment.strftime('%Y-%m-%dT00:00:00Z') if moment else None


def day(moment):
    return moment.date().isoformat() if moment else None


def debtor(record):
    return {'debtorId': guid('debtor', record.id), 'number': record.number, 'name': record.name}


def company(record):
    return {'companyId': guid('company', record.id), 'number': str(record.number), 'name': record.name,
            'debtorId': guid('debtor', record.debtor_id)}


def current_period(year, period):
    return {'period': {'year': year, 'period': period}, 'periodType': 'month', 'displayPeriod': '%d-%d-M' % (
        year, period)}


def company_address(record, year, period):
    address = record.address
    return {'addressId': guid('address', address.id), 'isDefault': bool(address.default),
            'street': address.street, 'houseNumber': address.house_number,
            'houseNumberAddition': address.house_number_addition, 'postalCode': address.postal_code,
            'city': address.city, 'stateProvince': address.state_province,
            'countryISOCode': address.country_iso_code, 'period': {'year': year, 'period': period},
            'type': 'companyAddress'}


def run(record):
    return {'payrollRunId': guid('run', record.id), 'number': record.number, 'description': record.description,
            'year': record.year, 'periodStart': record.period_start, 'periodEnd': record.period_end,
            'createdAt': utc(record.run_at), 'type': 'normal', 'locked': bool(record.is_locked)}


def run_employee(record):
    return {'employeeId': guid('employee', record.id), 'employeeNumber': record.number}


def wage_tax(record):
    return {'wageTaxId': guid('declaration', record.id), 'serialNumber': record.serial_number,
            'totalGeneral': record.total_general, 'paymentReference': record.payment_reference,
            'period': record.period, 'year': record.year,
            'status': {'Sent': 'Verzonden', 'SentExternal': 'Extern verzonden'}.get(record.status, 'Aangemaakt'),
            'sentAt': utc(record.sent_at), 'periodStart': day(record.tijdvak_start),
            'periodEnd': day(record.tijdvak_end), 'correctionPeriodStart': day(record.correction_tijdvak_start),
            'correctionPeriodEnd': day(record.correction_tijdvak_end)}


def work_cost(year, period, runs):
    """The scheme of one period, from the runs of that period."""
    fiscal_wage = sum((pay.gross for run_record in runs for pay in run_record.pay.values()), Decimal(0))
    employees = {employee_id for run_record in runs for employee_id in run_record.pay}
    available = (fiscal_wage * WORK_COST_FREE_SPACE).quantize(Decimal('0.01'))
    payroll = WORK_COST_PER_EMPLOYEE * len(employees)
    to_pay = max(Decimal(0), (payroll - available) * WORK_COST_LEVY).quantize(Decimal('0.01'))
    return {'period': {'year': year, 'period': period}, 'workCostPayroll': float(payroll), 'workCostFinancial': 0.0,
            'fiscalWage': float(fiscal_wage), 'workCostAvailable': float(available),
            'workCostBase': float(fiscal_wage), 'workCostToPay': float(to_pay),
            'workCostEstimated': float(to_pay), 'workCostPaid': float(to_pay)}


def basic_info(employee):
    return {'employeeNumber': employee.employee_number or employee.number, 'firstName': employee.first_name,
            'firstNameInFull': employee.first_name, 'prefix': employee.prefix, 'initials': employee.initials,
            'lastName': employee.last_name, 'employeeType': EMPLOYEE_TYPES.get(employee.employee_type, 'payroll')}


def employee_list_item(employee):
    return {'employeeId': guid('employee', employee.id), 'employeeBasicInfo': basic_info(employee)}


def _country(code):
    return {'codeISO': code, 'description': COUNTRIES.get(code, code)} if code else None


def personal_info(employee, year, period):
    info = {
        'personalInfoId': guid('employee', employee.id),
        'basicInfo': basic_info(employee),
        'birthInfo': {'birthDate': calendar_date(employee.birthday),
                      'deceasedOn': calendar_date(employee.deceased_date),
                      'gender': GENDERS.get(employee.gender, 'unspecified')},
        'contactInfo': {'privateEmail': employee.email_private, 'businessEmail': employee.email_work,
                        'businessPhone': employee.telephone_work,
                        'businessMobilePhone': employee.telephone_mobile_work,
                        'privatePhone': employee.telephone_private,
                        'privateMobilePhone': employee.telephone_mobile_private,
                        'otherPhone': employee.telephone_other},
        'partnerInfo': {'partnerPrefix': employee.partner_prefix, 'partnerName': employee.partner_last_name,
                        'maritalStatus': MARITAL_STATUSES.get(employee.burgerlijke_staat, 'notSpecified')},
        'emergencyInfo': {'emergencyContact': employee.in_case_of_emergency,
                          'emergencyPhone': employee.in_case_of_emergency_phone,
                          'emergencyRelationship': employee.in_case_of_emergency_relation},
        'period': {'year': year, 'period': period},
        'createdAt': utc(employee.creation_date),
    }
    for key, code in (('birthCountry', employee.country_of_birth_iso_code),
                      ('nationality', 'NL' if employee.nationality_code == 1 else None)):
        if code:
            info['birthInfo'][key] = _country(code)
    return info


def parse_datetime(text):
    """A date-time the client sent (no zone: Dutch time) as a dataset time (Dutch, naive); ValueError when unreadable."""
    moment = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    return moment if moment.tzinfo is None else moment.astimezone(NMBRS_ZONE).replace(tzinfo=None)

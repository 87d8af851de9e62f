"""Typed records returned by (and sent to) the Nmbrs client.

Each field names its XML element with ``wire(...)``; the field order is the
WSDL element order, which is also the order in which updates are sent. A field
without a default is required: a response that lacks it is rejected. Every
other field is None when Nmbrs leaves it out, sends ``xsi:nil`` or sends the
"not set" date 0001-01-01.

Over SOAP ids are integers, over REST GUID strings (``Id``). Fields declared
with ``rest()`` have no SOAP element: only the REST client fills them. What
pairs a SOAP record with its REST twin (issue 14): a debtor's ``number``, a
company's ``number``, an employee's ``number`` within its company, a run's
``year`` and ``number``, a declaration's ``year``, ``period`` and ``serial_number``.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from . import api_facts

# An Nmbrs id: int over SOAP, GUID string over REST. SOAP parsing reads the first type.
Id = int | str


def wire(name, required=False):
    """A record field stored in the XML element ``name``."""
    if required:
        return field(metadata={'wire': name})
    return field(default=None, metadata={'wire': name})


def rest():
    """A record field only the REST API fills (None over SOAP)."""
    return field(default=None)


@dataclass
class Environment:
    domain: str | None = wire('Domain')
    subdomain: str | None = wire('SubDomain')


@dataclass
class Debtor:
    id: Id = wire('Id', required=True)
    number: str | None = wire('Number')
    name: str | None = wire('Name')


@dataclass
class Company:
    id: Id = wire('ID', required=True)
    number: int | None = wire('Number')
    name: str | None = wire('Name')
    phone_number: str | None = wire('PhoneNumber')
    fax_number: str | None = wire('FaxNumber')
    email: str | None = wire('Email')
    website: str | None = wire('Website')
    wage_tax_period: str | None = wire('LoonaangifteTijdvak')
    kvk_number: str | None = wire('KvkNr')
    debtor_id: Id | None = rest()


@dataclass
class CurrentPeriod:
    """Company_GetCurrentPeriod's ``yyyy-p-type`` text, split up."""
    year: int
    period: int
    period_type: str

    @property
    def periods_per_year(self):
        return api_facts.PERIOD_TYPES.get(self.period_type)


@dataclass
class Run:
    id: Id = wire('ID', required=True)
    number: int | None = wire('Number')
    year: int | None = wire('Year')
    period_start: int | None = wire('PeriodStart')
    period_end: int | None = wire('PeriodEnd')
    description: str | None = wire('Description')
    run_at: datetime | None = wire('RunAt')
    is_locked: bool | None = wire('IsLocked')
    # none, normal, normal_twk, twk or partial
    run_type: str | None = rest()


@dataclass
class RunEmployee:
    employee_id: Id = wire('EmployeeId', required=True)
    employee_number: int | None = wire('EmployeeNumber')


@dataclass
class WageTax:
    """A wage tax declaration (loonaangifte). ``status`` is free text (real values unknown)."""
    id: Id = wire('LoonaangifteID', required=True)
    serial_number: int | None = wire('SerialNumber')
    payment_reference: str | None = wire('PaymentReference')
    total_general: int | None = wire('TotalGeneral')
    period: int | None = wire('Period')
    year: int | None = wire('Year')
    status: str | None = wire('Status')
    sent_at: datetime | None = wire('SentAt')
    period_start: date | None = wire('TijdvakStart')
    period_end: date | None = wire('TijdvakEnd')
    correction_period_start: date | None = wire('CorrectionTijdvakStart')
    correction_period_end: date | None = wire('CorrectionTijdvakEnd')


@dataclass
class Address:
    """A company address. Nmbrs replaces the address on update, so its id changes."""
    id: Id | None = wire('Id')
    default: bool | None = wire('Default')
    street: str | None = wire('Street')
    house_number: str | None = wire('HouseNumber')
    house_number_addition: str | None = wire('HouseNumberAddition')
    postal_code: str | None = wire('PostalCode')
    city: str | None = wire('City')
    state_province: str | None = wire('StateProvince')
    country_iso_code: str | None = wire('CountryISOCode')


@dataclass
class EmployeeAddress(Address):
    """``type``: HomeAddress, PostAddress, AbsenceAddress, HolidaysAddress or WeekendAddress."""
    type: str | None = wire('Type')


@dataclass
class EmployeeType:
    id: int = wire('Id', required=True)
    description: str | None = wire('Description')


@dataclass
class Employee:
    id: Id = wire('Id', required=True)
    number: int | None = wire('Number')
    display_name: str | None = wire('DisplayName')
    # applicant, newHire, payroll, formerPayroll, external, formerExternal or rejectedApplicant
    employee_type: str | None = rest()


@dataclass
class PersonalInfo:
    """``gender``: undefined, male or female. Nmbrs empties fields left None on update.

    Over REST ``number`` and ``employee_number`` are both the employee number;
    the BSN, title, nickname, name format and identification are not part of
    it, and ``marital_status`` is one of married, unmarried, livingTogether,
    divorced, registeredPartner, widowWidower, notSpecified (over SOAP Nmbrs's
    Dutch text).
    """
    id: Id = wire('Id', required=True)
    number: int | None = wire('Number')
    display_name: str | None = wire('DisplayName')
    employee_number: int | None = wire('EmployeeNumber')
    bsn: str | None = wire('BSN')
    title: str | None = wire('Title')
    first_name: str | None = wire('FirstName')
    initials: str | None = wire('Initials')
    prefix: str | None = wire('Prefix')
    last_name: str | None = wire('LastName')
    nickname: str | None = wire('Nickname')
    gender: str | None = wire('Gender')
    nationality_code: int | None = wire('NationalityCode')
    place_of_birth: str | None = wire('PlaceOfBirth')
    country_of_birth_iso_code: str | None = wire('CountryOfBirthISOCode')
    identification_number: str | None = wire('IdentificationNumber')
    identification_type: int | None = wire('IdentificationType')
    partner_prefix: str | None = wire('PartnerPrefix')
    partner_last_name: str | None = wire('PartnerLastName')
    telephone_private: str | None = wire('TelephonePrivate')
    telephone_work: str | None = wire('TelephoneWork')
    telephone_mobile_private: str | None = wire('TelephoneMobilePrivate')
    telephone_mobile_work: str | None = wire('TelephoneMobileWork')
    telephone_other: str | None = wire('TelephoneOther')
    email_private: str | None = wire('EmailPrivate')
    email_work: str | None = wire('EmailWork')
    marital_status: str | None = wire('BurgerlijkeStaat')
    name_format: str | None = wire('Naamstelling')
    birthday: date | None = wire('Birthday')
    deceased_date: date | None = wire('DeceasedDate')
    in_case_of_emergency: str | None = wire('InCaseOfEmergency')
    in_case_of_emergency_phone: str | None = wire('InCaseOfEmergencyPhone')
    in_case_of_emergency_relation: str | None = wire('InCaseOfEmergencyRelation')
    title_after: str | None = wire('TitleAfter')
    # v3 addition; its position in the sequence is UNVERIFIED.
    creation_date: datetime | None = wire('CreationDate')
    first_name_in_full: str | None = rest()
    nationality_iso_code: str | None = rest()
    partner_ascription_code: int | None = rest()


@dataclass
class UserInfo:
    """Who gave the REST consent: ``debtor_id`` is the debtor of that login."""
    name: str | None = None
    email: str | None = None
    language: str | None = None
    debtor_id: Id | None = None
    user_id: Id | None = None


@dataclass
class WorkCost:
    """The work-related costs scheme (werkkostenregeling) of one period, in euros."""
    year: int
    period: int
    fiscal_wage: Decimal | None = None
    work_cost_base: Decimal | None = None
    work_cost_available: Decimal | None = None
    work_cost_payroll: Decimal | None = None
    work_cost_financial: Decimal | None = None
    work_cost_to_pay: Decimal | None = None
    work_cost_estimated: Decimal | None = None
    work_cost_paid: Decimal | None = None


class Records(list):
    """The records of a list answer; ``unreadable`` holds the NmbrsResponseError of each item left out,
    so one item that cannot be read (e.g. a payroll run) does not hide the others."""

    def __init__(self, items=(), unreadable=()):
        super().__init__(items)
        self.unreadable = list(unreadable)

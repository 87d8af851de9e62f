"""Wire shapes of the records: which element carries which attribute, in WSDL order.

``to_wire`` writes a record as (element, value) pairs for ``envelope``; ``from_wire``
reads the fields an update call sent. Null rules follow the research notes: a null
string is left out, a null nullable value is ``xsi:nil``, an unset non-nullable
dateTime is ``0001-01-01T00:00:00``.
"""
import datetime
from collections import namedtuple

from .. import api_facts
from ..dates import NMBRS_ZONE
from .envelope import NIL, UnreadableRequest

Field = namedtuple('Field', 'wire attr kind nillable', defaults=(False,))

DEBTOR = (Field('Id', 'id', int), Field('Number', 'number', str), Field('Name', 'name', str))
COMPANY = (
    Field('ID', 'id', int), Field('Number', 'number', int), Field('Name', 'name', str),
    Field('PhoneNumber', 'phone_number', str), Field('FaxNumber', 'fax_number', str), Field('Email', 'email', str),
    Field('Website', 'website', str), Field('LoonaangifteTijdvak', 'loonaangifte_tijdvak', str),
    Field('KvkNr', 'kvk_nr', str),
)
ADDRESS = (
    Field('Id', 'id', int), Field('Default', 'default', bool), Field('Street', 'street', str),
    Field('HouseNumber', 'house_number', str), Field('HouseNumberAddition', 'house_number_addition', str),
    Field('PostalCode', 'postal_code', str), Field('City', 'city', str),
    Field('StateProvince', 'state_province', str), Field('CountryISOCode', 'country_iso_code', str),
)
EMPLOYEE_ADDRESS = ADDRESS + (Field('Type', 'type', str),)
RUN_INFO = (
    Field('ID', 'id', int), Field('Number', 'number', int), Field('Year', 'year', int),
    Field('PeriodStart', 'period_start', int), Field('PeriodEnd', 'period_end', int),
    Field('Description', 'description', str), Field('RunAt', 'run_at', datetime.datetime),
    Field('IsLocked', 'is_locked', bool),
)
WAGE_TAX = (
    Field('LoonaangifteID', 'id', int), Field('SerialNumber', 'serial_number', int),
    Field('PaymentReference', 'payment_reference', str), Field('TotalGeneral', 'total_general', int),
    Field('Period', 'period', int), Field('Year', 'year', int), Field('Status', 'status', str),
    Field('SentAt', 'sent_at', datetime.datetime), Field('TijdvakStart', 'tijdvak_start', datetime.datetime),
    Field('TijdvakEnd', 'tijdvak_end', datetime.datetime),
    Field('CorrectionTijdvakStart', 'correction_tijdvak_start', datetime.datetime, True),
    Field('CorrectionTijdvakEnd', 'correction_tijdvak_end', datetime.datetime, True),
)
EMPLOYEE = (Field('Id', 'id', int), Field('Number', 'number', int), Field('DisplayName', 'display_name', str))
PERSONAL_INFO = EMPLOYEE + (
    Field('EmployeeNumber', 'employee_number', int, True), Field('BSN', 'bsn', str), Field('Title', 'title', str),
    Field('FirstName', 'first_name', str), Field('Initials', 'initials', str), Field('Prefix', 'prefix', str),
    Field('LastName', 'last_name', str), Field('Nickname', 'nickname', str), Field('Gender', 'gender', str, True),
    Field('NationalityCode', 'nationality_code', int, True), Field('PlaceOfBirth', 'place_of_birth', str),
    Field('CountryOfBirthISOCode', 'country_of_birth_iso_code', str),
    Field('IdentificationNumber', 'identification_number', str),
    Field('IdentificationType', 'identification_type', int), Field('PartnerPrefix', 'partner_prefix', str),
    Field('PartnerLastName', 'partner_last_name', str), Field('TelephonePrivate', 'telephone_private', str),
    Field('TelephoneWork', 'telephone_work', str), Field('TelephoneMobilePrivate', 'telephone_mobile_private', str),
    Field('TelephoneMobileWork', 'telephone_mobile_work', str), Field('TelephoneOther', 'telephone_other', str),
    Field('EmailPrivate', 'email_private', str), Field('EmailWork', 'email_work', str),
    Field('BurgerlijkeStaat', 'burgerlijke_staat', str), Field('Naamstelling', 'naamstelling', str),
    Field('Birthday', 'birthday', datetime.datetime, True),
    Field('DeceasedDate', 'deceased_date', datetime.datetime, True),
    Field('InCaseOfEmergency', 'in_case_of_emergency', str),
    Field('InCaseOfEmergencyPhone', 'in_case_of_emergency_phone', str),
    Field('InCaseOfEmergencyRelation', 'in_case_of_emergency_relation', str),
    Field('TitleAfter', 'title_after', str), Field('CreationDate', 'creation_date', datetime.datetime),
)
# Sent back by clients but never changed by an update.
READ_ONLY = frozenset({'Id', 'ID', 'DisplayName', 'CreationDate'})


# Nmbrs sends some date-times with their offset (.NET DateTimeOffset) and others
# without a zone; which are which is UNVERIFIED. The sandbox sends these with
# the Dutch offset, so both forms reach the client. Dataset times are Dutch local.
WITH_OFFSET = frozenset({'RunAt'})


def to_wire(record, fields):
    pairs = []
    for field in fields:
        value = getattr(record, field.attr)
        if value is None and field.nillable:
            value = NIL
        elif value is None and field.kind is datetime.datetime:
            value = api_facts.UNSET_DATETIME
        elif field.wire in WITH_OFFSET:
            value = value.replace(tzinfo=NMBRS_ZONE)
        pairs.append((field.wire, value))
    return pairs


def _typed(field, text):
    if text is None or (text == '' and field.kind is not str):
        return None
    try:
        if field.kind is int:
            return int(text)
        if field.kind is bool:
            return {'true': True, 'false': False, '1': True, '0': False}[text.strip()]
        if field.kind is datetime.datetime:
            return datetime.datetime.fromisoformat(text.strip())
    except (ValueError, KeyError):
        raise UnreadableRequest(api_facts.UNREADABLE_REQUEST_FAULT % (1, 1)) from None
    return text


def from_wire(fields, values):
    """The attributes an update sets: every sent field that is not read-only, typed."""
    return {field.attr: _typed(field, values[field.wire])
            for field in fields if field.wire in values and field.wire not in READ_ONLY}

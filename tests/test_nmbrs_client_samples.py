"""Parsing, fault decoding and transport of the plain-Python Nmbrs client.

Every sample response in data/nmbrs_samples goes through the decoder the
client itself uses. HTTP is exercised only for what needs a socket (retries,
timeouts, size limit) against a tiny local server; the full HTTP round trips
live in the sandbox tests.
"""
import socket
import tempfile
import threading
import time
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest.mock import patch

from lxml import etree

from odoo.tests import tagged

from odoo.addons.nmbrs_connector.nmbrs import api_facts, soap
from odoo.addons.nmbrs_connector.nmbrs.client import DECODERS, NmbrsClient, RateLimiter, decode_response
from odoo.addons.nmbrs_connector.nmbrs.errors import (
    NmbrsAccessError,
    NmbrsAuthenticationError,
    NmbrsConnectionError,
    NmbrsError,
    NmbrsHTTPError,
    NmbrsPermissionError,
    NmbrsResponseError,
    NmbrsSubscriptionError,
    NmbrsTimeout,
    NmbrsUncertainWriteError,
    NmbrsUnknownError,
)
from odoo.addons.nmbrs_connector.nmbrs.records import (
    Address,
    Company,
    CurrentPeriod,
    Debtor,
    Employee,
    EmployeeType,
    PersonalInfo,
    Run,
    WageTax,
)

from .common import PlainCase

SAMPLES = Path(__file__).parent / 'data' / 'nmbrs_samples'
TOKEN = 'secret-token-0123456789abcdef'
COMPANY = api_facts.COMPANY_SERVICE
NS = api_facts.namespace(COMPANY)

# Samples of operations the client does not call (older variants, inserts,
# uploads): read with the generic decoder of their result type.
PARSE_LAYER_ONLY = {
    'CompanyService.Address_Insert': partial(soap.value, value_type=int),
    'CompanyService.Journals_GetByRunCompany': soap.escaped_xml,
    'CompanyService.SalaryDocuments_GetAllPayslipsPDFByRunCompany': soap.pdf,
    'CompanyService.SalaryDocuments_GetEmployeePayslipsInOnePDFByRunCompany': soap.pdf,
    'CompanyService.SalaryDocuments_GetEmployeePayslipsPDFByRunCompany': soap.pdfs,
    'CompanyService.WageTax_SetSentExternal': partial(soap.value, value_type=bool),
    'DebtorService.Debtor_Insert': partial(soap.value, value_type=int),
    'EmployeeService.Address_InsertCurrent': partial(soap.value, value_type=int),
    'EmployeeService.EmployeeDocument_UploadDocument': lambda result: result,
}


def decode_sample(name):
    service, operation = name.split('.', 1)
    body = (SAMPLES / (name + '.xml')).read_bytes()
    if name in PARSE_LAYER_ONLY:
        return PARSE_LAYER_ONLY[name](soap.read_result(body, service, operation))
    return decode_response(service, operation, body)


def envelope(content, soap_ns=api_facts.SOAP11_NS):
    return ('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="%s" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>%s</soap:Body>'
            '</soap:Envelope>' % (soap_ns, content)).encode('utf-8')


def response(operation, result_xml):
    return envelope('<%sResponse xmlns="%s">%s</%sResponse>' % (operation, NS, result_xml, operation))


def fault_body(text, soap_version=soap.SOAP_11):
    if soap_version == soap.SOAP_11:
        return envelope('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>%s</faultstring>'
                        '<detail /></soap:Fault>' % text)
    return envelope('<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>'
                    '<soap:Reason><soap:Text xml:lang="en">%s</soap:Text></soap:Reason><soap:Detail />'
                    '</soap:Fault>' % text, api_facts.SOAP12_NS)


@tagged('post_install', '-at_install')
class TestSamples(PlainCase):
    """Every recorded sample goes through the decoder the client itself uses."""

    def test_every_sample_has_a_decoder(self):
        names = sorted(path.stem for path in SAMPLES.glob('*.xml'))
        self.assertEqual(len(names), 49)
        for name in names:
            service, operation = name.split('.', 1)
            self.assertTrue(name in PARSE_LAYER_ONLY or (service, operation) in DECODERS, name)

    def test_sample_parses(self):
        for name in sorted(path.stem for path in SAMPLES.glob('*.xml')):
            with self.subTest(name=name):
                decode_sample(name)

    def test_annual_document_samples_are_pdfs(self):
        for kind in api_facts.ANNUAL_DOCUMENT_KINDS:
            with self.subTest(kind=kind):
                document = decode_sample('CompanyService.SalaryDocuments_AnnualDocument_' + kind)
                self.assertTrue(document.startswith(b'%PDF-'))

    def test_debtor_and_environment_samples(self):
        self.assertEqual(decode_sample('DebtorService.Environment_Get').subdomain, 'kantoorvoorbeeld')
        debtors = decode_sample('DebtorService.List_GetAll')
        self.assertEqual(debtors[0], Debtor(id=41001, number='100', name='Holding Jansen B.V.'))
        self.assertEqual(decode_sample('DebtorService.Debtor_Get').id, 41001)
        self.assertIsNone(decode_sample('DebtorService.Debtor_Update'))
        self.assertEqual(decode_sample('DebtorService.Debtor_Insert'), 41003)

    def test_company_samples(self):
        companies = decode_sample('CompanyService.List_GetAll')
        self.assertEqual([company.id for company in companies], [52001, 52002, 52003])
        self.assertIsInstance(companies[0], Company)
        self.assertIsNone(companies[1].email)
        self.assertEqual(companies[1].wage_tax_period, 'Week4')
        period = decode_sample('CompanyService.Company_GetCurrentPeriod')
        self.assertEqual(period, CurrentPeriod(year=2024, period=3, period_type='M'))
        self.assertEqual(period.periods_per_year, 12)
        address = decode_sample('CompanyService.Address_GetCurrent')
        self.assertIs(address.default, True)
        self.assertEqual(address.postal_code, '3511 ED')

    def test_run_and_wage_tax_samples(self):
        runs = decode_sample('CompanyService.Run_GetList')
        self.assertEqual(runs[0], Run(id=78101, number=1, year=2024, period_start=1, period_end=1,
                                      description='Januari 2024', run_at=datetime(2024, 1, 24, 9, 15),
                                      is_locked=True))
        self.assertIs(runs[2].is_locked, False)
        employees = decode_sample('CompanyService.Run_GetEmployeesByRunCompany')
        self.assertEqual([employee.employee_id for employee in employees], [63001, 63002])
        wage_taxes = decode_sample('CompanyService.WageTax_GetList')
        self.assertIsInstance(wage_taxes[0], WageTax)
        self.assertEqual(wage_taxes[0].id, 91001)
        self.assertEqual(wage_taxes[0].total_general, 4312)
        self.assertEqual(wage_taxes[0].period_start, date(2024, 1, 1))
        self.assertIsNone(wage_taxes[0].correction_period_start)
        self.assertIsNone(wage_taxes[2].sent_at)  # 0001-01-01 means "not sent"

    def test_escaped_xml_samples_come_back_as_xml_bytes(self):
        for name, root_tag in (
                ('CompanyService.SalaryDocuments_GetSEPA', 'Document'),
                ('CompanyService.SalaryDocuments_GetSEPA_Tax', 'Document'),
                ('CompanyService.WageTax_GetXML', 'Loonaangifte'),
                ('CompanyService.Journals_GetByRunCompany_v2', 'transactions')):
            document = decode_sample(name)
            self.assertIsInstance(document, bytes)
            self.assertEqual(etree.QName(etree.fromstring(document)).localname, root_tag)

    def test_payslip_samples(self):
        payslips = decode_sample('CompanyService.SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2')
        self.assertEqual(len(payslips), 1)
        self.assertTrue(payslips[0].startswith(b'%PDF-'))
        combined = decode_sample('CompanyService.SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2')
        self.assertTrue(combined.startswith(b'%PDF-'))
        self.assertTrue(decode_sample('EmployeeService.SalaryDocuments_GetAnnualStatementPDF').startswith(b'%PDF-'))

    def test_employee_samples(self):
        types = decode_sample('EmployeeService.EmployeeType_GetList')
        self.assertEqual(types[0], EmployeeType(id=1, description='Werknemer'))
        employees = decode_sample('EmployeeService.List_GetByCompany')
        self.assertEqual(employees[1], Employee(id=63002, number=2, display_name='Anna Bakker'))
        info = decode_sample('EmployeeService.PersonalInfo_GetCurrent')
        self.assertIsInstance(info, PersonalInfo)
        self.assertEqual(info.birthday, date(1985, 4, 12))
        self.assertIsNone(info.deceased_date)
        self.assertEqual(info.creation_date, datetime(2023, 12, 18, 13, 5, 33))  # 14:05:33 Dutch time
        self.assertEqual(info.gender, 'male')
        self.assertEqual(info.nationality_code, 1)
        addresses = decode_sample('EmployeeService.Address_GetListCurrent')
        self.assertEqual(addresses[0].type, 'HomeAddress')
        self.assertIs(decode_sample('EmployeeService.Address_Update'), True)
        self.assertIsNone(decode_sample('EmployeeService.PersonalInfo_UpdateCurrent'))


@tagged('post_install', '-at_install')
class TestListsAndValues(PlainCase):
    """Lists, nil items, missing results and the values inside them."""

    def test_empty_or_missing_list(self):
        for result_xml in [
                '', '<Run_GetListResult />', '<Run_GetListResult></Run_GetListResult>',
                '<Run_GetListResult xsi:nil="true" />']:
            with self.subTest(result_xml=result_xml):
                self.assertEqual(decode_response(COMPANY, 'Run_GetList', response('Run_GetList', result_xml)), [])

    def test_single_item_and_nil_item(self):
        body = response('List_GetAll', '<List_GetAllResult><Company xsi:nil="true" />'
                        '<Company><ID>7</ID><Name>Één B.V.</Name></Company></List_GetAllResult>')
        companies = decode_response(COMPANY, 'List_GetAll', body)
        self.assertEqual(companies, [Company(id=7, name='Één B.V.')])

    def test_item_without_its_id_is_rejected(self):
        body = response('List_GetAll', '<List_GetAllResult><Company><Name>X</Name></Company></List_GetAllResult>')
        with self.assertRaises(NmbrsResponseError):
            decode_response(COMPANY, 'List_GetAll', body)

    def test_missing_or_empty_pdf_is_none(self):
        for result_xml in [
                '',
                '<SalaryDocuments_AnnualDocument_LeaveSaldosResult />',
                '<SalaryDocuments_AnnualDocument_LeaveSaldosResult><PDF />'
                '</SalaryDocuments_AnnualDocument_LeaveSaldosResult>',
                '<SalaryDocuments_AnnualDocument_LeaveSaldosResult><PDF xsi:nil="true" />'
                '</SalaryDocuments_AnnualDocument_LeaveSaldosResult>',
        ]:
            with self.subTest(result_xml=result_xml):
                operation = 'SalaryDocuments_AnnualDocument_LeaveSaldos'
                self.assertIsNone(decode_response(COMPANY, operation, response(operation, result_xml)))

    def test_payslips_without_pdf_are_skipped(self):
        operation = 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'
        body = response(operation, '<%sResult><Payslip /><Payslip><PDF>JVBERi0=</PDF></Payslip>'
                                   '<Payslip xsi:nil="true" /></%sResult>' % (operation, operation))
        self.assertEqual(decode_response(COMPANY, operation, body), [b'%PDF-'])
        self.assertEqual(decode_response(COMPANY, operation, response(operation, '')), [])

    def test_absent_escaped_xml_is_none(self):
        for result_xml in ['', '<SalaryDocuments_GetSEPAResult />',
                           '<SalaryDocuments_GetSEPAResult>  </SalaryDocuments_GetSEPAResult>']:
            with self.subTest(result_xml=result_xml):
                operation = 'SalaryDocuments_GetSEPA'
                self.assertIsNone(decode_response(COMPANY, operation, response(operation, result_xml)))

    def test_invalid_base64_is_rejected(self):
        operation = 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2'
        body = response(operation, '<%sResult><PDF>not*base64</PDF></%sResult>' % (operation, operation))
        with self.assertRaises(NmbrsResponseError):
            decode_response(COMPANY, operation, body)

    def test_values(self):
        for text, value_type, expected in [
                # Date-times become naive UTC; one without a zone is Dutch local time (CET in winter, CEST in summer).
                ('2024-01-24T10:15:00', datetime, datetime(2024, 1, 24, 9, 15)),
                ('2024-07-24T10:15:00', datetime, datetime(2024, 7, 24, 8, 15)),
                ('2024-01-24T10:15:00.1234567', datetime, datetime(2024, 1, 24, 9, 15, 0, 123456)),
                ('2024-01-24T10:15:00Z', datetime, datetime(2024, 1, 24, 10, 15)),
                ('2026-03-03T16:45:09.387+01:00', datetime, datetime(2026, 3, 3, 15, 45, 9, 387000)),
                ('2026-03-03T16:45:09-05:00', datetime, datetime(2026, 3, 3, 21, 45, 9)),
                ('2024-01-24', datetime, datetime(2024, 1, 23, 23, 0)),
                ('2024-01-24T00:00:00', date, date(2024, 1, 24)),
                ('2024-01-24T00:00:00+01:00', date, date(2024, 1, 24)),
                ('2024-01-24Z', date, date(2024, 1, 24)),
                ('0001-01-01T00:00:00', datetime, None),
                ('12144.00', Decimal, Decimal('12144.00')),
                (' 42 ', int, 42),
                ('-1', int, -1),
                ('true', bool, True),
                ('false', bool, False),
                ('', int, None),
                ('', str, ''),
        ]:
            with self.subTest(text=text, value_type=value_type, expected=expected):
                self.assertEqual(soap.from_text(text, value_type), expected)

    def test_bad_values_are_rejected(self):
        for text, value_type in [
                ('1_000', int), ('4.5', int), ('yes', bool), ('NaN', Decimal), ('24-01-2024', datetime),
        ]:
            with self.subTest(text=text, value_type=value_type):
                with self.assertRaises(NmbrsResponseError):
                    soap.from_text(text, value_type)

    def test_unexpected_response_element_is_rejected(self):
        with self.assertRaises(NmbrsResponseError):
            decode_response(COMPANY, 'Run_GetList', response('List_GetAll', ''))
        with self.assertRaises(NmbrsResponseError):
            decode_response(COMPANY, 'Run_GetList', b'<html><body>Maintenance</body></html>')


FAULT_CASES = [
    (1001, NmbrsAuthenticationError, 'tenant key'),
    (1002, NmbrsPermissionError, 'CompanyService.Run_GetList'),
    (1003, NmbrsAccessError, 'filter'),
    (1004, NmbrsSubscriptionError, 'subscription'),
    (2004, NmbrsAccessError, 'company 52001'),
    (9999, NmbrsUnknownError, 'Nmbrs support'),
    (2006, NmbrsUnknownError, 'Invalid period'),
]


@tagged('post_install', '-at_install')
class TestFaults(PlainCase):
    """SOAP faults become errors that name the Nmbrs error and what to do."""

    def test_faults(self):
        for soap_version in [soap.SOAP_11, soap.SOAP_12]:
            for code, error_class, phrase in FAULT_CASES:
                with self.subTest(soap_version=soap_version, code=code, error_class=error_class, phrase=phrase):
                    text = api_facts.FAULT_PREFIX + '%d: %s' % (
                        code, api_facts.FAULT_TEXTS.get(code, 'Invalid period'))
                    with self.assertRaises(error_class) as caught:
                        decode_response(COMPANY, 'Run_GetList', fault_body(text, soap_version),
                                        {'company_id': 52001, 'year': 2024})
                    error = caught.exception
                    self.assertEqual(error.code, code)
                    self.assertEqual(error.operation, 'CompanyService.Run_GetList')
                    self.assertIs(error.transient, False)
                    self.assertIn(phrase, error.message)
                    self.assertEqual(str(error), error.message)
                    self.assertEqual(error.detail, text)

    def test_permission_error_names_the_right(self):
        body = fault_body(api_facts.FAULT_PREFIX + '1002: Unauthorized access')
        with self.assertRaises(NmbrsPermissionError) as caught:
            decode_response(COMPANY, 'SalaryDocuments_GetSEPA', body)
        self.assertEqual(caught.exception.right, 'CompanyService.SalaryDocuments_GetSEPA')

    def test_access_errors_say_which_record(self):
        for code, service, operation, params, kind, record_id in [
                (2003, api_facts.EMPLOYEE_SERVICE, 'PersonalInfo_GetCurrent', {'employee_id': 63009},
                 'employee', 63009),
                (2004, COMPANY, 'Run_GetList', {'company_id': 52009, 'year': 2024}, 'company', 52009),
                (2009, api_facts.DEBTOR_SERVICE, 'Debtor_Get', {'debtor_id': 41009}, 'debtor', 41009),
                (1003, COMPANY, 'List_GetAll', {}, 'data', None),
        ]:
            with self.subTest(code=code, service=service, operation=operation, params=params, kind=kind,
                              record_id=record_id):
                body = fault_body(api_facts.FAULT_PREFIX + '%d: Unauthorized access' % code, soap.SOAP_12)
                with self.assertRaises(NmbrsAccessError) as caught:
                    decode_response(service, operation, body, params)
                self.assertEqual((caught.exception.record_kind, caught.exception.record_id), (kind, record_id))

    def test_fault_without_code_is_unknown(self):
        with self.assertRaises(NmbrsUnknownError) as caught:
            decode_response(COMPANY, 'Run_GetList', fault_body(api_facts.INVALID_ACTION_FAULT))
        self.assertIsNone(caught.exception.code)
        self.assertIn('valid action', caught.exception.message)


BILLION_LAUGHS = b'''<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
<Company_GetCurrentPeriodResponse xmlns="https://api.nmbrs.nl/soap/v3/CompanyService">
<Company_GetCurrentPeriodResult>&lol9;</Company_GetCurrentPeriodResult>
</Company_GetCurrentPeriodResponse></soap:Body></soap:Envelope>'''


@tagged('post_install', '-at_install')
class TestHostileXml(PlainCase):
    """Answers with a DOCTYPE are refused before anything is expanded or loaded."""

    def test_billion_laughs_is_rejected_without_expansion(self):
        started = time.monotonic()
        with self.assertRaises(NmbrsResponseError) as caught:
            decode_response(COMPANY, 'Company_GetCurrentPeriod', BILLION_LAUGHS)
        self.assertLess(time.monotonic() - started, 1)
        self.assertIn('DOCTYPE', caught.exception.detail)

    def test_external_entity_is_rejected_without_loading(self):
        tmp_dir = tempfile.TemporaryDirectory()
        self.addCleanup(tmp_dir.cleanup)
        secret_file = Path(tmp_dir.name) / 'secret.txt'
        secret_file.write_text('TOP-SECRET-CONTENT')
        body = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "%s">]>'
                '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                '<Company_GetCurrentPeriodResponse xmlns="%s"><Company_GetCurrentPeriodResult>&xxe;'
                '</Company_GetCurrentPeriodResult></Company_GetCurrentPeriodResponse></soap:Body></soap:Envelope>'
                % (secret_file.as_uri(), NS)).encode()
        with self.assertRaises(NmbrsResponseError) as caught:
            decode_response(COMPANY, 'Company_GetCurrentPeriod', body)
        self.assertIn('DOCTYPE', caught.exception.detail)
        self.assertNotIn('TOP-SECRET', repr(caught.exception) + caught.exception.detail)

    def test_any_doctype_is_rejected(self):
        for encoding in ['utf-8', 'utf-16']:
            with self.subTest(encoding=encoding):
                body = ('<?xml version="1.0" encoding="%s"?><!DOCTYPE Envelope><soap:Envelope xmlns:soap="%s" />'
                        % (encoding, api_facts.SOAP11_NS)).encode(encoding)
                with self.assertRaises(NmbrsResponseError) as caught:
                    soap.parse_xml(body)
                self.assertIn('DOCTYPE', caught.exception.detail)


def parse_request(body):
    return etree.fromstring(body)


@tagged('post_install', '-at_install')
class TestRequests(PlainCase):
    """The envelopes and headers the client sends."""

    def test_envelope_uses_wire_names_in_order_and_domain_header(self):
        body = soap.build_envelope(
            COMPANY, 'SalaryDocuments_GetSEPA',
            {'company_id': 52001, 'run_id': 78101, 'year': 2024, 'payment_date': date(2024, 1, 25)},
            username='a@b.nl', token=TOKEN, domain='kantoor', soap_version=soap.SOAP_11)
        root = parse_request(body)
        self.assertEqual(etree.QName(root).namespace, api_facts.SOAP11_NS)
        header = root.find('{%s}Header/{%s}AuthHeaderWithDomain' % (api_facts.SOAP11_NS, NS))
        self.assertEqual([etree.QName(child).localname for child in header], ['Username', 'Token', 'Domain'])
        self.assertEqual(header.findtext('{%s}Domain' % NS), 'kantoor')
        request = root.find('{%s}Body/{%s}SalaryDocuments_GetSEPA' % (api_facts.SOAP11_NS, NS))
        self.assertEqual([(etree.QName(child).localname, child.text) for child in request], [
            ('CompanyId', '52001'), ('RunID', '78101'), ('Year', '2024'), ('paymentDate', '2024-01-25T00:00:00')])

    def test_environment_get_sends_header_without_domain_in_soap_12(self):
        body = soap.build_envelope(api_facts.DEBTOR_SERVICE, 'Environment_Get', {}, username='a@b.nl',
                                   token=TOKEN, domain='kantoor', soap_version=soap.SOAP_12)
        root = parse_request(body)
        debtor_ns = api_facts.namespace(api_facts.DEBTOR_SERVICE)
        header = root.find('{%s}Header/{%s}AuthHeader' % (api_facts.SOAP12_NS, debtor_ns))
        self.assertEqual([etree.QName(child).localname for child in header], ['Username', 'Token'])
        headers = soap.http_headers(api_facts.DEBTOR_SERVICE, 'Environment_Get', soap.SOAP_12)
        self.assertNotIn('SOAPAction', headers)
        self.assertTrue(headers['Content-Type'].startswith('application/soap+xml'))

    def test_records_are_sent_in_wsdl_order_without_empty_fields(self):
        info = PersonalInfo(id=63001, number=1, last_name='Vries', birthday=date(1985, 4, 12))
        body = soap.build_envelope(api_facts.EMPLOYEE_SERVICE, 'PersonalInfo_UpdateCurrent',
                                   {'employee_id': 63001, 'info': info}, username='a@b.nl', token=TOKEN,
                                   domain='', soap_version=soap.SOAP_11)
        employee_ns = api_facts.namespace(api_facts.EMPLOYEE_SERVICE)
        sent = parse_request(body).find('.//{%s}PersonalInfo' % employee_ns)
        self.assertEqual([(etree.QName(child).localname, child.text) for child in sent], [
            ('Id', '63001'), ('Number', '1'), ('LastName', 'Vries'), ('Birthday', '1985-04-12T00:00:00')])
        address = Address(id=1, default=True, street='Dorpsstraat')
        body = soap.build_envelope(COMPANY, 'Address_Update', {'company_id': 5, 'address': address},
                                   username='a@b.nl', token=TOKEN, domain='', soap_version=soap.SOAP_11)
        self.assertEqual(parse_request(body).find('.//{%s}Default' % NS).text, 'true')

    def test_wrong_parameters_are_a_programming_error(self):
        with self.assertRaises(TypeError):
            soap.build_envelope(COMPANY, 'Run_GetList', {'company_id': 1}, username='a', token=TOKEN,
                                domain='', soap_version=soap.SOAP_11)

    def test_unknown_annual_document_kind(self):
        with NmbrsClient('a@b.nl', TOKEN, base_url='http://127.0.0.1:1/soap/v3/') as client:
            with self.assertRaises(ValueError):
                client.annual_document('AnnualStatement', 1, 2, 2024)

    def test_all_employees_lists_every_type_once(self):
        client = NmbrsClient('a@b.nl', TOKEN, base_url='http://127.0.0.1:1/soap/v3/')
        by_type = {1: [Employee(id=1), Employee(id=2)], 2: [], 3: [Employee(id=2), Employee(id=3)]}
        with patch.object(client, 'employee_types', lambda: [EmployeeType(id=key) for key in by_type]), \
                patch.object(client, 'employees', lambda company_id, employee_type: by_type[employee_type]):
            self.assertEqual([employee.id for employee in client.all_employees(52001)], [1, 2, 3])


@tagged('post_install', '-at_install')
class TestSecrets(PlainCase):
    """The API token never shows."""

    def test_token_never_shown(self):
        client = NmbrsClient('a@b.nl', TOKEN, 'kantoor', environment='sandbox')
        self.assertNotIn(TOKEN, repr(client))
        self.assertNotIn(TOKEN, str(vars(client).get('timeout')))
        error = NmbrsUnknownError('Nmbrs reported an error: echo %s' % TOKEN, detail='echo ' + TOKEN)
        error.redact(TOKEN)
        self.assertNotIn(TOKEN, str(error) + repr(error) + error.detail + repr(error.args))


class FakeNmbrs(ThreadingHTTPServer):
    """Answers POSTs from a queue of (status, body, delay, length) tuples; the last one repeats.

    ``length``: True sends the body's Content-Length, False none, a number that number.
    """

    daemon_threads = True

    def __init__(self, answers):
        super().__init__(('127.0.0.1', 0), FakeNmbrsHandler)
        self.answers = list(answers)
        self.requests = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d/soap/v3/' % self.server_address[1]


class FakeNmbrsHandler(BaseHTTPRequestHandler):

    def do_POST(self):
        request_body = self.rfile.read(int(self.headers['Content-Length']))
        self.server.requests.append((self.path, dict(self.headers), request_body))
        answers = self.server.answers
        status, body, delay, length = answers.pop(0) if len(answers) > 1 else answers[0]
        self.send_response(status)
        self.send_header('Content-Type', 'text/xml; charset=utf-8')
        if length is not False:
            self.send_header('Content-Length', str(len(body) if length is True else length))
        self.end_headers()
        self.wfile.write(body[:10])
        self.wfile.flush()
        time.sleep(delay)
        self.wfile.write(body[10:])

    def log_message(self, *args):
        pass


PERIOD_OK = response('Company_GetCurrentPeriod',
                     '<Company_GetCurrentPeriodResult>2024-4-4W</Company_GetCurrentPeriodResult>')


def client_for(server, **options):
    options.setdefault('backoff', 0.001)
    return NmbrsClient('a@b.nl', TOKEN, 'kantoor', base_url=server.url, **options)


UPDATE_OK = response('Address_Update', '')


def update_address(client):
    client.update_company_address(52001, Address(street='Kerkstraat', city='Utrecht'))


@tagged('post_install', '-at_install')
class TestTransport(PlainCase):
    """Retries, timeouts, writes and the size limit against a tiny local server."""

    def fake_nmbrs(self, *answers):
        """A FakeNmbrs giving ``answers``, shut down after the test."""
        server = FakeNmbrs(answers)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def failing_call(self, server, error_class, **options):
        """The error a call to ``server`` raises, and how many requests the client sent."""
        with client_for(server, **options) as client:
            with self.assertRaises(error_class) as caught:
                client.current_period(52001)
        return caught.exception, client.call_count

    def test_call_over_http_counts_and_sends_soap_action(self):
        server = self.fake_nmbrs((200, PERIOD_OK, 0, True))
        with client_for(server) as client:
            self.assertEqual(client.current_period(52001), CurrentPeriod(2024, 4, '4W'))
        path, headers, _body = server.requests[0]
        self.assertEqual(path, '/soap/v3/CompanyService.asmx')
        self.assertEqual(headers['SOAPAction'],
                         '"https://api.nmbrs.nl/soap/v3/CompanyService/Company_GetCurrentPeriod"')
        self.assertEqual(client.call_count, 1)
        self.assertEqual(client.calls_by_operation, {'CompanyService.Company_GetCurrentPeriod': 1})

    def test_transient_http_errors_are_retried(self):
        server = self.fake_nmbrs((503, b'busy', 0, True), (502, b'', 0, True), (200, PERIOD_OK, 0, True))
        with client_for(server, max_retries=2) as client:
            self.assertEqual(client.current_period(52001).period, 4)
        self.assertEqual(client.call_count, 3)

    def test_retries_are_bounded(self):
        server = self.fake_nmbrs((500, b'<html>Internal error</html>', 0, True))
        error, call_count = self.failing_call(server, NmbrsHTTPError, max_retries=2)
        self.assertEqual(error.status, 500)
        self.assertTrue(error.transient)
        self.assertEqual(call_count, 3)

    def test_refusals_are_not_retried(self):
        for code in [1001, 1002, 2003, 2004, 2009]:
            with self.subTest(code=code):
                server = self.fake_nmbrs((500, fault_body(api_facts.FAULT_PREFIX + '%d: x' % code), 0, True))
                error, call_count = self.failing_call(server, NmbrsError, max_retries=3)
                self.assertEqual(error.code, code)
                self.assertFalse(error.transient)
                self.assertEqual(call_count, 1)

    def test_a_write_that_may_have_arrived_is_not_sent_again(self):
        for answer, options in [
                ((500, b'<html>Internal error</html>', 0, True), {}),
                ((503, b'busy', 0, True), {}),
                ((200, UPDATE_OK, 1.0, True), {'read_timeout': 0.2}),
                ((200, UPDATE_OK, 0, len(UPDATE_OK) + 100), {}),
                # Nmbrs took the change but its answer cannot be read: not "unreadable", not sent again.
                ((200, UPDATE_OK[:len(UPDATE_OK) // 2], 0, True), {}),
                ((200, b'not xml at all', 0, True), {}),
        ]:
            with self.subTest(answer=answer, options=options):
                server = self.fake_nmbrs(answer, (200, UPDATE_OK, 0, True))
                with client_for(server, max_retries=3, **options) as client:
                    with self.assertRaises(NmbrsUncertainWriteError) as caught:
                        update_address(client)
                self.assertEqual(len(server.requests), 1)
                self.assertEqual(client.call_count, 1)
                error = caught.exception
                self.assertFalse(error.transient)
                self.assertEqual(error.operation, 'CompanyService.Address_Update')
                self.assertIn('may or may not have arrived', error.message)
                self.assertNotIn(TOKEN, error.message + error.detail)

    def test_a_write_that_could_not_be_sent_is_a_connection_error(self):
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            port = probe.getsockname()[1]
        with NmbrsClient('a@b.nl', TOKEN, base_url='http://127.0.0.1:%d/soap/v3/' % port,
                         backoff=0.001, max_retries=3) as client:
            with self.assertRaises(NmbrsConnectionError) as caught:
                update_address(client)
        self.assertNotIsInstance(caught.exception, NmbrsUncertainWriteError)
        self.assertEqual(client.call_count, 1)
        self.assertFalse(caught.exception.transient)

    def test_other_http_status_is_not_retried(self):
        server = self.fake_nmbrs((404, b'Not found', 0, True))
        error, call_count = self.failing_call(server, NmbrsHTTPError, max_retries=3)
        self.assertEqual(error.status, 404)
        self.assertEqual(call_count, 1)

    def test_timeouts_are_retried_then_raised(self):
        for send_length in [True, False]:
            with self.subTest(send_length=send_length):
                server = self.fake_nmbrs((200, PERIOD_OK, 1.0, send_length))
                error, call_count = self.failing_call(server, NmbrsTimeout, read_timeout=0.2, max_retries=1)
                self.assertTrue(error.transient)
                self.assertEqual(call_count, 2)

    def test_unreachable_server_is_a_connection_error(self):
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            port = probe.getsockname()[1]
        with NmbrsClient('a@b.nl', TOKEN, base_url='http://127.0.0.1:%d/soap/v3/' % port,
                         backoff=0.001, max_retries=1) as client:
            with self.assertRaises(NmbrsConnectionError) as caught:
                client.companies()
        error = caught.exception
        self.assertTrue(error.transient)
        self.assertEqual(client.call_count, 2)
        self.assertNotIn(TOKEN, str(error) + repr(error) + error.detail)

    def test_answer_broken_off_is_retried(self):
        server = self.fake_nmbrs((200, PERIOD_OK, 0, len(PERIOD_OK) + 100))
        error, call_count = self.failing_call(server, NmbrsConnectionError, max_retries=1)
        self.assertTrue(error.transient)
        self.assertEqual(call_count, 2)

    def test_oversize_response_is_rejected(self):
        for send_length in [True, False]:
            with self.subTest(send_length=send_length):
                server = self.fake_nmbrs((200, PERIOD_OK + b' ' * 5000, 0, send_length))
                error, call_count = self.failing_call(server, NmbrsResponseError, max_response_bytes=2000)
                self.assertFalse(error.transient)
                self.assertEqual(call_count, 1)

    def test_token_not_in_errors_or_logs(self):
        echo = fault_body(api_facts.FAULT_PREFIX + '2006: Invalid period for token %s' % TOKEN)
        server = self.fake_nmbrs((500, echo, 0, True))
        # Odoo sets the level of its 'odoo' logger, so set the client's own.
        with self.capture_logs(NmbrsClient.__module__) as logs:
            error, _call_count = self.failing_call(server, NmbrsUnknownError)
        self.assertNotIn(TOKEN, str(error) + repr(error) + error.detail)
        text = '\n'.join(logs.output)
        self.assertNotIn(TOKEN, text)
        self.assertIn('CompanyService.Company_GetCurrentPeriod', text)

    def test_rate_limit_holds_across_threads(self):
        limiter = RateLimiter(100)
        started = time.monotonic()
        threads = [threading.Thread(target=lambda: [limiter.wait() for _ in range(10)]) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # 40 calls at 100 per second: the last one may start no sooner than 0.39 s.
        self.assertGreaterEqual(time.monotonic() - started, 0.38)

    def test_clients_sharing_a_rate_limiter_share_its_limit(self):
        server = self.fake_nmbrs((200, PERIOD_OK, 0, True))
        limiter = RateLimiter(50)
        clients = [client_for(server, rate_limiter=limiter) for _ in range(2)]
        started = time.monotonic()
        threads = [threading.Thread(target=lambda client=client: [client.current_period(52001) for _ in range(10)])
                   for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # 20 calls at 50 per second in all: the last one starts no sooner than 0.38 s.
        self.assertGreaterEqual(time.monotonic() - started, 0.37)
        for client in clients:
            client.close()

    def test_dates_parse_while_a_test_clock_is_frozen(self):
        """Odoo tests freeze time with freezegun, which swaps ``datetime`` inside modules."""
        from odoo.tests import freeze_time
        with freeze_time('2026-03-16 09:00:00'):
            run = decode_sample('CompanyService.Run_GetList')[0]
        self.assertEqual(run.run_at, datetime(2024, 1, 24, 9, 15))

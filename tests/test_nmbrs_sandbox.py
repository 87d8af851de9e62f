"""The Nmbrs sandbox over real HTTP: SOAP 1.1/1.2, auth, data, documents, updates and fault knobs."""
import base64
import io
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from lxml import etree
from PyPDF2 import PdfReader

from odoo.tests import tagged

from odoo.addons.nmbrs_connector.nmbrs import api_facts
from odoo.addons.nmbrs_connector.nmbrs.sandbox import NmbrsSandbox, demo_dataset, sized_dataset

from .common import PlainSandboxCase
from .sandbox_fixture import child_texts, envelope, fault_text, nmbrs_fault, parse, post, result

DEBTOR, COMPANY, EMPLOYEE = api_facts.DEBTOR_SERVICE, api_facts.COMPANY_SERVICE, api_facts.EMPLOYEE_SERVICE
ADDON_ROOT = Path(__file__).resolve().parents[1]


def first_company(sandbox):
    return next(iter(sandbox.dataset.companies.values()))


def latest_run(sandbox, company):
    return sandbox.dataset.company_runs(company.id)[-1]


def pdf_text(data):
    return PdfReader(io.BytesIO(data), strict=True).pages[0].extract_text()


@tagged('post_install', '-at_install')
class TestNmbrsSandbox(PlainSandboxCase):
    """Tests that only read use the shared sandbox; tests that change data or knobs, a fresh one."""

    # --- SOAP versions and routing ---------------------------------------------------------------

    def test_soap11_call_is_answered_like_the_samples(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        year = sandbox.dataset.now().year
        response = post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', year)])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Content-Type'], api_facts.SOAP11_CONTENT_TYPE)
        self.assertTrue(response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope'))
        runs = result(response, COMPANY, 'Run_GetList')
        expected = sandbox.dataset.company_runs(company.id, year)
        self.assertEqual(child_texts(runs, 'ID'), [str(run.id) for run in expected])
        self.assertEqual([etree.QName(child).localname for child in runs[0]], [
            'ID', 'Number', 'Year', 'PeriodStart', 'PeriodEnd', 'Description', 'RunAt', 'IsLocked'])
        self.assertEqual(child_texts(runs, 'IsLocked')[-1], 'false')
        self.assertLessEqual(set(child_texts(runs, 'IsLocked')[:-1]), {'true'})

    def test_soap12_call_is_answered_in_soap12(self):
        sandbox = self.shared_sandbox
        for action in ['header', 'none']:
            with self.subTest(action=action):
                response = post(sandbox, DEBTOR, 'List_GetAll', version='1.2', action=action)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers['Content-Type'], api_facts.SOAP12_CONTENT_TYPE)
                self.assertEqual(etree.QName(parse(response)).namespace, api_facts.SOAP12_NS)
                debtors = result(response, DEBTOR, 'List_GetAll')
                self.assertEqual(child_texts(debtors, 'Name'),
                                 [debtor.name for debtor in sandbox.dataset.debtors.values()])

    def test_soap12_envelope_sent_as_text_xml_is_answered_in_soap12(self):
        """Some clients send a 1.2 envelope with Content-Type text/xml and no SOAPAction: the envelope decides."""
        sandbox = self.shared_sandbox
        data = envelope(DEBTOR, 'List_GetAll', version='1.2', credentials=sandbox.credentials)
        response = requests.post(sandbox.endpoint(DEBTOR), data=data,
                                 headers={'Content-Type': api_facts.SOAP11_CONTENT_TYPE}, timeout=10)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Content-Type'], api_facts.SOAP12_CONTENT_TYPE)

    def test_soap11_without_valid_action_gets_a_client_fault(self):
        sandbox = self.shared_sandbox
        for action in ['none', 'https://api.nmbrs.nl/soap/v3/CompanyService/No_Such_Operation']:
            with self.subTest(action=action):
                response = post(sandbox, COMPANY, 'List_GetAll', action=action)
                self.assertEqual(response.status_code, 500)
                self.assertEqual(parse(response).find('.//faultcode').text, 'soap:Client')
                self.assertEqual(fault_text(response), api_facts.INVALID_ACTION_FAULT)

    def test_unreadable_request_gets_a_client_fault(self):
        sandbox = self.shared_sandbox
        response = requests.post(sandbox.endpoint(COMPANY), data=b'<not-closed', timeout=10,
                                 headers={'Content-Type': api_facts.SOAP11_CONTENT_TYPE})
        self.assertEqual(response.status_code, 500)
        self.assertTrue(fault_text(response).startswith('Server was unable to read request.'))

    # --- authentication and access -----------------------------------------------------------------

    def test_wrong_credentials_give_1001_in_the_asmx_fault_shape(self):
        sandbox = self.shared_sandbox
        for wrong in ['username', 'token', 'domain']:
            for version in ['1.1', '1.2']:
                with self.subTest(wrong=wrong, version=version):
                    username, token, domain = sandbox.credentials
                    credentials = {'username': ('nobody@example.com', token, domain),
                                   'token': (username, 'x' * 32, domain),
                                   'domain': (username, token, 'otherdomain')}[wrong]
                    response = post(sandbox, COMPANY, 'List_GetAll', version=version, credentials=credentials)
                    self.assertEqual(response.status_code, 500)
                    root = parse(response)
                    if version == '1.1':
                        self.assertEqual(root.find('.//faultcode').text, 'soap:Server')
                        self.assertEqual(root.find('.//faultstring').text,
                                         nmbrs_fault(api_facts.ERROR_INVALID_AUTHENTICATION))
                    else:
                        soap = {'soap': api_facts.SOAP12_NS}
                        self.assertEqual(root.find('.//soap:Code/soap:Value', soap).text, 'soap:Receiver')
                        text = root.find('.//soap:Reason/soap:Text', soap)
                        self.assertEqual(text.get('{http://www.w3.org/XML/1998/namespace}lang'), 'en')
                        self.assertEqual(
                            text.text, 'Server was unable to process request. ---> 1001: Invalid Authentication')

    def test_missing_header_or_header_in_another_namespace_gives_1001(self):
        sandbox = self.shared_sandbox
        self.assertEqual(fault_text(post(sandbox, COMPANY, 'List_GetAll', credentials=None)), nmbrs_fault(1001))
        response = post(sandbox, COMPANY, 'List_GetAll', header_namespace=api_facts.namespace(DEBTOR))
        self.assertEqual(fault_text(response), nmbrs_fault(1001))

    def test_empty_domain_is_accepted(self):
        sandbox = self.shared_sandbox
        username, token, _ = sandbox.credentials
        self.assertEqual(post(sandbox, COMPANY, 'List_GetAll', credentials=(username, token, '')).status_code, 200)

    def test_environment_get_returns_domain_and_subdomain(self):
        sandbox = self.shared_sandbox
        for header in [api_facts.AUTH_HEADER_WITHOUT_DOMAIN, api_facts.AUTH_HEADER]:
            with self.subTest(header=header):
                response = post(sandbox, DEBTOR, 'Environment_Get', header=header)
                environment = result(response, DEBTOR, 'Environment_Get')
                self.assertEqual([(etree.QName(child).localname, child.text) for child in environment], [
                    ('Domain', 'kantoorvoorbeeld.nmbrs.nl'), ('SubDomain', 'kantoorvoorbeeld')])

    def test_v21_header_is_only_accepted_by_environment_get(self):
        sandbox = self.shared_sandbox
        response = post(sandbox, DEBTOR, 'List_GetAll', header=api_facts.AUTH_HEADER_WITHOUT_DOMAIN)
        self.assertEqual(fault_text(response), nmbrs_fault(1001))

    def test_switched_off_right_gives_1002(self):
        sandbox = self.fresh_sandbox()
        user = sandbox.dataset.users[sandbox.credentials.username]
        user.rights.discard('CompanyService.Run_GetList')
        company = first_company(sandbox)
        response = post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 2024)])
        self.assertEqual(response.status_code, 500)
        self.assertEqual(fault_text(response), nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_OPERATION))
        self.assertEqual(post(sandbox, COMPANY, 'List_GetAll').status_code, 200)

    def test_unknown_company_employee_and_debtor(self):
        sandbox = self.shared_sandbox
        self.assertEqual(fault_text(post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', 1), ('Year', 2024)])),
                         nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_COMPANY))
        self.assertEqual(fault_text(post(sandbox, EMPLOYEE, 'PersonalInfo_GetCurrent', [('EmployeeId', 1)])),
                         nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_EMPLOYEE))
        self.assertEqual(fault_text(post(sandbox, DEBTOR, 'Debtor_Get', [('DebtorId', 1)])),
                         nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_DEBTOR))

    def test_user_scoped_to_one_debtor_sees_only_its_companies(self):
        sandbox = self.fresh_sandbox()
        first_debtor, second_debtor = sandbox.dataset.debtors.values()
        sandbox.dataset.add_user('debiteur@example.com', 'scoped-token', debtor_ids={first_debtor.id})
        credentials = ('debiteur@example.com', 'scoped-token', 'kantoorvoorbeeld')
        companies = result(post(sandbox, COMPANY, 'List_GetAll', credentials=credentials), COMPANY, 'List_GetAll')
        self.assertEqual(child_texts(companies, 'ID'), [
            str(company.id) for company in sandbox.dataset.companies.values() if company.debtor_id == first_debtor.id])
        other_company = next(company for company in sandbox.dataset.companies.values()
                             if company.debtor_id == second_debtor.id)
        response = post(sandbox, COMPANY, 'Address_GetCurrent', [('CompanyId', other_company.id)],
                        credentials=credentials)
        self.assertEqual(fault_text(response), nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_COMPANY))
        response = post(sandbox, DEBTOR, 'Debtor_Get', [('DebtorId', second_debtor.id)], credentials=credentials)
        self.assertEqual(fault_text(response), nmbrs_fault(api_facts.ERROR_UNAUTHORIZED_DEBTOR))

    # --- data shapes -----------------------------------------------------------------------------------

    def test_lists_nil_values_and_unset_dates(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        empty = result(post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 1999)]),
                       COMPANY, 'Run_GetList')
        self.assertIsNotNone(empty)
        self.assertEqual(len(empty), 0)
        year = sandbox.dataset.now().year
        declarations = result(post(sandbox, COMPANY, 'WageTax_GetList',
                                   [('CompanyId', company.id), ('intYear', year)]), COMPANY, 'WageTax_GetList')
        latest = declarations[-1]
        self.assertEqual(latest.find('{*}Status').text, 'Created')
        self.assertEqual(latest.find('{*}SentAt').text, api_facts.UNSET_DATETIME)
        self.assertEqual(latest.find('{*}CorrectionTijdvakStart').get('{%s}nil' % api_facts.XSI_NS), 'true')
        self.assertLessEqual(set(child_texts(declarations, 'Status')), set(api_facts.SANDBOX_WAGE_TAX_STATUSES))

    def test_employees_have_dutch_names_and_personal_info(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        employees = result(post(sandbox, EMPLOYEE, 'List_GetByCompany',
                                [('CompanyId', company.id), ('EmployeeType', 1)]), EMPLOYEE, 'List_GetByCompany')
        names = child_texts(employees, 'DisplayName')
        self.assertTrue(any('Ünal' in name for name in names))
        self.assertTrue(any('Bakker-Çelik' in name for name in names))
        employee_id = child_texts(employees, 'Id')[0]
        info = result(post(sandbox, EMPLOYEE, 'PersonalInfo_GetCurrent', [('EmployeeId', employee_id)]),
                      EMPLOYEE, 'PersonalInfo_GetCurrent')
        self.assertEqual(info.find('{*}DeceasedDate').get('{%s}nil' % api_facts.XSI_NS), 'true')
        self.assertTrue(re.fullmatch(r'\d{9}', info.find('{*}BSN').text))
        self.assertIsNone(info.find('{*}Title'))  # null strings are left out
        addresses = result(post(sandbox, EMPLOYEE, 'Address_GetListCurrent', [('EmployeeId', employee_id)]),
                           EMPLOYEE, 'Address_GetListCurrent')
        self.assertEqual(child_texts(addresses, 'Type'), ['HomeAddress'])

    def test_payslip_pdfs_parse_and_differ_per_employee(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        run = latest_run(sandbox, company)
        texts = []
        for employee_id in list(run.pay)[:2]:
            response = post(sandbox, COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2', [
                ('EmployeeID', employee_id), ('CompanyId', company.id), ('RunID', run.id), ('intYear', run.year)])
            payslips = result(response, COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2')
            self.assertEqual([etree.QName(child).localname for child in payslips], ['Payslip'])
            pdf = base64.b64decode(payslips[0].find('{*}PDF').text)
            self.assertTrue(pdf.startswith(b'%PDF'))
            texts.append(pdf_text(pdf))
            self.assertIn(sandbox.dataset.employees[employee_id].last_name, texts[-1])
        self.assertNotEqual(texts[0], texts[1])
        response = post(sandbox, COMPANY, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2',
                        [('CompanyId', company.id), ('RunID', run.id), ('intYear', run.year)])
        combined = result(response, COMPANY, 'SalaryDocuments_GetAllPayslipsPDFByRunCompany_v2')
        self.assertTrue(pdf_text(base64.b64decode(combined.find('{*}PDF').text)).startswith('Loonstroken'))

    def test_sepa_journal_and_wage_tax_xml_are_escaped_documents(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        run = latest_run(sandbox, company)
        sepa = result(post(sandbox, COMPANY, 'SalaryDocuments_GetSEPA', [
            ('CompanyId', company.id), ('RunID', run.id), ('Year', run.year), ('paymentDate', '2024-01-25T00:00:00')]),
            COMPANY, 'SalaryDocuments_GetSEPA')
        self.assertEqual(len(sepa), 0)  # a string, not child elements
        document = etree.fromstring(sepa.text.encode())
        self.assertEqual(etree.QName(document).namespace, 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03')
        self.assertEqual(document.find('.//{*}ReqdExctnDt').text, '2024-01-25')
        self.assertEqual(len(document.findall('.//{*}CdtTrfTxInf')), len(run.pay))
        journal = result(post(sandbox, COMPANY, 'Journals_GetByRunCompany_v2', [
            ('CompanyId', company.id), ('RunId', run.id), ('intYear', run.year)]),
            COMPANY, 'Journals_GetByRunCompany_v2')
        self.assertEqual(etree.fromstring(journal.text.encode()).find('.//period').text,
                         '%d/%d' % (run.period, run.year))
        declaration = sandbox.dataset.company_declarations(company.id)[0]
        wage_tax = result(post(sandbox, COMPANY, 'WageTax_GetXML', [
            ('LoonaangifteID', declaration.id), ('CompanyId', company.id)]), COMPANY, 'WageTax_GetXML')
        self.assertEqual(etree.fromstring(wage_tax.text.encode()).find('.//{*}TotTeBet').text,
                         str(declaration.total_general))

    def test_annual_documents_exist_only_for_closed_years(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)
        year = sandbox.dataset.now().year
        last_year_run = sandbox.dataset.company_runs(company.id, year - 1)[-1]
        this_year_run = sandbox.dataset.company_runs(company.id, year)[-1]
        pdfs = set()
        for kind in api_facts.ANNUAL_DOCUMENT_KINDS:
            operation = api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + kind
            document = result(post(sandbox, COMPANY, operation, [
                ('CompanyId', company.id), ('RunId', last_year_run.id), ('Year', year - 1)]), COMPANY, operation)
            pdfs.add(base64.b64decode(document.find('{*}PDF').text))
        self.assertEqual(len(pdfs), 15)
        self.assertTrue(all(pdf.startswith(b'%PDF') for pdf in pdfs))
        operation = api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + 'PayrollRegister'
        response = post(sandbox, COMPANY, operation, [
            ('CompanyId', company.id), ('RunId', this_year_run.id), ('Year', year)])
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(result(response, COMPANY, operation))
        employee_id = next(iter(last_year_run.pay))
        statement = result(post(sandbox, EMPLOYEE, 'SalaryDocuments_GetAnnualStatementPDF', [
            ('EmployeeID', employee_id), ('intYear', year - 1)]), EMPLOYEE, 'SalaryDocuments_GetAnnualStatementPDF')
        self.assertIn('Jaaropgaaf %d' % (year - 1), pdf_text(base64.b64decode(statement.find('{*}PDF').text)))

    # --- updates and dataset changes -----------------------------------------------------------------------

    def test_updates_change_the_dataset(self):
        sandbox = self.fresh_sandbox()
        dataset = sandbox.dataset
        debtor = next(iter(dataset.debtors.values()))
        response = post(sandbox, DEBTOR, 'Debtor_Update', [('Debtor', [('Id', debtor.id), ('Number', '777'),
                                                                       ('Name', 'Holding Jansen & Zonen B.V.')])])
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(result(response, DEBTOR, 'Debtor_Update'))
        self.assertEqual((debtor.number, debtor.name), ('777', 'Holding Jansen & Zonen B.V.'))

        company = first_company(sandbox)
        old_address_id = company.address.id
        post(sandbox, COMPANY, 'Address_Update', [('CompanyId', company.id), ('Address', [
            ('Id', old_address_id), ('Default', 'true'), ('Street', 'Coolsingel'), ('HouseNumber', '40'),
            ('PostalCode', '3011 AD'), ('City', 'Rotterdam'), ('CountryISOCode', 'NL')])])
        self.assertEqual((company.address.street, company.address.city), ('Coolsingel', 'Rotterdam'))
        self.assertNotEqual(company.address.id, old_address_id)

        employee = dataset.company_employees(company.id)[0]
        post(sandbox, EMPLOYEE, 'PersonalInfo_UpdateCurrent', [('EmployeeId', employee.id), ('PersonalInfo', [
            ('Id', employee.id), ('LastName', 'Çelik'), ('EmailWork', 'nieuw@example.com'),
            ('Birthday', '1990-02-03T00:00:00')])])
        self.assertEqual((employee.last_name, employee.email_work, employee.birthday.year),
                         ('Çelik', 'nieuw@example.com', 1990))
        address = employee.addresses[0]
        response = post(sandbox, EMPLOYEE, 'Address_Update', [('EmployeeId', employee.id), ('Address', [
            ('Id', address.id), ('Street', 'Nieuwe Gracht'), ('Type', 'HomeAddress')])])
        self.assertEqual(result(response, EMPLOYEE, 'Address_Update').text, 'true')
        self.assertEqual(address.street, 'Nieuwe Gracht')
        self.assertEqual([update.operation for update in dataset.updates], [
            'Debtor_Update', 'Address_Update', 'PersonalInfo_UpdateCurrent', 'Address_Update'])
        self.assertEqual(dataset.updates[2].values['LastName'], 'Çelik')

    def test_tests_can_add_runs_lock_them_and_change_declarations(self):
        sandbox = self.fresh_sandbox()
        dataset = sandbox.dataset
        company = first_company(sandbox)
        newcomer = dataset.add_employee(company.id, 'Noor', 'Meer', prefix='van der')
        run = dataset.add_run(company.id, 2030, 1, locked=False)
        self.assertIn(newcomer.id, run.pay)
        runs = result(post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 2030)]),
                      COMPANY, 'Run_GetList')
        self.assertEqual(child_texts(runs, 'IsLocked'), ['false'])
        dataset.lock_run(run.id)
        declaration = dataset.declaration_for_period(company.id, 2030, 1)
        dataset.set_declaration_status(declaration.id, 'Verzonden', None)
        declarations = result(post(sandbox, COMPANY, 'WageTax_GetList', [('CompanyId', company.id), ('intYear', 2030)]),
                              COMPANY, 'WageTax_GetList')
        self.assertEqual(child_texts(declarations, 'Status'), ['Verzonden'])
        runs = result(post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 2030)]),
                      COMPANY, 'Run_GetList')
        self.assertEqual(child_texts(runs, 'IsLocked'), ['true'])
        dataset.set_payslips(run.id, newcomer.id, [b'%PDF-1.4 first', None])
        payslips = result(post(sandbox, COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2', [
            ('EmployeeID', newcomer.id), ('CompanyId', company.id), ('RunID', run.id), ('intYear', 2030)]),
            COMPANY, 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2')
        self.assertEqual([len(payslip) for payslip in payslips], [1, 0])

    def test_sized_dataset_has_the_requested_size(self):
        dataset = sized_dataset(companies=3, employees=4, runs=14, seed=7)
        self.assertEqual(len(dataset.companies), 3)
        self.assertEqual(len(dataset.employees), 12)
        self.assertEqual(len(dataset.runs), 42)
        self.assertEqual([run.is_locked for run in dataset.company_runs(52001)][-2:], [True, False])
        self.assertEqual(sized_dataset(3, 4, 14, seed=7).users.keys(), dataset.users.keys())

    # --- fault knobs ---------------------------------------------------------------------------------------

    def test_injected_soap_fault_after_n_calls_for_one_operation(self):
        sandbox = self.fresh_sandbox()
        rule = sandbox.faults.inject('soap_fault', 'DebtorService.List_GetAll', after=2, times=1, code=2011)
        statuses = [post(sandbox, DEBTOR, 'List_GetAll').status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 500, 200])
        self.assertEqual(post(sandbox, COMPANY, 'List_GetAll').status_code, 200)
        self.assertEqual(rule.fired, 1)
        self.assertEqual([call.injected for call in sandbox.calls.of('DebtorService.List_GetAll')], [
            None, None, 'soap_fault', None])

    def test_injected_soap_fault_text(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.inject('soap_fault', 'List_GetAll', code=api_facts.ERROR_UNKNOWN)
        self.assertEqual(fault_text(post(sandbox, DEBTOR, 'List_GetAll')), nmbrs_fault(api_facts.ERROR_UNKNOWN))

    def test_http_errors_without_soap_body(self):
        for kind, status in [('http_500', 500), ('http_503', 503)]:
            with self.subTest(kind=kind, status=status):
                sandbox = self.fresh_sandbox()
                sandbox.faults.inject(kind)
                response = post(sandbox, DEBTOR, 'List_GetAll')
                self.assertEqual(response.status_code, status)
                self.assertTrue(response.headers['Content-Type'].startswith('text/html'))

    def test_timeout_outlasts_the_client_read_timeout(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.inject('timeout', seconds=2)
        with self.assertRaises(requests.Timeout):
            post(sandbox, DEBTOR, 'List_GetAll', timeout=0.3)

    def test_dropped_connection(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.inject('drop', times=1)
        with self.assertRaises(requests.ConnectionError):
            post(sandbox, DEBTOR, 'List_GetAll')
        self.assertEqual(post(sandbox, DEBTOR, 'List_GetAll').status_code, 200)

    def test_broken_xml(self):
        for kind in ['truncated', 'malformed']:
            with self.subTest(kind=kind):
                sandbox = self.fresh_sandbox()
                sandbox.faults.inject(kind)
                response = post(sandbox, DEBTOR, 'List_GetAll')
                self.assertEqual(response.status_code, 200)
                with self.assertRaises(etree.XMLSyntaxError):
                    parse(response)

    def test_huge_response_is_still_the_real_answer(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.inject('huge', size=3 * 1024 * 1024 + 123)
        response = post(sandbox, DEBTOR, 'List_GetAll')
        self.assertEqual(len(response.content), 3 * 1024 * 1024 + 123)
        self.assertEqual(len(result(response, DEBTOR, 'List_GetAll')), len(sandbox.dataset.debtors))

    def test_entity_expansion_payload(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.inject('entity_expansion')
        response = post(sandbox, DEBTOR, 'List_GetAll')
        self.assertIn(b'<!DOCTYPE', response.content)
        self.assertIn(b'<!ENTITY lol9', response.content)
        unexpanded = result(response, DEBTOR, 'List_GetAll')  # the safe parser leaves the entity alone
        self.assertLess(len(etree.tostring(unexpanded)), 1000)

    def test_random_faults_are_reproducible_with_a_seed(self):
        sandbox = self.fresh_sandbox()
        outcomes = []
        for _ in range(2):
            sandbox.faults.clear()
            sandbox.faults.inject('http_503', probability=0.5, seed=42)
            outcomes.append([post(sandbox, DEBTOR, 'List_GetAll').status_code for _ in range(12)])
        self.assertEqual(outcomes[0], outcomes[1])
        self.assertEqual(set(outcomes[0]), {200, 503})

    def test_latency_overall_and_per_operation(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.set_latency(0.3, 'Environment_Get')
        started = time.monotonic()
        post(sandbox, DEBTOR, 'List_GetAll')
        self.assertLess(time.monotonic() - started, 0.25)
        started = time.monotonic()
        post(sandbox, DEBTOR, 'Environment_Get')
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        sandbox.faults.set_latency(0.2)
        started = time.monotonic()
        post(sandbox, DEBTOR, 'List_GetAll')
        self.assertGreaterEqual(time.monotonic() - started, 0.2)

    def test_rate_limiter_delays_calls_above_the_limit(self):
        sandbox = self.fresh_sandbox()
        sandbox.faults.set_rate_limit(3)
        session_started = time.monotonic()
        for _ in range(4):
            post(sandbox, DEBTOR, 'List_GetAll')
        self.assertGreaterEqual(time.monotonic() - session_started, 0.5)

    def test_call_log_records_and_clears(self):
        sandbox = self.fresh_sandbox()
        company = first_company(sandbox)
        post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 2024)], version='1.2')
        call, = sandbox.calls.all()
        self.assertEqual((call.service, call.operation, call.soap_version), (COMPANY, 'Run_GetList', '1.2'))
        self.assertEqual(call.parameters, {'CompanyId': str(company.id), 'Year': '2024'})
        self.assertEqual(call.username, sandbox.credentials.username)
        self.assertLessEqual(call.timestamp, time.time())
        sandbox.calls.clear()
        self.assertEqual(len(sandbox.calls), 0)

    def test_concurrent_clients(self):
        sandbox = self.shared_sandbox
        company = first_company(sandbox)

        def call(_):
            return post(sandbox, COMPANY, 'Run_GetList', [('CompanyId', company.id), ('Year', 2024)]).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            self.assertEqual(set(pool.map(call, range(48))), {200})

    def test_control_endpoint_steers_a_running_sandbox(self):
        sandbox = self.fresh_sandbox()
        control = sandbox.base_url + '/_sandbox/'
        self.assertEqual(requests.get(control + 'credentials', timeout=5).json()['token'], sandbox.credentials.token)
        response = requests.post(control + 'faults', json={'kind': 'http_503', 'times': 1}, timeout=5)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(post(sandbox, DEBTOR, 'List_GetAll').status_code, 503)
        company = first_company(sandbox)
        run = requests.post(control + 'runs', json={'company_id': company.id, 'year': 2031, 'period': 2},
                            timeout=5).json()
        self.assertTrue(run['is_locked'])
        self.assertEqual(sandbox.dataset.runs[run['id']].year, 2031)
        calls = requests.get(control + 'calls', timeout=5).json()
        self.assertEqual([call['injected'] for call in calls], ['http_503'])
        self.assertEqual(requests.post(control + 'faults', json={'kind': 'nonsense'}, timeout=5).status_code, 400)

    def test_stop_wakes_sleeping_handlers(self):
        sandbox = NmbrsSandbox(demo_dataset()).start()
        sandbox.faults.inject('timeout', seconds=60)
        with self.assertRaises(requests.Timeout):
            post(sandbox, DEBTOR, 'List_GetAll', timeout=0.5)
        started = time.monotonic()
        sandbox.stop()
        self.assertLess(time.monotonic() - started, 5)

    # --- standalone ------------------------------------------------------------------------------------------

    def test_standalone_start_answers_one_envelope(self):
        process = subprocess.Popen([sys.executable, '-m', 'nmbrs.sandbox', '--port', '0', '--dataset', 'demo'],
                                   cwd=ADDON_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            banner = [process.stdout.readline() for _ in range(4)]
            url = re.search(r'(http://127\.0\.0\.1:\d+/soap/v3/)', banner[0]).group(1)
            username = banner[1].split(':', 1)[1].strip()
            token = banner[2].split(':', 1)[1].strip()
            data = envelope(DEBTOR, 'Environment_Get', credentials=(username, token, None),
                            header=api_facts.AUTH_HEADER_WITHOUT_DOMAIN)
            response = requests.post(api_facts.endpoint(url, DEBTOR), data=data, timeout=10, headers={
                'Content-Type': api_facts.SOAP11_CONTENT_TYPE,
                'SOAPAction': api_facts.soap_action(DEBTOR, 'Environment_Get')})
            self.assertEqual(response.status_code, 200)
            self.assertIn(b'<SubDomain>kantoorvoorbeeld</SubDomain>', response.content)
        finally:
            process.terminate()
            self.assertEqual(process.wait(timeout=10), 0)

"""The plain-Python Nmbrs client against the local Nmbrs sandbox, over real HTTP.

Every client method is called on the demo dataset and its typed result is
compared with the sandbox's own records (and, for documents, with what the
sandbox renders for them); every update is read back from the dataset. Every
error the client knows is provoked through the sandbox (wrong credentials,
switched-off rights, unknown records, injected faults, a closed port) and
checked for its exception class, an actionable message, retry behaviour and
the absence of the API token in the error and in the logs.

test_nmbrs_client_samples.py covers parsing of the recorded samples and the
transport against a tiny hand-written server; test_nmbrs_sandbox.py covers the
sandbox with hand-built envelopes.
"""
import bisect
import dataclasses
import logging
import socket
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from lxml import etree

from odoo.tests import tagged

from odoo.addons.nmbrs_connector.nmbrs import api_facts
from odoo.addons.nmbrs_connector.nmbrs.client import NmbrsClient
from odoo.addons.nmbrs_connector.nmbrs.dates import from_dutch_time
from odoo.addons.nmbrs_connector.nmbrs.errors import (
    NmbrsAccessError,
    NmbrsAuthenticationError,
    NmbrsConnectionError,
    NmbrsHTTPError,
    NmbrsPermissionError,
    NmbrsResponseError,
    NmbrsSubscriptionError,
    NmbrsTimeout,
    NmbrsUnknownError,
)
from odoo.addons.nmbrs_connector.nmbrs.records import (
    Address,
    Company,
    CurrentPeriod,
    Debtor,
    Employee,
    EmployeeAddress,
    EmployeeType,
    Environment,
    PersonalInfo,
    Run,
    RunEmployee,
    WageTax,
)
from odoo.addons.nmbrs_connector.nmbrs.sandbox import documents
from odoo.addons.nmbrs_connector.nmbrs.sandbox.dataset import EMPLOYEE_TYPE_EMPLOYED, EMPLOYEE_TYPE_LEFT

from .common import PlainSandboxCase

VERSIONS = ('1.1', '1.2')
PAIN_001 = '{%s}' % documents.PAIN_001_NAMESPACE
PAYMENT_DATE = date(2025, 1, 24)


def companies(sandbox):
    return list(sandbox.dataset.companies.values())


def last_run(sandbox, company, year):
    return sandbox.dataset.company_runs(company.id, year)[-1]


def windowed_maximum(stamps, width=1.0):
    """The most timestamps within any half-open window of ``width`` seconds."""
    stamps = sorted(stamps)
    return max(bisect.bisect_left(stamps, start + width) - index for index, start in enumerate(stamps))


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@tagged('post_install', '-at_install')
class TestNmbrsClientSandbox(PlainSandboxCase):
    """Tests that only read data use the shared sandbox (faults are cleared around each test);
    tests that change its data or its users, a fresh one."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self.clean_sandbox)

    # ---------------------------------------------------------------- sandboxes, clients and logs

    def clean_sandbox(self):
        """The shared sandbox with no faults and an empty call log, also after the test."""
        self.shared_sandbox.faults.clear()
        self.shared_sandbox.calls.clear()
        return self.shared_sandbox

    def connect(self, sandbox, soap_version='1.1', *, username=None, token=None, domain=None, **options):
        """A client of the sandbox's user, closed after the test.

        Retries are on (max_retries=2) without backoff, so "not retried" is always checked
        against a client that would retry; timeouts are short.
        """
        credentials = sandbox.credentials
        options = {'backoff': 0, 'connect_timeout': 2.0, 'read_timeout': 10.0, 'max_retries': 2, **options}
        client = NmbrsClient(
            credentials.username if username is None else username,
            credentials.token if token is None else token,
            credentials.domain if domain is None else domain,
            base_url=sandbox.url, soap_version=soap_version, **options)
        self.addCleanup(client.close)
        return client

    def logs(self):
        """Everything logged, down to DEBUG, by the client and by requests/urllib3."""
        # Odoo sets the level of its 'odoo' logger, so set the addon's own.
        return self.capture_logs('odoo.addons.nmbrs_connector', 'urllib3')

    # ---------------------------------------------------------------- helpers

    def closed_year(self, sandbox):
        year = sandbox.dataset.now().year - 1
        self.assertTrue(all(sandbox.dataset.year_closed(company.id, year) for company in companies(sandbox)))
        return year

    def open_year(self, sandbox):
        year = sandbox.dataset.now().year
        self.assertFalse(any(sandbox.dataset.year_closed(company.id, year) for company in companies(sandbox)))
        return year

    def expect_error(self, error_class, call, logs, *secrets):
        """The ``error_class`` error ``call()`` raises; checks no secret shows in it or in the logs."""
        with self.assertRaises(error_class) as caught:
            call()
        error = caught.exception
        self.assertIs(type(error), error_class)
        self.assertTrue(error.message)
        self.assertEqual(str(error), error.message)
        texts = [str(error), repr(error), error.message, error.detail or '', repr(error.args),
                 ''.join(traceback.format_exception(error))]
        texts += [record.getMessage() for record in logs.records]
        texts += logs.output
        for secret in secrets:
            self.assertTrue(secret)
            for text in texts:
                self.assertNotIn(secret, text)
        return error

    # ---------------------------------------------------------------- debtors

    def test_environment_get(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                self.assertEqual(client.environment_get(), Environment(
                    domain=sandbox.dataset.domain_host, subdomain=sandbox.credentials.domain))
                call, = sandbox.calls.all()
                self.assertEqual((call.operation, call.soap_version), ('Environment_Get', client.soap_version))

    def test_debtors_and_debtor(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                expected = [Debtor(id=debtor.id, number=debtor.number, name=debtor.name)
                            for debtor in sandbox.dataset.debtors.values()]
                self.assertEqual(len(expected), 2)
                self.assertEqual(client.debtors(), expected)
                for debtor in expected:
                    self.assertEqual(client.debtor(debtor.id), debtor)

    # ---------------------------------------------------------------- companies

    def test_companies_match_the_dataset(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                found = client.companies()
                self.assertTrue(all(isinstance(company, Company) for company in found))
                self.assertEqual(
                    [(company.id, company.number, company.name, company.kvk_number) for company in found],
                    [(company.id, company.number, company.name, company.kvk_nr) for company in companies(sandbox)])
                for record, company in zip(found, companies(sandbox)):
                    self.assertEqual((record.phone_number, record.email, record.website, record.wage_tax_period), (
                        company.phone_number, company.email, company.website, company.loonaangifte_tijdvak))
                    self.assertIsNone(record.fax_number)  # the demo has no fax numbers: the element is left out

    def test_companies_by_debtor(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                for debtor in sandbox.dataset.debtors.values():
                    expected = [company.id for company in companies(sandbox) if company.debtor_id == debtor.id]
                    self.assertTrue(expected)
                    self.assertEqual([company.id for company in client.companies_by_debtor(debtor.id)], expected)

    def test_current_period(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                for company in companies(sandbox):
                    year, period = sandbox.dataset.current_period(company.id)
                    current = client.current_period(company.id)
                    self.assertEqual(current, CurrentPeriod(year=year, period=period, period_type='M'))
                    self.assertEqual(current.periods_per_year, 12)

    def test_runs_with_their_lock(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[2]
                for year in (self.closed_year(sandbox), self.open_year(sandbox)):
                    expected = sandbox.dataset.company_runs(company.id, year)
                    runs = client.runs(company.id, year)
                    self.assertEqual(runs, [Run(id=run.id, number=run.number, year=run.year,
                                                period_start=run.period_start, period_end=run.period_end,
                                                description=run.description, run_at=from_dutch_time(run.run_at),
                                                is_locked=run.is_locked) for run in expected])
                # Only the latest run of the company is still open.
                self.assertEqual([run.is_locked for run in runs], [True] * (len(runs) - 1) + [False])
                self.assertTrue(all(run.is_locked for run in client.runs(company.id, self.closed_year(sandbox))))

    def test_no_runs_in_a_year_is_an_empty_list(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                year = self.closed_year(sandbox) - 3
                self.assertEqual(sandbox.dataset.company_runs(company.id, year), [])
                self.assertEqual(client.runs(company.id, year), [])
                self.assertEqual(client.wage_taxes(company.id, year), [])

    def test_run_employees(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[1]
                for year in (self.closed_year(sandbox), self.open_year(sandbox)):
                    run = last_run(sandbox, company, year)
                    expected = [RunEmployee(employee_id=employee_id,
                                            employee_number=sandbox.dataset.employees[employee_id].number)
                                for employee_id in run.pay]
                    self.assertTrue(expected)
                    self.assertEqual(client.run_employees(company.id, run.id, year), expected)
                # The leaver was paid last year but is not in this year's runs.
                leaver = next(employee for employee in sandbox.dataset.company_employees(company.id)
                              if employee.employee_type == EMPLOYEE_TYPE_LEFT)
                last_year = client.run_employees(company.id, last_run(sandbox, company, self.closed_year(sandbox)).id,
                                                 self.closed_year(sandbox))
                this_year = client.run_employees(company.id, last_run(sandbox, company, self.open_year(sandbox)).id,
                                                 self.open_year(sandbox))
                self.assertIn(leaver.id, [item.employee_id for item in last_year])
                self.assertNotIn(leaver.id, [item.employee_id for item in this_year])

    def test_run_employees_of_an_unknown_run_is_an_empty_list(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                self.assertEqual(client.run_employees(company.id, 1, self.open_year(sandbox)), [])

    def test_wage_taxes(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[1]
                for year in (self.closed_year(sandbox), self.open_year(sandbox)):
                    declarations = sandbox.dataset.company_declarations(company.id, year)
                    self.assertEqual(client.wage_taxes(company.id, year), [WageTax(
                        id=declaration.id, serial_number=declaration.serial_number,
                        payment_reference=declaration.payment_reference, total_general=declaration.total_general,
                        period=declaration.period, year=declaration.year, status=declaration.status,
                        sent_at=declaration.sent_at and from_dutch_time(declaration.sent_at),
                        period_start=declaration.tijdvak_start.date(),
                        period_end=declaration.tijdvak_end.date()) for declaration in declarations])
                statuses = [wage_tax.status for wage_tax in client.wage_taxes(company.id, self.closed_year(sandbox))]
                self.assertEqual(statuses[2], 'SentExternal')
                self.assertEqual(statuses.count('Sent'), 11)
                latest = client.wage_taxes(company.id, self.open_year(sandbox))[-1]
                self.assertEqual((latest.status, latest.sent_at), ('Created', None))  # 0001-01-01 reads as None

    def test_wage_tax_xml(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                seen = set()
                for wage_tax in client.wage_taxes(company.id, self.closed_year(sandbox))[:3]:
                    xml = client.wage_tax_xml(company.id, wage_tax.id)
                    self.assertIsInstance(xml, bytes)
                    with sandbox.dataset.lock:
                        self.assertEqual(xml, documents.wage_tax_xml(
                            sandbox.dataset, sandbox.dataset.declarations[wage_tax.id]).encode('utf-8'))
                    root = etree.fromstring(xml)
                    self.assertEqual(etree.QName(root).localname, 'Loonaangifte')
                    self.assertEqual(root.find('.//{*}IdBer').text, 'NMBRS-%d' % wage_tax.id)
                    self.assertEqual(root.find('.//{*}TotTeBet').text, str(wage_tax.total_general))
                    self.assertEqual(root.find('.//{*}NmIP').text, company.name)
                    seen.add(xml)
                self.assertEqual(len(seen), 3)

    def test_wage_tax_xml_of_another_company_is_missing(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                first, second = companies(sandbox)[:2]
                other_declaration = sandbox.dataset.company_declarations(second.id)[0]
                self.assertIsNone(client.wage_tax_xml(first.id, other_declaration.id))

    def test_employee_payslips_are_pdfs_that_differ_per_employee(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                year = self.closed_year(sandbox)
                run = last_run(sandbox, company, year)
                pdfs = []
                for employee_id in run.pay:
                    payslips = client.employee_payslips(company.id, run.id, year, employee_id)
                    self.assertEqual(len(payslips), 1)
                    pdf = payslips[0]
                    self.assertIsInstance(pdf, bytes)
                    self.assertTrue(pdf.startswith(b'%PDF'))
                    self.assertTrue(pdf.rstrip().endswith(b'%%EOF'))
                    with sandbox.dataset.lock:
                        self.assertEqual(
                            pdf, documents.payslip_pdf(sandbox.dataset, run, sandbox.dataset.employees[employee_id]))
                    pdfs.append(pdf)
                self.assertEqual(len(pdfs), len(run.pay))
                self.assertGreaterEqual(len(run.pay), 3)
                self.assertEqual(len(set(pdfs)), len(pdfs))

    def test_employee_payslips_of_someone_not_in_the_run(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[1]
                leaver = next(employee for employee in sandbox.dataset.company_employees(company.id)
                              if employee.employee_type == EMPLOYEE_TYPE_LEFT)
                run = last_run(sandbox, company, self.open_year(sandbox))
                self.assertEqual(client.employee_payslips(company.id, run.id, run.year, leaver.id), [])

    def test_all_payslips(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[3]
                year = self.open_year(sandbox)
                run = last_run(sandbox, company, year)
                pdf = client.all_payslips(company.id, run.id, year)
                self.assertTrue(pdf.startswith(b'%PDF'))
                with sandbox.dataset.lock:
                    self.assertEqual(pdf, documents.all_payslips_pdf(sandbox.dataset, run))
                self.assertIsNone(client.all_payslips(company.id, 1, year))  # unknown run: no Result

    def test_sepa(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                year = self.closed_year(sandbox)
                run = last_run(sandbox, company, year)
                xml = client.sepa(company.id, run.id, year, PAYMENT_DATE)
                with sandbox.dataset.lock:
                    self.assertEqual(xml, documents.sepa_xml(
                        sandbox.dataset, run, datetime.combine(PAYMENT_DATE, datetime.min.time())).encode('utf-8'))
                root = etree.fromstring(xml)
                self.assertEqual(root.tag, PAIN_001 + 'Document')
                self.assertEqual(root.find('.//%sReqdExctnDt' % PAIN_001).text, PAYMENT_DATE.isoformat())
                transfers = root.findall('.//%sCdtTrfTxInf' % PAIN_001)
                self.assertEqual(len(transfers), len(run.pay))
                self.assertEqual([transfer.find('%sCdtr/%sNm' % (PAIN_001, PAIN_001)).text for transfer in transfers], [
                    sandbox.dataset.employees[employee_id].display_name for employee_id in run.pay])
                self.assertEqual(root.find('.//%sCtrlSum' % PAIN_001).text,
                                 '%.2f' % sum(pay.net for pay in run.pay.values()))

    def test_sepa_tax(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[4]
                year = self.closed_year(sandbox)
                run = last_run(sandbox, company, year)
                declaration = sandbox.dataset.declaration_for_period(company.id, year, run.period)
                xml = client.sepa_tax(company.id, run.id, year, declaration.id, PAYMENT_DATE)
                root = etree.fromstring(xml)
                self.assertEqual(root.find('.//%sCdtTrfTxInf/%sCdtr/%sNm' % (PAIN_001, PAIN_001, PAIN_001)).text,
                                 'Belastingdienst')
                self.assertEqual(root.find('.//%sInstdAmt' % PAIN_001).text, '%.2f' % declaration.total_general)
                self.assertEqual(root.find('.//%sUstrd' % PAIN_001).text, declaration.payment_reference)
                self.assertEqual(root.find('.//%sReqdExctnDt' % PAIN_001).text, PAYMENT_DATE.isoformat())
                self.assertIsNone(client.sepa_tax(company.id, run.id, year, 1, PAYMENT_DATE))

    def test_journal(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[2]
                year = self.closed_year(sandbox)
                run = last_run(sandbox, company, year)
                xml = client.journal(company.id, run.id, year)
                root = etree.fromstring(xml)
                self.assertEqual(root.tag, 'transactions')
                self.assertEqual(root.find('.//period').text, '%d/%d' % (run.period, year))
                values = {line.find('dim1').text: line.find('value').text for line in root.iter('line')}
                self.assertEqual(values, {
                    '4000': '%.2f' % sum(pay.gross for pay in run.pay.values()),
                    '1600': '%.2f' % sum(pay.wage_tax for pay in run.pay.values()),
                    '1620': '%.2f' % sum(pay.pension for pay in run.pay.values()),
                    '1610': '%.2f' % sum(pay.net for pay in run.pay.values()),
                })
                self.assertIsNone(client.journal(company.id, 1, year))

    def test_annual_document_of_a_closed_year(self):
        for kind in api_facts.ANNUAL_DOCUMENT_KINDS:
            for version in VERSIONS:
                with self.subTest(kind=kind, version=version):
                    sandbox = self.clean_sandbox()
                    client = self.connect(sandbox, version)
                    company = companies(sandbox)[0]
                    year = self.closed_year(sandbox)
                    pdf = client.annual_document(kind, company.id, last_run(sandbox, company, year).id, year)
                    self.assertTrue(pdf.startswith(b'%PDF'))
                    with sandbox.dataset.lock:
                        self.assertEqual(pdf, documents.annual_document_pdf(sandbox.dataset, company, year, kind))
                    call, = sandbox.calls.all()
                    self.assertEqual(call.operation, api_facts.ANNUAL_DOCUMENT_OPERATION_PREFIX + kind)

    def test_annual_documents_differ_per_kind(self):
        sandbox = self.clean_sandbox()
        client = self.connect(sandbox)
        company = companies(sandbox)[1]
        year = self.closed_year(sandbox)
        run_id = last_run(sandbox, company, year).id
        pdfs = {client.annual_document(kind, company.id, run_id, year) for kind in api_facts.ANNUAL_DOCUMENT_KINDS}
        self.assertEqual(len(pdfs), 15)

    def test_annual_document_of_an_open_year_is_none(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[0]
                year = self.open_year(sandbox)
                run_id = last_run(sandbox, company, year).id
                for kind in ('AnualStatement', 'PayrollRegister'):
                    self.assertIsNone(client.annual_document(kind, company.id, run_id, year))

    def test_annual_statement(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[3]
                year = self.closed_year(sandbox)
                employees = sandbox.dataset.company_employees(company.id)
                statements = []
                for employee in employees:
                    pdf = client.annual_statement(employee.id, year)
                    self.assertTrue(pdf.startswith(b'%PDF'))
                    with sandbox.dataset.lock:
                        self.assertEqual(pdf, documents.annual_statement_pdf(sandbox.dataset, employee, year))
                    statements.append(pdf)
                self.assertEqual(len(set(statements)), len(employees))
                self.assertIsNone(client.annual_statement(employees[0].id, self.open_year(sandbox)))

    def test_company_address(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                for company in companies(sandbox):
                    address = company.address
                    self.assertEqual(client.company_address(company.id), Address(
                        id=address.id, default=address.default, street=address.street,
                        house_number=address.house_number, house_number_addition=address.house_number_addition,
                        postal_code=address.postal_code, city=address.city, state_province=address.state_province,
                        country_iso_code=address.country_iso_code))

    # ---------------------------------------------------------------- employees

    def test_employee_types(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                self.assertEqual(client.employee_types(), [EmployeeType(id=type_id, description=description)
                                                           for type_id, description in sandbox.dataset.employee_types])

    def test_employees_by_type(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                company = companies(sandbox)[1]
                employees = sandbox.dataset.company_employees(company.id)
                for employee_type in (EMPLOYEE_TYPE_EMPLOYED, EMPLOYEE_TYPE_LEFT):
                    expected = [Employee(id=employee.id, number=employee.number, display_name=employee.display_name)
                                for employee in employees if employee.employee_type == employee_type]
                    self.assertTrue(expected)
                    self.assertEqual(client.employees(company.id, employee_type), expected)
                self.assertEqual(client.employees(company.id, 2), [])

    def test_all_employees_lists_every_type_and_each_employee_once(self):
        fresh_sandbox = self.fresh_sandbox()
        dataset = fresh_sandbox.dataset
        # A type listed twice makes Nmbrs answer the same employees twice.
        dataset.employee_types = dataset.employee_types + ((EMPLOYEE_TYPE_EMPLOYED, 'Werknemer (kopie)'),)
        client = self.connect(fresh_sandbox)
        for company in companies(fresh_sandbox):
            found = client.all_employees(company.id)
            self.assertEqual([employee.id for employee in found], [
                employee.id for employee in dataset.company_employees(company.id)])
            self.assertTrue(all(isinstance(employee, Employee) for employee in found))
        self.assertEqual(len(fresh_sandbox.calls.of('EmployeeService.List_GetByCompany')), 4 * len(dataset.companies))
        # The types do not change within a session: asked once.
        self.assertEqual(len(fresh_sandbox.calls.of('EmployeeService.EmployeeType_GetList')), 1)

    def test_personal_info_keeps_non_ascii_names(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                employees = list(sandbox.dataset.employees.values())
                non_ascii = [employee for employee in employees
                             if not (employee.first_name + employee.last_name + (employee.prefix or '')).isascii()]
                self.assertGreaterEqual(len(non_ascii), 5)
                for employee in employees:
                    info = client.personal_info(employee.id)
                    self.assertIsInstance(info, PersonalInfo)
                    self.assertEqual((info.id, info.number, info.employee_number),
                                     (employee.id, employee.number, employee.employee_number))
                    self.assertEqual(
                        (info.first_name, info.prefix, info.last_name, info.display_name, info.initials),
                        (employee.first_name, employee.prefix, employee.last_name, employee.display_name,
                         employee.initials))
                    self.assertEqual(
                        (info.bsn, info.gender, info.email_private, info.email_work, info.marital_status),
                        (employee.bsn, employee.gender, employee.email_private, employee.email_work,
                         employee.burgerlijke_staat))
                    self.assertEqual(info.birthday, employee.birthday.date())
                    self.assertEqual(info.creation_date, from_dutch_time(employee.creation_date))
                    self.assertIsNone(info.deceased_date)
                    self.assertIsNone(info.title)

    def test_employee_addresses(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                client = self.connect(sandbox, version)
                for employee in list(sandbox.dataset.employees.values())[:6]:
                    self.assertEqual(client.employee_addresses(employee.id), [EmployeeAddress(
                        id=address.id, default=address.default, street=address.street,
                        house_number=address.house_number, house_number_addition=address.house_number_addition,
                        postal_code=address.postal_code, city=address.city, state_province=address.state_province,
                        country_iso_code=address.country_iso_code, type=address.type)
                        for address in employee.addresses])

    # ---------------------------------------------------------------- updates

    def test_update_debtor(self):
        for soap_version in VERSIONS:
            with self.subTest(soap_version=soap_version):
                fresh_sandbox = self.fresh_sandbox()
                client = self.connect(fresh_sandbox, soap_version)
                debtor = client.debtors()[0]
                client.update_debtor(
                    dataclasses.replace(debtor, number='4242', name='Holding Jansen & Öztürk B.V.'))
                stored = fresh_sandbox.dataset.debtors[debtor.id]
                self.assertEqual((stored.number, stored.name), ('4242', 'Holding Jansen & Öztürk B.V.'))
                self.assertEqual(client.debtor(debtor.id),
                                 Debtor(id=debtor.id, number='4242', name='Holding Jansen & Öztürk B.V.'))
                # The whole debtor is replaced: a field left None is emptied.
                client.update_debtor(Debtor(id=debtor.id, name='Alleen Naam B.V.'))
                self.assertEqual((stored.number, stored.name), ('', 'Alleen Naam B.V.'))
                update = fresh_sandbox.dataset.updates[-1]
                self.assertEqual((update.operation, update.target_id), ('Debtor_Update', debtor.id))

    def test_update_company_address(self):
        for soap_version in VERSIONS:
            with self.subTest(soap_version=soap_version):
                fresh_sandbox = self.fresh_sandbox()
                client = self.connect(fresh_sandbox, soap_version)
                company = companies(fresh_sandbox)[0]
                old = client.company_address(company.id)
                new = dataclasses.replace(old, street='Oudegracht', house_number='231', house_number_addition='bis',
                                          postal_code='3511 NK', city="'s-Hertogenbosch",
                                          state_province='Noord-Brabant')
                self.assertIsNone(client.update_company_address(company.id, new))
                stored = fresh_sandbox.dataset.companies[company.id].address
                self.assertEqual(
                    (stored.street, stored.house_number, stored.house_number_addition, stored.postal_code, stored.city),
                    ('Oudegracht', '231', 'bis', '3511 NK', "'s-Hertogenbosch"))
                self.assertNotEqual(stored.id, old.id)  # Nmbrs replaces the address
                self.assertEqual(client.company_address(company.id), dataclasses.replace(new, id=stored.id))

    def test_update_personal_info(self):
        for soap_version in VERSIONS:
            with self.subTest(soap_version=soap_version):
                fresh_sandbox = self.fresh_sandbox()
                client = self.connect(fresh_sandbox, soap_version)
                company = companies(fresh_sandbox)[0]
                employee = fresh_sandbox.dataset.company_employees(company.id)[0]
                info = client.personal_info(employee.id)
                changed = dataclasses.replace(info, first_name='Zoë', prefix="'t", last_name='Çelik-Öztürk',
                                              nickname='Zoë', email_work='z.celik@example.com',
                                              birthday=date(1990, 2, 3), telephone_other='+31 6 1234 5678')
                self.assertIsNone(client.update_personal_info(employee.id, changed))
                self.assertEqual((employee.first_name, employee.prefix, employee.last_name, employee.nickname), (
                    'Zoë', "'t", 'Çelik-Öztürk', 'Zoë'))
                self.assertEqual((employee.email_work, employee.telephone_other),
                                 ('z.celik@example.com', '+31 6 1234 5678'))
                self.assertEqual(employee.birthday, datetime(1990, 2, 3))
                read_back = client.personal_info(employee.id)
                self.assertEqual(read_back, dataclasses.replace(changed, display_name="Zoë 't Çelik-Öztürk"))
                # The other employees are untouched.
                other = fresh_sandbox.dataset.company_employees(company.id)[1]
                self.assertEqual(client.personal_info(other.id).last_name, other.last_name)
                self.assertNotEqual(other.last_name, 'Çelik-Öztürk')

    def test_update_employee_address(self):
        for soap_version in VERSIONS:
            with self.subTest(soap_version=soap_version):
                fresh_sandbox = self.fresh_sandbox()
                client = self.connect(fresh_sandbox, soap_version)
                employee = next(iter(fresh_sandbox.dataset.employees.values()))
                address = client.employee_addresses(employee.id)[0]
                changed = dataclasses.replace(address, street='Nieuwe Gracht', house_number='7',
                                              house_number_addition='A', postal_code='2011 NB', city='Haarlem',
                                              type='PostAddress')
                self.assertIs(client.update_employee_address(employee.id, changed), True)
                stored = employee.addresses[0]
                self.assertEqual((stored.id, stored.street, stored.house_number, stored.house_number_addition,
                                  stored.city, stored.type),
                                 (address.id, 'Nieuwe Gracht', '7', 'A', 'Haarlem', 'PostAddress'))
                self.assertEqual(client.employee_addresses(employee.id), [changed])
                # An address id the employee does not have: Nmbrs answers false and changes nothing.
                self.assertIs(client.update_employee_address(
                    employee.id, dataclasses.replace(changed, id=1, street='Elders')), False)
                self.assertEqual(employee.addresses[0].street, 'Nieuwe Gracht')

    # ---------------------------------------------------------------- refusals (SOAP faults)

    def test_wrong_credentials_are_an_authentication_error(self):
        for wrong in ['token', 'username', 'domain']:
            for version in VERSIONS:
                with self.subTest(wrong=wrong, version=version):
                    sandbox = self.clean_sandbox()
                    with self.logs() as logs:
                        token = sandbox.credentials.token
                        options = {
                            'token': {'token': 'f' * 32},
                            'username': {'username': 'someone-else@kantoorvoorbeeld.example'},
                            'domain': {'domain': 'ander-kantoor'},
                        }[wrong]
                        client = self.connect(sandbox, version, **options)
                        error = self.expect_error(NmbrsAuthenticationError, client.companies, logs, token, 'f' * 32)
                        self.assertEqual(error.code, api_facts.ERROR_INVALID_AUTHENTICATION)
                        self.assertFalse(error.transient)
                        self.assertEqual(error.operation, 'CompanyService.List_GetAll')
                        for hint in ('e-mail address', 'API token', 'tenant key'):
                            self.assertIn(hint, error.message)
                        self.assertEqual(len(sandbox.calls), 1)  # not retried

    def test_environment_get_with_wrong_token(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                with self.logs() as logs:
                    client = self.connect(sandbox, version, token='0' * 32)
                    error = self.expect_error(NmbrsAuthenticationError, client.environment_get, logs,
                                              sandbox.credentials.token, '0' * 32)
                    self.assertEqual(error.operation, 'DebtorService.Environment_Get')
                    self.assertEqual(len(sandbox.calls), 1)

    def test_switched_off_right_is_a_permission_error(self):
        for right, call in [
                ('CompanyService.Run_GetList', lambda client, company, year: client.runs(company.id, year)),
                ('EmployeeService.PersonalInfo_UpdateCurrent',
                 lambda client, company, year: client.update_personal_info(1, PersonalInfo(id=1))),
                ('CompanyService.SalaryDocuments_AnnualDocument_LeaveSaldos',
                 lambda client, company, year: client.annual_document('LeaveSaldos', company.id, 1, year)),
        ]:
            for version in VERSIONS:
                with self.subTest(right=right, call=call, version=version):
                    fresh_sandbox = self.fresh_sandbox()
                    with self.logs() as logs:
                        fresh_sandbox.dataset.users[fresh_sandbox.credentials.username].rights.discard(right)
                        client = self.connect(fresh_sandbox, version)
                        company = companies(fresh_sandbox)[0]
                        year = self.closed_year(fresh_sandbox)
                        error = self.expect_error(NmbrsPermissionError, lambda: call(client, company, year), logs,
                                                  fresh_sandbox.credentials.token)
                        self.assertEqual(error.right, right)
                        self.assertEqual(error.operation, right)
                        self.assertIn(right, error.message)
                        self.assertIn('API user template', error.message)
                        self.assertEqual(error.code, api_facts.ERROR_UNAUTHORIZED_OPERATION)
                        self.assertFalse(error.transient)
                        self.assertEqual(len(fresh_sandbox.calls), 1)  # not retried
                        # The other rights still work.
                        self.assertTrue(client.companies())

    def test_unknown_record_is_an_access_error(self):
        for kind, call in [
                ('company', lambda client: client.runs(99999, 2025)),
                ('company', lambda client: client.company_address(99999)),
                ('employee', lambda client: client.personal_info(99999)),
                ('employee', lambda client: client.update_employee_address(99999, EmployeeAddress(id=1))),
                ('debtor', lambda client: client.debtor(99999)),
                ('debtor', lambda client: client.companies_by_debtor(99999)),
        ]:
            for version in VERSIONS:
                with self.subTest(kind=kind, call=call, version=version):
                    sandbox = self.clean_sandbox()
                    with self.logs() as logs:
                        client = self.connect(sandbox, version)
                        error = self.expect_error(NmbrsAccessError, lambda: call(client), logs,
                                                  sandbox.credentials.token)
                        self.assertEqual((error.record_kind, error.record_id), (kind, 99999))
                        self.assertIn('%s 99999' % kind, error.message)
                        self.assertEqual(error.code, {'company': 2004, 'employee': 2003, 'debtor': 2009}[kind])
                        self.assertFalse(error.transient)
                        self.assertEqual(len(sandbox.calls), 1)

    def test_employee_of_another_company_is_an_access_error(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            client = self.connect(sandbox)
            first, second = companies(sandbox)[:2]
            run = last_run(sandbox, first, self.closed_year(sandbox))
            stranger = sandbox.dataset.company_employees(second.id)[0]
            error = self.expect_error(
                NmbrsAccessError, lambda: client.employee_payslips(first.id, run.id, run.year, stranger.id),
                logs, sandbox.credentials.token)
            self.assertEqual((error.record_kind, error.record_id), ('employee', stranger.id))

    def test_user_limited_to_one_debtor(self):
        fresh_sandbox = self.fresh_sandbox()
        with self.logs() as logs:
            dataset = fresh_sandbox.dataset
            first, second = list(dataset.debtors.values())
            dataset.add_user('beperkt@kantoorvoorbeeld.example', 'c' * 32, debtor_ids=[first.id])
            client = self.connect(fresh_sandbox, username='beperkt@kantoorvoorbeeld.example', token='c' * 32)
            self.assertEqual({company.id for company in client.companies()}, {
                company.id for company in companies(fresh_sandbox) if company.debtor_id == first.id})
            hidden = next(company for company in companies(fresh_sandbox) if company.debtor_id == second.id)
            error = self.expect_error(NmbrsAccessError, lambda: client.runs(hidden.id, 2025), logs, 'c' * 32)
            self.assertEqual((error.record_kind, error.record_id), ('company', hidden.id))

    def test_other_nmbrs_error_codes(self):
        for code, error_class, phrase in [
                (api_facts.ERROR_UNKNOWN, NmbrsUnknownError, 'unexplained error'),
                (api_facts.ERROR_UNAUTHORIZED_DATA, NmbrsAccessError, 'filter'),
                (api_facts.ERROR_NO_SUBSCRIPTION, NmbrsSubscriptionError, 'no valid subscription'),
                (2006, NmbrsUnknownError, 'Nmbrs reported an error 2006'),
        ]:
            for version in VERSIONS:
                with self.subTest(code=code, error_class=error_class, phrase=phrase, version=version):
                    sandbox = self.clean_sandbox()
                    with self.logs() as logs:
                        sandbox.faults.inject('soap_fault', operation='CompanyService.List_GetAll', code=code)
                        client = self.connect(sandbox, version)
                        error = self.expect_error(error_class, client.companies, logs, sandbox.credentials.token)
                        self.assertEqual(error.code, code)
                        self.assertIn(phrase, error.message)
                        self.assertFalse(error.transient)
                        self.assertEqual(error.operation, 'CompanyService.List_GetAll')
                        self.assertEqual(len(sandbox.calls), 1)
                        self.assertTrue(client.debtors())  # the fault is limited to one operation

    def test_token_echoed_in_a_fault_is_redacted(self):
        for code, error_class in [
                (api_facts.ERROR_INVALID_AUTHENTICATION, NmbrsAuthenticationError),
                (api_facts.ERROR_UNKNOWN, NmbrsUnknownError),
                (2006, NmbrsUnknownError),
        ]:
            for version in VERSIONS:
                with self.subTest(code=code, error_class=error_class, version=version):
                    sandbox = self.clean_sandbox()
                    with self.logs() as logs:
                        token = sandbox.credentials.token
                        sandbox.faults.inject('soap_fault', code=code, message='Invalid token %s for user' % token)
                        client = self.connect(sandbox, version)
                        error = self.expect_error(error_class, client.companies, logs, token)
                        self.assertIn('***', error.detail)
                        self.assertIn('Invalid token', error.detail)

    # ---------------------------------------------------------------- transport failures

    def test_timeout(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            sandbox.faults.inject('timeout', operation='Run_GetList', seconds=1.5)
            client = self.connect(sandbox, read_timeout=0.3, max_retries=1)
            company = companies(sandbox)[0]
            started = time.monotonic()
            error = self.expect_error(NmbrsTimeout, lambda: client.runs(company.id, 2025), logs,
                                      sandbox.credentials.token)
            self.assertLess(time.monotonic() - started, 1.4)  # gave up before the sandbox answered
            self.assertTrue(error.transient)
            self.assertIn('0.3 seconds', error.message)
            self.assertEqual(error.operation, 'CompanyService.Run_GetList')
            self.assertEqual(len(sandbox.calls.of('Run_GetList')), 2)  # one retry

    def test_timeout_once_succeeds_on_retry(self):
        sandbox = self.clean_sandbox()
        sandbox.faults.inject('timeout', seconds=1.0, times=1)
        client = self.connect(sandbox, read_timeout=0.3, max_retries=1)
        self.assertEqual([debtor.id for debtor in client.debtors()], list(sandbox.dataset.debtors))
        self.assertEqual([call.injected for call in sandbox.calls.of('DebtorService.List_GetAll')], ['timeout', None])

    def test_dropped_connection(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            sandbox.faults.inject('drop')
            client = self.connect(sandbox, max_retries=1)
            error = self.expect_error(NmbrsConnectionError, client.debtors, logs, sandbox.credentials.token)
            self.assertTrue(error.transient)
            self.assertIn('127.0.0.1:%d' % sandbox.port, error.message)
            self.assertEqual(len(sandbox.calls), 2)

    def test_dropped_connection_once_succeeds_on_retry(self):
        sandbox = self.clean_sandbox()
        sandbox.faults.inject('drop', times=1)
        client = self.connect(sandbox, max_retries=1)
        self.assertEqual(len(client.companies()), len(sandbox.dataset.companies))
        self.assertEqual(len(sandbox.calls), 2)

    def test_closed_port(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            port = free_port()
            client = NmbrsClient(sandbox.credentials.username, sandbox.credentials.token, sandbox.credentials.domain,
                                 base_url='http://127.0.0.1:%d/soap/v3/' % port, backoff=0, max_retries=1,
                                 connect_timeout=1.0, read_timeout=1.0)
            with client:
                error = self.expect_error(NmbrsConnectionError, client.companies, logs, sandbox.credentials.token)
            self.assertTrue(error.transient)
            self.assertIn('127.0.0.1:%d' % port, error.message)
            self.assertIn('Check the internet connection', error.message)
            self.assertEqual(client.call_count, 2)

    def test_http_error_without_soap(self):
        for kind, status in [('http_500', 500), ('http_503', 503)]:
            with self.subTest(kind=kind, status=status):
                sandbox = self.clean_sandbox()
                with self.logs() as logs:
                    sandbox.faults.inject(kind)
                    client = self.connect(sandbox, max_retries=2)
                    error = self.expect_error(NmbrsHTTPError, client.companies, logs, sandbox.credentials.token)
                    self.assertEqual(error.status, status)
                    self.assertTrue(error.transient)
                    self.assertIn('temporarily unavailable (HTTP %d)' % status, error.message)
                    self.assertEqual(len(sandbox.calls), 3)  # retries are bounded: max_retries + 1 calls

    def test_unreadable_answer(self):
        for kind in ['truncated', 'malformed']:
            for version in VERSIONS:
                with self.subTest(kind=kind, version=version):
                    sandbox = self.clean_sandbox()
                    with self.logs() as logs:
                        sandbox.faults.inject(kind)
                        client = self.connect(sandbox, version)
                        error = self.expect_error(NmbrsResponseError, client.companies, logs, sandbox.credentials.token)
                        self.assertIn('could not be read', error.message)
                        self.assertFalse(error.transient)
                        self.assertEqual(len(sandbox.calls), 1)

    def test_huge_answer_over_the_limit(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            sandbox.faults.inject('huge', size=300_000)
            client = self.connect(sandbox, max_response_bytes=100_000)
            error = self.expect_error(NmbrsResponseError, client.companies, logs, sandbox.credentials.token)
            # The limit is named as set, not rounded down to 0 MB.
            self.assertIn('larger than the limit of 0.095 MB', error.message)
            self.assertFalse(error.transient)
            self.assertIn('100000 bytes', error.detail)
            self.assertEqual(len(sandbox.calls), 1)
            # The same padded answer within a larger limit is read normally.
            roomy = self.connect(sandbox, max_response_bytes=1_000_000)
            self.assertEqual([company.id for company in roomy.companies()], list(sandbox.dataset.companies))
            self.assertEqual([call.injected for call in sandbox.calls], ['huge', 'huge'])

    def test_entity_expansion_is_refused_without_expanding(self):
        for version in VERSIONS:
            with self.subTest(version=version):
                sandbox = self.clean_sandbox()
                with self.logs() as logs:
                    sandbox.faults.inject('entity_expansion')
                    client = self.connect(sandbox, version)
                    started = time.monotonic()
                    error = self.expect_error(NmbrsResponseError, client.debtors, logs, sandbox.credentials.token)
                    self.assertLess(time.monotonic() - started, 2)
                    self.assertIn('DOCTYPE', error.detail)
                    self.assertNotIn('lol', error.message + error.detail)
                    self.assertEqual(len(sandbox.calls), 1)

    # ---------------------------------------------------------------- retries

    def test_transient_503_once_succeeds_on_retry(self):
        sandbox = self.clean_sandbox()
        with self.logs() as logs:
            sandbox.faults.inject('http_503', operation='Company_GetCurrentPeriod', times=1)
            client = self.connect(sandbox, max_retries=2)
            company = companies(sandbox)[0]
            year, period = sandbox.dataset.current_period(company.id)
            self.assertEqual(client.current_period(company.id), CurrentPeriod(year, period, 'M'))
            self.assertEqual([call.injected for call in sandbox.calls.of('Company_GetCurrentPeriod')],
                             ['http_503', None])
            self.assertEqual(client.call_count, 2)
            retry_warnings = [record for record in logs.records
                              if record.levelno == logging.WARNING and 'retrying' in record.getMessage()]
            self.assertEqual(len(retry_warnings), 1)
            self.assertIn('CompanyService.Company_GetCurrentPeriod', retry_warnings[0].getMessage())
            self.assertNotIn(sandbox.credentials.token, '\n'.join(logs.output))

    def test_retries_are_bounded(self):
        for max_retries in [0, 3]:
            with self.subTest(max_retries=max_retries):
                sandbox = self.clean_sandbox()
                sandbox.faults.inject('http_503')
                client = self.connect(sandbox, max_retries=max_retries)
                with self.assertRaises(NmbrsHTTPError):
                    client.debtors()
                self.assertEqual(len(sandbox.calls), max_retries + 1)
                self.assertEqual(client.call_count, max_retries + 1)

    def test_retry_after_a_transient_error_may_meet_a_refusal(self):
        sandbox = self.clean_sandbox()
        sandbox.faults.inject('http_503', times=1)
        sandbox.faults.inject('soap_fault', after=1, code=api_facts.ERROR_INVALID_AUTHENTICATION)
        client = self.connect(sandbox, max_retries=3)
        with self.assertRaises(NmbrsAuthenticationError):
            client.companies()
        self.assertEqual([call.injected for call in sandbox.calls], ['http_503', 'soap_fault'])

    def test_backoff_spaces_retries(self):
        sandbox = self.clean_sandbox()
        sandbox.faults.inject('http_503', times=2)
        client = self.connect(sandbox, max_retries=2, backoff=0.1)
        self.assertTrue(client.debtors())
        stamps = [call.timestamp for call in sandbox.calls]
        self.assertEqual(len(stamps), 3)
        self.assertGreaterEqual(stamps[1] - stamps[0], 0.09)
        self.assertGreaterEqual(stamps[2] - stamps[1], 0.19)

    # ---------------------------------------------------------------- rate limit

    def test_rate_limit_holds_for_threads_sharing_a_client(self):
        sandbox = self.clean_sandbox()
        client = self.connect(sandbox, max_calls_per_second=20)
        company_ids = list(sandbox.dataset.companies)
        expected = {company_id: CurrentPeriod(*sandbox.dataset.current_period(company_id), 'M')
                    for company_id in company_ids}

        def call(index):
            company_id = company_ids[index % len(company_ids)]
            return company_id, client.current_period(company_id)

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(call, range(40)))
        self.assertTrue(all(period == expected[company_id] for company_id, period in results))
        stamps = [call.timestamp for call in sandbox.calls.of('Company_GetCurrentPeriod')]
        self.assertEqual(len(stamps), 40)
        self.assertFalse(any(call.injected for call in sandbox.calls))
        self.assertLessEqual(windowed_maximum(stamps), 22)
        # 40 calls spaced 1/20 s apart span at least 39/20 s.
        self.assertGreaterEqual(max(stamps) - min(stamps), 1.8)

    def test_without_rate_limit_calls_are_not_spaced(self):
        """Control for the test above: the window count does see bursts."""
        sandbox = self.clean_sandbox()
        client = self.connect(sandbox, max_calls_per_second=None)
        company_id = next(iter(sandbox.dataset.companies))
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _: client.current_period(company_id), range(40)))
        stamps = [call.timestamp for call in sandbox.calls]
        self.assertEqual(len(stamps), 40)
        self.assertGreater(windowed_maximum(stamps), 22)

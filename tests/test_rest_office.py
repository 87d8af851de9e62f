"""A whole sandbox office read over REST by the client alone, and a company moving from SOAP to REST mid-year.

The REST client needs no SOAP id: it finds everything from the consent. The
switch pairs each SOAP record with its REST twin by what both protocols
share (debtor and company numbers, run year and number, employee numbers),
as the Odoo side will, and gets the same documents for the rest of the year.
"""
from collections import Counter
from datetime import date

from odoo.tests import tagged

from ..nmbrs.client import NmbrsClient
from ..nmbrs.dates import local_date
from .rest_case import RestSandboxCase


@tagged('post_install', '-at_install')
class TestOfficeOverRest(RestSandboxCase):

    def test_a_whole_office_is_read_over_rest(self):
        dataset = self.sandbox.dataset
        client = self.rest_client(self.consent(sorted(dataset.debtors)))
        years = (dataset.now().year - 1, dataset.now().year)
        got = Counter()
        for company in client.companies():
            got['companies'] += 1
            self.assertTrue(client.current_period(company.id))
            self.assertTrue(client.company_address(company.id).street)
            for employee in client.all_employees(company.id):
                got['employees'] += 1
                self.assertEqual(client.personal_info(employee.id).employee_number, employee.number)
            for year in years:
                for declaration in client.wage_taxes(company.id, year):
                    got['declarations'] += bool(client.wage_tax_xml(company.id, declaration.id))
                got['work cost periods'] += len(client.work_costs(company.id, year))
                for run in client.runs(company.id, year):
                    got['runs'] += 1
                    got['sepa'] += bool(client.sepa(company.id, run.id, year, local_date(run.run_at)))
                    got['journals'] += bool(client.journal(company.id, run.id, year))
                    for employee in client.run_employees(company.id, run.id, year):
                        got['payslips'] += client.period_payslip(employee.employee_id, year, run.period_end) \
                            .startswith(b'%PDF')
        runs = list(dataset.runs.values())
        self.assertEqual(got, Counter({
            'companies': len(dataset.companies), 'employees': len(dataset.employees),
            'declarations': len(dataset.declarations), 'runs': len(runs), 'sepa': len(runs), 'journals': len(runs),
            'work cost periods': len(runs), 'payslips': sum(len(run.pay) for run in runs)}))
        self.assertGreater(self.contract.checked, 500)

    def test_a_company_moves_from_soap_to_rest_in_the_middle_of_the_year(self):
        dataset = self.sandbox.dataset
        year = dataset.now().year - 1
        credentials = self.sandbox.credentials
        soap = NmbrsClient(credentials.username, credentials.token, credentials.domain, base_url=self.sandbox.url)
        self.addCleanup(soap.close)
        rest = self.rest_client(self.consent(sorted(dataset.debtors)))
        # What Odoo knows from SOAP: the debtor and company numbers, then the runs of the year.
        debtor_numbers = {debtor.id: debtor.number for debtor in soap.debtors()}
        soap_company = soap.companies_by_debtor(min(debtor_numbers))[1]
        soap_runs = soap.runs(soap_company.id, year)
        imported_over_soap = soap_runs[:6]
        # The switch: find the same company, runs and employees over REST by their numbers.
        rest_debtor = next(debtor for debtor in rest.debtors() if debtor.number == debtor_numbers[min(debtor_numbers)])
        rest_company = next(company for company in rest.companies_by_debtor(rest_debtor.id)
                            if company.number == soap_company.number)
        rest_runs = {(run.year, run.number): run for run in rest.runs(rest_company.id, year)}
        self.assertEqual(set(rest_runs), {(run.year, run.number) for run in soap_runs})
        remaining = [run for run in soap_runs if run not in imported_over_soap]
        employees = {employee.number: employee.id for employee in rest.all_employees(rest_company.id)}
        for soap_run in remaining:
            rest_run = rest_runs[(soap_run.year, soap_run.number)]
            self.assertEqual((rest_run.period_start, rest_run.period_end, rest_run.is_locked),
                             (soap_run.period_start, soap_run.period_end, soap_run.is_locked))
            payment = date(year, soap_run.period_end, 25)
            self.assertEqual(rest.sepa(rest_company.id, rest_run.id, year, payment),
                             soap.sepa(soap_company.id, soap_run.id, year, payment))
            self.assertEqual(rest.journal(rest_company.id, rest_run.id, year),
                             soap.journal(soap_company.id, soap_run.id, year))
            soap_employees = soap.run_employees(soap_company.id, soap_run.id, year)
            rest_employees = rest.run_employees(rest_company.id, rest_run.id, year)
            self.assertEqual([employees[e.employee_number] for e in soap_employees],
                             [e.employee_id for e in rest_employees])
            for soap_employee in soap_employees:
                self.assertEqual(
                    [rest.period_payslip(employees[soap_employee.employee_number], year, rest_run.period_end)],
                    soap.employee_payslips(soap_company.id, soap_run.id, year, soap_employee.employee_id))
        soap_declarations = {(d.year, d.period, d.serial_number): d for d in soap.wage_taxes(soap_company.id, year)}
        for declaration in rest.wage_taxes(rest_company.id, year):
            twin = soap_declarations[(declaration.year, declaration.period, declaration.serial_number)]
            self.assertEqual(rest.wage_tax_xml(rest_company.id, declaration.id),
                             soap.wage_tax_xml(soap_company.id, twin.id))

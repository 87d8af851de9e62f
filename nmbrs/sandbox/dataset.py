"""The sandbox's in-memory Nmbrs environment: records, queries and the changes tests make.

One ``Dataset`` is one Nmbrs environment (one subdomain) of an accounting office.
Every method takes ``dataset.lock``, so the server threads and a test may use it
at the same time. Documents (PDFs, SEPA, journals) are not stored: ``documents``
renders them from these records when asked, so they always match the data.
"""
import datetime
import itertools
import threading
from dataclasses import dataclass, field
from decimal import Decimal

from .. import api_facts
from .faults import SandboxFault

DUTCH_MONTHS = ('januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
                'september', 'oktober', 'november', 'december')
EMPLOYEE_TYPE_EMPLOYED = 1
EMPLOYEE_TYPE_LEFT = 3
# Invented like the samples: the real id list is unknown (api_facts).
EMPLOYEE_TYPES = ((EMPLOYEE_TYPE_EMPLOYED, 'Werknemer'), (2, 'Sollicitant'), (EMPLOYEE_TYPE_LEFT, 'Uit dienst'))
HOLIDAY_ALLOWANCE_MONTH = 5
CENT = Decimal('0.01')

# First id of each kind, as in the samples, so ids read like real Nmbrs ids.
_FIRST_IDS = {'debtor': 41001, 'company': 52001, 'employee': 63001, 'run': 78101,
              'declaration': 91001, 'address': 87001}


@dataclass
class Debtor:
    id: int
    number: str
    name: str


@dataclass
class Address:
    id: int
    street: str
    house_number: str
    postal_code: str
    city: str
    state_province: str = None
    house_number_addition: str = None
    country_iso_code: str = 'NL'
    default: bool = True
    type: str = None  # only on employee addresses: HomeAddress, PostAddress, ...


@dataclass
class Company:
    id: int
    debtor_id: int
    number: int
    name: str
    address: Address
    phone_number: str = None
    fax_number: str = None
    email: str = None
    website: str = None
    loonaangifte_tijdvak: str = 'Month'
    kvk_nr: str = None
    iban: str = None
    bic: str = None


@dataclass
class Employee:
    """An employee; the attributes after ``company_id`` are the PersonalInfo fields."""
    id: int
    company_id: int
    number: int
    first_name: str
    last_name: str
    prefix: str = None
    initials: str = None
    employee_type: int = EMPLOYEE_TYPE_EMPLOYED
    employee_number: int = None
    bsn: str = None
    title: str = None
    nickname: str = None
    gender: str = None
    nationality_code: int = None
    place_of_birth: str = None
    country_of_birth_iso_code: str = None
    identification_number: str = None
    identification_type: int = 0
    partner_prefix: str = None
    partner_last_name: str = None
    telephone_private: str = None
    telephone_work: str = None
    telephone_mobile_private: str = None
    telephone_mobile_work: str = None
    telephone_other: str = None
    email_private: str = None
    email_work: str = None
    burgerlijke_staat: str = None
    naamstelling: str = 'E'
    birthday: datetime.datetime = None
    deceased_date: datetime.datetime = None
    in_case_of_emergency: str = None
    in_case_of_emergency_phone: str = None
    in_case_of_emergency_relation: str = None
    title_after: str = None
    creation_date: datetime.datetime = None
    addresses: list = field(default_factory=list)
    iban: str = None
    monthly_salary: Decimal = Decimal('3000.00')

    @property
    def display_name(self):
        return ' '.join(part for part in (self.first_name, self.prefix, self.last_name) if part)


@dataclass
class Pay:
    """One employee's amounts in one run, in euros."""
    gross: Decimal
    wage_tax: Decimal
    pension: Decimal

    @property
    def net(self):
        return self.gross - self.wage_tax - self.pension


@dataclass
class Run:
    id: int
    company_id: int
    number: int
    year: int
    period_start: int
    period_end: int
    description: str
    run_at: datetime.datetime
    is_locked: bool
    pay: dict = field(default_factory=dict)  # employee id -> Pay, in employee order
    # employee id -> list of PDF bytes (or None for a Payslip without PDF), replacing the rendered one
    payslip_overrides: dict = field(default_factory=dict)

    @property
    def period(self):
        return self.period_end


@dataclass
class WageTaxDeclaration:
    id: int
    company_id: int
    serial_number: int
    payment_reference: str
    total_general: int
    period: int
    year: int
    status: str
    sent_at: datetime.datetime
    tijdvak_start: datetime.datetime
    tijdvak_end: datetime.datetime
    correction_tijdvak_start: datetime.datetime = None
    correction_tijdvak_end: datetime.datetime = None


@dataclass
class User:
    """An API user: ``rights`` holds ``Service.Operation`` names; ``debtor_ids`` None means all debtors."""
    username: str
    token: str
    domain: str
    rights: set
    debtor_ids: set = None


@dataclass
class Update:
    """What an update call sent: ``values`` are the wire fields as received."""
    service: str
    operation: str
    target_id: int
    values: dict
    at: datetime.datetime


def served_rights():
    """Every right the sandbox knows: one per operation it serves."""
    return {api_facts.operation_right(service, operation)
            for service, operation in api_facts.OPERATION_PARAMETERS}


def pay_for(employee, period):
    """Deterministic monthly pay: salary, May holiday allowance, some overtime, rough Dutch wage tax."""
    gross = employee.monthly_salary
    if period == HOLIDAY_ALLOWANCE_MONTH:
        gross += (employee.monthly_salary * 12 * Decimal('0.08')).quantize(CENT)
    gross += Decimal((employee.id * 7 + period * 13) % 5 * 25)
    wage_tax = max(Decimal(0), gross * Decimal('0.3697') - Decimal('310')).quantize(CENT)
    pension = (gross * Decimal('0.055')).quantize(CENT)
    return Pay(gross=gross, wage_tax=wage_tax, pension=pension)


def last_day(year, month):
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


class Dataset:
    def __init__(self, subdomain, now=None):
        self.lock = threading.RLock()
        self.subdomain = subdomain
        self._now = now
        self.debtors = {}
        self.companies = {}
        self.employees = {}
        self.runs = {}
        self.declarations = {}
        self.users = {}
        self.employee_types = EMPLOYEE_TYPES
        self.updates = []
        # company id -> ids in creation order, so big benchmark datasets stay fast
        self._employees_by_company = {}
        self._runs_by_company = {}
        self._declarations_by_company = {}
        self._ids = {kind: itertools.count(first) for kind, first in _FIRST_IDS.items()}

    def now(self):
        """The dataset's clock: fixed when built with ``now``, else the real time."""
        return self._now or datetime.datetime.now().replace(microsecond=0)

    @property
    def domain_host(self):
        return '%s.nmbrs.nl' % self.subdomain

    def next_id(self, kind):
        with self.lock:
            return next(self._ids[kind])

    # --- building and changing -------------------------------------------------

    def add_user(self, username, token, rights=None, debtor_ids=None, domain=None):
        """Add an API user; ``rights`` defaults to every served operation."""
        with self.lock:
            user = User(username=username, token=token, domain=domain or self.subdomain,
                        rights=set(served_rights() if rights is None else rights),
                        debtor_ids=None if debtor_ids is None else set(debtor_ids))
            self.users[username] = user
            return user

    def add_debtor(self, name, number=None):
        with self.lock:
            debtor_id = self.next_id('debtor')
            debtor = Debtor(id=debtor_id, number=number or str(100 * (len(self.debtors) + 1)), name=name)
            self.debtors[debtor_id] = debtor
            return debtor

    def new_address(self, street, house_number, postal_code, city, **fields):
        return Address(id=self.next_id('address'), street=street, house_number=str(house_number),
                       postal_code=postal_code, city=city, **fields)

    def add_company(self, debtor_id, name, address, **fields):
        """Add a company of a debtor; ``address`` is an ``Address`` (see ``new_address``)."""
        with self.lock:
            company_id = self.next_id('company')
            company = Company(id=company_id, debtor_id=debtor_id, number=len(self.companies) + 1,
                              name=name, address=address, **fields)
            self.companies[company_id] = company
            return company

    def add_employee(self, company_id, first_name, last_name, **fields):
        """Add an employee; ``fields`` are ``Employee`` attributes (prefix, birthday, addresses, ...)."""
        with self.lock:
            company_employee_ids = self._employees_by_company.setdefault(company_id, [])
            number = 1 + len(company_employee_ids)
            fields.setdefault('employee_number', number)
            fields.setdefault('initials', first_name[0] + '.')
            fields.setdefault('creation_date', self.now())
            employee = Employee(id=self.next_id('employee'), company_id=company_id, number=number,
                                first_name=first_name, last_name=last_name, **fields)
            self.employees[employee.id] = employee
            company_employee_ids.append(employee.id)
            return employee

    def add_run(self, company_id, year, period, locked=True, run_at=None):
        """Add a monthly run paying every employed employee, with its wage tax declaration.

        Its payslips, SEPA file, journal and declaration XML follow from it.
        """
        with self.lock:
            company = self.companies[company_id]
            employees = [employee for employee in self.company_employees(company_id)
                         if employee.employee_type == EMPLOYEE_TYPE_EMPLOYED]
            number = 1 + len(self.company_runs(company_id, year))
            run = Run(id=self.next_id('run'), company_id=company_id, number=number, year=year,
                      period_start=period, period_end=period,
                      description='%s %d' % (DUTCH_MONTHS[period - 1].capitalize(), year),
                      run_at=run_at or self._default_run_at(company_id, year, period), is_locked=locked,
                      pay={employee.id: pay_for(employee, period) for employee in employees})
            self.runs[run.id] = run
            self._runs_by_company.setdefault(company_id, []).append(run.id)
            if not self.declaration_for_period(company_id, year, period):
                self._add_declaration(company, run)
            return run

    def _default_run_at(self, company_id, year, period):
        run_at = datetime.datetime(year, period, 20 + company_id % 6, 9 + period % 8, (company_id * 7) % 60)
        return min(run_at, self.now())

    def _add_declaration(self, company, run):
        serial = 1 + len(self.company_declarations(company.id, run.year))
        total = sum((pay.wage_tax + pay.gross * Decimal('0.07') for pay in run.pay.values()), Decimal(0))
        declaration = WageTaxDeclaration(
            id=self.next_id('declaration'), company_id=company.id, serial_number=serial,
            payment_reference='%s%02d%02d%04d' % (company.kvk_nr or '00000000', run.year % 100,
                                                  run.period, serial),
            total_general=int(total), period=run.period, year=run.year, status='Created', sent_at=None,
            tijdvak_start=datetime.datetime(run.year, run.period, 1),
            tijdvak_end=datetime.datetime.combine(last_day(run.year, run.period), datetime.time()))
        if run.is_locked:
            sent_at = datetime.datetime(run.year + run.period // 12, run.period % 12 + 1, 5, 11, 20)
            declaration.status, declaration.sent_at = 'Sent', min(sent_at, self.now())
        self.declarations[declaration.id] = declaration
        self._declarations_by_company.setdefault(company.id, []).append(declaration.id)
        return declaration

    def remove_run(self, run_id):
        """Forget a run (a test's own, say); a declaration added with it stays."""
        with self.lock:
            run = self.runs.pop(run_id)
            self._runs_by_company[run.company_id].remove(run_id)

    def lock_run(self, run_id, locked=True):
        with self.lock:
            self.runs[run_id].is_locked = locked
            return self.runs[run_id]

    def set_declaration_status(self, declaration_id, status, sent_at=None):
        """Change a declaration's Status text and SentAt (None writes 0001-01-01T00:00:00)."""
        with self.lock:
            declaration = self.declarations[declaration_id]
            declaration.status, declaration.sent_at = status, sent_at
            return declaration

    def set_payslips(self, run_id, employee_id, pdfs):
        """Replace an employee's payslips in a run: a list of PDF bytes, b'' (empty) or None (no PDF)."""
        with self.lock:
            self.runs[run_id].payslip_overrides[employee_id] = list(pdfs)

    def renumber_company(self, company_id, number):
        """Give a company another number, as an office does in Nmbrs (both protocols show it); the old one."""
        with self.lock:
            company = self.companies[company_id]
            old, company.number = company.number, number
            return old

    def renumber_employee(self, employee_id, number):
        """Give an employee another number within its company (both protocols show it); the old one."""
        with self.lock:
            employee = self.employees[employee_id]
            old, employee.number = employee.number, number
            employee.employee_number = number
            return old

    def record_update(self, service, operation, target_id, values):
        with self.lock:
            self.updates.append(Update(service, operation, target_id, values, self.now()))

    # --- queries -----------------------------------------------------------------

    def visible_debtors(self, user):
        with self.lock:
            return [debtor for debtor in self.debtors.values()
                    if user.debtor_ids is None or debtor.id in user.debtor_ids]

    def debtor_for(self, user, debtor_id):
        with self.lock:
            debtor = self.debtors.get(debtor_id)
            if debtor is None or (user.debtor_ids is not None and debtor_id not in user.debtor_ids):
                raise SandboxFault(api_facts.ERROR_UNAUTHORIZED_DEBTOR)
            return debtor

    def visible_companies(self, user, debtor_id=None):
        with self.lock:
            return [company for company in self.companies.values()
                    if (user.debtor_ids is None or company.debtor_id in user.debtor_ids)
                    and debtor_id in (None, company.debtor_id)]

    def company_for(self, user, company_id):
        with self.lock:
            company = self.companies.get(company_id)
            if company is None or (user.debtor_ids is not None and company.debtor_id not in user.debtor_ids):
                raise SandboxFault(api_facts.ERROR_UNAUTHORIZED_COMPANY)
            return company

    def employee_for(self, user, employee_id, company_id=None):
        with self.lock:
            employee = self.employees.get(employee_id)
            if employee is None or company_id not in (None, employee.company_id):
                raise SandboxFault(api_facts.ERROR_UNAUTHORIZED_EMPLOYEE)
            debtor_id = self.companies[employee.company_id].debtor_id
            if user.debtor_ids is not None and debtor_id not in user.debtor_ids:
                raise SandboxFault(api_facts.ERROR_UNAUTHORIZED_EMPLOYEE)
            return employee

    def company_employees(self, company_id, employee_type=None):
        with self.lock:
            employees = (self.employees[employee_id] for employee_id in self._employees_by_company.get(company_id, ()))
            return [employee for employee in employees if employee_type in (None, employee.employee_type)]

    def company_runs(self, company_id, year=None):
        with self.lock:
            runs = (self.runs[run_id] for run_id in self._runs_by_company.get(company_id, ()))
            return [run for run in runs if year in (None, run.year)]

    def run_of(self, company_id, run_id, year=None):
        """The company's run with that id (and year, when given), or None."""
        with self.lock:
            run = self.runs.get(run_id)
            if run is None or run.company_id != company_id or year not in (None, run.year):
                return None
            return run

    def company_declarations(self, company_id, year=None):
        with self.lock:
            declarations = (self.declarations[declaration_id]
                            for declaration_id in self._declarations_by_company.get(company_id, ()))
            return [declaration for declaration in declarations if year in (None, declaration.year)]

    def declaration_for_period(self, company_id, year, period):
        with self.lock:
            return next((declaration for declaration in self.company_declarations(company_id, year)
                         if declaration.period == period), None)

    def current_period(self, company_id):
        """(year, period) of the company's latest run, or of today when it has none."""
        with self.lock:
            runs = self.company_runs(company_id)
            if not runs:
                return self.now().year, self.now().month
            latest = max(runs, key=lambda run: (run.year, run.period_end))
            return latest.year, latest.period_end

    def year_closed(self, company_id, year):
        """Annual documents exist once the run of the last period of the year is locked."""
        with self.lock:
            return any(run.is_locked and run.period_end == 12 for run in self.company_runs(company_id, year))

    def employee_runs(self, employee_id, year):
        with self.lock:
            employee = self.employees[employee_id]
            return [run for run in self.company_runs(employee.company_id, year) if employee_id in run.pay]

"""The one interface of both Nmbrs clients: what the Odoo layer may ask, whichever protocol answers.

``NmbrsClient`` (SOAP v3, nmbrs/client.py) and ``NmbrsRestClient`` (REST,
nmbrs/rest.py) implement it and return the same typed records
(nmbrs/records.py). What differs is named here, as class attributes the
caller tests before it calls; a call the protocol does not have raises
``NmbrsUnsupportedError``.

Ids: integers over SOAP, GUID strings over REST (``id_type``). A record tells
its protocol by the type of its id; what pairs a SOAP record with its REST
twin is listed in records.py. Both clients may be shared by threads, count
their calls (``call_count``, ``calls_by_operation``), accept a shared
``rate_limiter`` (an object with ``wait()``) and send a write once: a write
that may have arrived without an answer raises ``NmbrsUncertainWriteError``.
"""
import abc
from datetime import date

from .errors import NmbrsUnsupportedError
from .records import (
    Address,
    Company,
    CurrentPeriod,
    Debtor,
    Employee,
    EmployeeAddress,
    PersonalInfo,
    Run,
    RunEmployee,
    UserInfo,
    WageTax,
    WorkCost,
)


class NmbrsApi(abc.ABC):
    #: 'soap' or 'rest'
    protocol = None
    #: int over SOAP, str (GUID) over REST
    id_type = None
    #: Payslips come per run: employee_payslips(company_id, run_id, year, employee_id) (SOAP).
    payslips_per_run = False
    #: Payslips come per employee per period: period_payslip(employee_id, year, period) (REST).
    payslips_per_period = False
    #: annual_document(kind, ...): the 15 company annual documents exist only over SOAP.
    has_company_annual_documents = False
    #: update_company_address(): REST can read a company address but not change it.
    can_update_company_address = False
    #: update_debtor(): REST cannot change a debtor.
    can_update_debtor = False
    #: work_costs(): the WKR figures per period exist only over REST.
    has_work_costs = False
    #: environment_get(): SOAP's check of login, token and tenant key.
    has_environment = False
    #: user_info(): REST's check of the consent, naming the consenting login's debtor.
    has_user_info = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @abc.abstractmethod
    def close(self):
        """Close the HTTP connections."""

    def _unsupported(self, what):
        raise NmbrsUnsupportedError(
            'Nmbrs offers %s only over its %s API, not over %s.' % (
                what, 'REST' if self.protocol == 'soap' else 'SOAP', self.protocol.upper()),
            operation=what)

    # ------------------------------------------------------------ debtors and companies

    @abc.abstractmethod
    def debtors(self) -> list[Debtor]:
        """The debtors the login (or consent) may see."""

    @abc.abstractmethod
    def debtor(self, debtor_id) -> Debtor | None:
        """One debtor."""

    @abc.abstractmethod
    def companies(self) -> list[Company]:
        """Every company the login may see; over REST a consent for several debtors is listed per debtor."""

    @abc.abstractmethod
    def companies_by_debtor(self, debtor_id) -> list[Company]:
        """The companies of one debtor."""

    @abc.abstractmethod
    def current_period(self, company_id) -> CurrentPeriod | None:
        """The company's current payroll period."""

    @abc.abstractmethod
    def company_address(self, company_id) -> Address | None:
        """The company's current (default) address."""

    # ------------------------------------------------------------ payroll

    @abc.abstractmethod
    def runs(self, company_id, year: int) -> list[Run]:
        """The company's payroll runs of a year."""

    @abc.abstractmethod
    def run_employees(self, company_id, run_id, year: int) -> list[RunEmployee]:
        """The employees paid in a run."""

    @abc.abstractmethod
    def wage_taxes(self, company_id, year: int) -> list[WageTax]:
        """The company's wage tax declarations of a year."""

    @abc.abstractmethod
    def wage_tax_xml(self, company_id, wage_tax_id) -> bytes | None:
        """A declaration's XML, or None."""

    @abc.abstractmethod
    def sepa(self, company_id, run_id, year: int, payment_date: date) -> bytes | None:
        """The SEPA file of a run's net wages, or None."""

    @abc.abstractmethod
    def journal(self, company_id, run_id, year: int) -> bytes | None:
        """A run's journal entries as XML, or None."""

    def employee_payslips(self, company_id, run_id, year: int, employee_id) -> list[bytes]:
        """An employee's payslip PDFs of one run (one per employment). Only when ``payslips_per_run``."""
        self._unsupported('payslips per run')

    def period_payslip(self, employee_id, year: int, period: int) -> bytes | None:
        """An employee's payslip PDF of one period, or None. Only when ``payslips_per_period``."""
        self._unsupported('payslips per period')

    def annual_document(self, kind: str, company_id, run_id, year: int) -> bytes | None:
        """A company annual document PDF. Only when ``has_company_annual_documents``."""
        self._unsupported('company annual documents')

    def work_costs(self, company_id, year: int) -> list[WorkCost]:
        """The work-related costs scheme per period of a year. Only when ``has_work_costs``."""
        self._unsupported('the work-related costs scheme')

    # ------------------------------------------------------------ employees

    @abc.abstractmethod
    def all_employees(self, company_id) -> list[Employee]:
        """The company's employees, each once."""

    @abc.abstractmethod
    def personal_info(self, employee_id) -> PersonalInfo | None:
        """An employee's current personal info."""

    @abc.abstractmethod
    def update_personal_info(self, employee_id, info: PersonalInfo) -> None:
        """Change an employee's personal info (see the protocol's notes on what is sent)."""

    @abc.abstractmethod
    def update_employee_address(self, employee_id, address: EmployeeAddress) -> bool | None:
        """Change (SOAP) or add (REST: a new address entry) an employee address; True when Nmbrs took it."""

    @abc.abstractmethod
    def annual_statement(self, employee_id, year: int) -> bytes | None:
        """The employee's annual statement (jaaropgave) PDF, or None."""

    # ------------------------------------------------------------ protocol-specific

    def update_company_address(self, company_id, address: Address) -> None:
        """Replace the company address. Only when ``can_update_company_address``."""
        self._unsupported('changing a company address')

    def update_debtor(self, debtor: Debtor) -> None:
        """Replace a debtor. Only when ``can_update_debtor``."""
        self._unsupported('changing a debtor')

    def environment_get(self):
        """The login's environment. Only when ``has_environment``."""
        self._unsupported('the environment check')

    def user_info(self) -> UserInfo | None:
        """The consenting login. Only when ``has_user_info``."""
        self._unsupported('the consenting user')

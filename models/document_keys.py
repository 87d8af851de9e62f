"""What identifies a payroll document whichever protocol fetched it.

SOAP and REST name the same Nmbrs record by different ids (an integer, a
GUID), so a document is known by its relation and Nmbrs's numbers, which both
protocols give: the company number, the run's year and number, the employee
number, and a declaration's year, period and serial number. A company switched
from SOAP to REST mid-year therefore finds what SOAP imported and fetches none
of it again. A record whose number Nmbrs left out falls back to the protocol's
id, marked so that it never equals a number.
"""


def _number(number, record_id):
    return str(number) if number is not None else 'id:%s' % record_id


def owner(partner_id, company_number):
    """'r7-c12': the documents of relation 7 from Nmbrs company number 12.

    Company numbers may repeat across debtors, so the relation is part of the
    key; the number keeps a relation's documents of another Nmbrs company apart.
    """
    return 'r%s-c%s' % (partner_id, company_number)


def run_key(document_type, owner, run, employee=None, copy=1):
    """'payslip/r7-c12/2026-r3/e305/1' (the first payslip of employee 305 in run 3 of 2026, see owner());
    'sepa/r7-c12/2026-r3' for a document of the whole run."""
    key = '%s/%s/%s-r%s' % (document_type, owner, run.year, _number(run.number, run.id))
    if employee is None:
        return key
    return '%s/e%s/%d' % (key, _number(employee.employee_number, employee.employee_id), copy)


def run_employee_prefix(owner, run, employee):
    """The start of the keys of an employee's payslips of one run."""
    return run_key('payslip', owner, run, employee).rsplit('/', 1)[0] + '/'


def declaration_key(owner, declaration):
    """'wage_tax/r7-c12/2026-p3/s1': the first declaration (serial number 1) of period 3 of 2026."""
    return 'wage_tax/%s/%s-p%s/s%s' % (owner, declaration.year, declaration.period,
                                       _number(declaration.serial_number, declaration.id))


def soap_declaration_key(nmbrs_company_id, declaration_id):
    """The key of a declaration imported over SOAP before version 19.0.1.2.0, by its SOAP ids."""
    return 'wage_tax/%s/%s' % (nmbrs_company_id, declaration_id)

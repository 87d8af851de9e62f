"""The payroll documents the sandbox serves, rendered from the dataset on request.

PDFs name the company, the person, the period and the amounts, so every document
differs. The XML documents (SEPA pain.001, journal, loonaangifte) are illustrative
like the samples: their real content is unknown. Call with ``dataset.lock`` held.
"""
import datetime
from decimal import Decimal

from lxml import etree

from .dataset import DUTCH_MONTHS
from .pdf import render_pdf

PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03'
LOONAANGIFTE_NAMESPACE = 'http://xml.belastingdienst.nl/schemas/Loonaangifte/%d/01'
TAX_OFFICE_NAME = 'Belastingdienst'
TAX_OFFICE_IBAN = 'NL86INGB0002445588'
ANNUAL_DOCUMENT_TITLES = {
    'AnualStatement': 'Jaaropgaven',
    'CompanyWageComponentsCumulative': 'Looncomponenten bedrijf cumulatief',
    'JournalEntriesCompanyrCumulative': 'Journaalposten bedrijf cumulatief',
    'JournalEntriesCostCenterCumulative': 'Journaalposten per kostenplaats cumulatief',
    'JournalEntriesDepartmentCumulative': 'Journaalposten per afdeling cumulatief',
    'JournalEntriesEmployeeCumulative': 'Journaalposten per werknemer cumulatief',
    'LeaveSaldos': 'Verlofsaldi',
    'PaymentListCumulative': 'Betaallijst cumulatief',
    'PayrollRegister': 'Loonjournaal',
    'PayrollRegisterAllEmployees': 'Loonjournaal alle werknemers',
    'PayrollRegisterSummaryCumulative': 'Verzamelloonstaat',
    'ReservationSaldos': 'Reserveringssaldi',
    'SentWageTaxDeclarations': 'Verzonden loonaangiften',
    'WageTaxDeclarationOverviewByPeriod': 'Overzicht loonaangifte per periode',
    'WageTaxDeclarationOverviewCumulative': 'Overzicht loonaangifte cumulatief',
}


def euro(amount):
    """Dutch notation: EUR 2.875,40."""
    return 'EUR ' + '{:,.2f}'.format(amount).replace(',', '_').replace('.', ',').replace('_', '.')


def _period_name(year, period):
    return '%s %d' % (DUTCH_MONTHS[period - 1], year)


def payslip_pdf(dataset, run, employee):
    company = dataset.companies[run.company_id]
    pay = run.pay[employee.id]
    lines = [company.name, 'Werknemer: %s (nr %d)' % (employee.display_name, employee.number),
             'Periode: %d/%d, run %d (%s)' % (run.period, run.year, run.number, run.description),
             '', 'Bruto loon: ' + euro(pay.gross), 'Loonheffing: ' + euro(pay.wage_tax),
             'Pensioenpremie: ' + euro(pay.pension), 'Netto: ' + euro(pay.net),
             'Uitbetaald op: %s' % (employee.iban or '-')]
    if not run.is_locked:
        lines.append('CONCEPT - run nog niet afgesloten')
    return render_pdf('Loonstrook ' + _period_name(run.year, run.period), lines)


def employee_payslips(dataset, run, employee):
    """The employee's Payslip PDFs in the run: usually one; a test may have replaced them."""
    if employee.id in run.payslip_overrides:
        return run.payslip_overrides[employee.id]
    return [payslip_pdf(dataset, run, employee)] if employee.id in run.pay else []


def all_payslips_pdf(dataset, run):
    company = dataset.companies[run.company_id]
    lines = [company.name, '']
    for employee_id, pay in run.pay.items():
        lines.append('%s: bruto %s, netto %s' % (
            dataset.employees[employee_id].display_name, euro(pay.gross), euro(pay.net)))
    lines += ['', 'Totaal netto: ' + euro(sum((pay.net for pay in run.pay.values()), Decimal(0)))]
    return render_pdf('Loonstroken %s (run %d)' % (_period_name(run.year, run.period), run.id), lines)


def _xml_text(root, declaration=True):
    text = etree.tostring(root, encoding='unicode', pretty_print=True).rstrip('\n')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text if declaration else text


def _sub(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, '{%s}%s' % (etree.QName(parent).namespace, tag)
                               if etree.QName(parent).namespace else tag, attributes)
    if text is not None:
        element.text = str(text)
    return element


def _pain_001(message_id, created_at, company, execution_date, purpose, transfers):
    """A SEPA credit transfer; ``transfers`` are (creditor name, IBAN, amount, remittance text)."""
    total = sum((amount for _, _, amount, _ in transfers), Decimal(0))
    root = etree.Element('{%s}Document' % PAIN_001_NAMESPACE, nsmap={None: PAIN_001_NAMESPACE})
    initiation = _sub(root, 'CstmrCdtTrfInitn')
    header = _sub(initiation, 'GrpHdr')
    _sub(header, 'MsgId', message_id)
    _sub(header, 'CreDtTm', created_at.isoformat(timespec='seconds'))
    _sub(header, 'NbOfTxs', len(transfers))
    _sub(header, 'CtrlSum', '%.2f' % total)
    _sub(_sub(header, 'InitgPty'), 'Nm', company.name)
    payment = _sub(initiation, 'PmtInf')
    _sub(payment, 'PmtInfId', message_id + '-1')
    _sub(payment, 'PmtMtd', 'TRF')
    _sub(payment, 'NbOfTxs', len(transfers))
    _sub(payment, 'CtrlSum', '%.2f' % total)
    payment_type = _sub(payment, 'PmtTpInf')
    _sub(_sub(payment_type, 'SvcLvl'), 'Cd', 'SEPA')
    _sub(_sub(payment_type, 'CtgyPurp'), 'Cd', purpose)
    _sub(payment, 'ReqdExctnDt', execution_date.isoformat())
    _sub(_sub(payment, 'Dbtr'), 'Nm', company.name)
    _sub(_sub(_sub(payment, 'DbtrAcct'), 'Id'), 'IBAN', company.iban)
    _sub(_sub(_sub(payment, 'DbtrAgt'), 'FinInstnId'), 'BIC', company.bic)
    _sub(payment, 'ChrgBr', 'SLEV')
    for number, (name, iban, amount, remittance) in enumerate(transfers, start=1):
        transfer = _sub(payment, 'CdtTrfTxInf')
        _sub(_sub(transfer, 'PmtId'), 'EndToEndId', '%s-%d' % (message_id, number))
        _sub(_sub(transfer, 'Amt'), 'InstdAmt', '%.2f' % amount, Ccy='EUR')
        _sub(_sub(transfer, 'Cdtr'), 'Nm', name)
        _sub(_sub(_sub(transfer, 'CdtrAcct'), 'Id'), 'IBAN', iban)
        _sub(_sub(transfer, 'RmtInf'), 'Ustrd', remittance)
    return _xml_text(root)


def _execution_date(run, payment_date):
    return payment_date.date() if payment_date else run.run_at.date() + datetime.timedelta(days=1)


def sepa_xml(dataset, run, payment_date):
    """Net wages of the run as pain.001, or None when nobody is paid."""
    if not run.pay:
        return None
    company = dataset.companies[run.company_id]
    remittance = 'Salaris ' + _period_name(run.year, run.period)
    transfers = [(dataset.employees[employee_id].display_name, dataset.employees[employee_id].iban,
                  pay.net, remittance) for employee_id, pay in run.pay.items()]
    return _pain_001('NMBRS%dR%d' % (company.id, run.id), run.run_at + datetime.timedelta(minutes=5),
                     company, _execution_date(run, payment_date), 'SALA', transfers)


def sepa_tax_xml(dataset, run, declaration, payment_date):
    """The wage tax payment of a declaration as pain.001."""
    company = dataset.companies[run.company_id]
    transfers = [(TAX_OFFICE_NAME, TAX_OFFICE_IBAN, Decimal(declaration.total_general),
                  declaration.payment_reference)]
    return _pain_001('NMBRS%dT%d' % (company.id, declaration.id), run.run_at + datetime.timedelta(minutes=6),
                     company, _execution_date(run, payment_date), 'TAXS', transfers)


def journal_xml(dataset, run):
    """The run's journal entries in the shape of the Nmbrs XML reference (no XML declaration)."""
    def total(attribute):
        return sum((getattr(pay, attribute) for pay in run.pay.values()), Decimal(0))

    entries = [('4000', total('gross'), 'debit', 'Brutoloon'),
               ('1600', total('wage_tax'), 'credit', 'Af te dragen loonheffing'),
               ('1620', total('pension'), 'credit', 'Af te dragen pensioenpremie'),
               ('1610', total('net'), 'credit', 'Netto lonen')]
    root = etree.Element('transactions')
    transaction = _sub(root, 'transaction')
    header = _sub(transaction, 'header')
    _sub(header, 'date', datetime.datetime.combine(run.run_at.date(), datetime.time()).isoformat())
    _sub(header, 'period', '%d/%d' % (run.period, run.year))
    lines = _sub(transaction, 'lines')
    for number, (ledger, amount, side, description) in enumerate(entries):
        line = _sub(lines, 'line', id=str(number))
        for tag, text in (('dim1', ledger), ('dim2', 0), ('dim3', 0), ('value', '%.2f' % amount),
                          ('debitcredit', side), ('description', description)):
            _sub(line, tag, text)
    return _xml_text(root, declaration=False)


def wage_tax_xml(dataset, declaration):
    company = dataset.companies[declaration.company_id]
    namespace = LOONAANGIFTE_NAMESPACE % declaration.year
    root = etree.Element('{%s}Loonaangifte' % namespace, nsmap={None: namespace}, version='1.0')
    message = _sub(root, 'Bericht')
    _sub(message, 'IdBer', 'NMBRS-%d' % declaration.id)
    _sub(message, 'NmVoorlProg', 'Nmbrs')
    _sub(message, 'TijdstipAanmaak', declaration.tijdvak_end.isoformat(timespec='seconds'))
    unit = _sub(root, 'AdministratieveEenheid')
    _sub(unit, 'LhNr', '8%sL01' % company.kvk_nr)
    _sub(unit, 'NmIP', company.name)
    period = _sub(unit, 'TijdvakAangifte')
    _sub(period, 'DatAanvTv', declaration.tijdvak_start.date().isoformat())
    _sub(period, 'DatEindTv', declaration.tijdvak_end.date().isoformat())
    _sub(_sub(period, 'CollectieveAangifte'), 'TotTeBet', declaration.total_general)
    return _xml_text(root)


def _year_totals(runs, employee_id):
    pays = [run.pay[employee_id] for run in runs if employee_id in run.pay]
    return (sum((pay.gross for pay in pays), Decimal(0)), sum((pay.wage_tax for pay in pays), Decimal(0)))


def annual_document_pdf(dataset, company, year, kind):
    runs = dataset.company_runs(company.id, year)
    employee_ids = list(dict.fromkeys(employee_id for run in runs for employee_id in run.pay))
    lines = [company.name, 'KvK %s, loonheffingennummer 8%sL01' % (company.kvk_nr, company.kvk_nr),
             '%d runs in %d' % (len(runs), year), '']
    for employee_id in employee_ids:
        gross, wage_tax = _year_totals(runs, employee_id)
        lines.append('%s: bruto %s, loonheffing %s' % (
            dataset.employees[employee_id].display_name, euro(gross), euro(wage_tax)))
    return render_pdf('%s %d' % (ANNUAL_DOCUMENT_TITLES[kind], year), lines)


def annual_statement_pdf(dataset, employee, year):
    """The employee's jaaropgaaf, or None when the year is open or they were not paid in it."""
    runs = dataset.employee_runs(employee.id, year)
    if not runs or not dataset.year_closed(employee.company_id, year):
        return None
    gross, wage_tax = _year_totals(runs, employee.id)
    company = dataset.companies[employee.company_id]
    return render_pdf('Jaaropgaaf %d' % year, [
        company.name, 'Werknemer: %s (nr %d)' % (employee.display_name, employee.number),
        'BSN: %s' % (employee.bsn or '-'), '', 'Loon voor de loonheffing: ' + euro(gross),
        'Ingehouden loonheffing: ' + euro(wage_tax)])

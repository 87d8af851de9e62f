"""Reads the payroll journal file Nmbrs makes per run (plain Python, no Odoo).

Every assumption about the file's layout lives here. Nmbrs documents the
layout only by example (its XML reference, the samples, what the sandbox
serves):

    <transactions>
      <transaction>
        <header><date>2024-01-24T00:00:00</date><period>1/2024</period></header>
        <lines>
          <line id="0"><dim1>4000</dim1><dim2>0</dim2><dim3>0</dim3><value>7640.00</value>
                       <debitcredit>debit</debitcredit><description>Brutoloon</description></line>
          ...

- Elements are found by name, at any depth and in any namespace, so a wrapper
  element or a namespace Nmbrs may add changes nothing.
- ``dim1`` is the ledger account, ``dim2`` the cost center, ``dim3`` the cost
  unit; a dimension that is missing, empty or ``0`` is not given.
- ``value`` is an amount in euros with a dot for decimals (rounded half up to
  the cent); a negative value counts on the other side. ``debitcredit`` says
  ``debit`` or ``credit`` (any case; ``D``/``C`` too).
- The transaction's ``date`` is the payment date of the run.
"""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

CENT = Decimal('0.01')
# Dimension values that mean "no cost center / no cost unit".
NO_DIMENSION = {'', '0'}
SIDES = {'debit': 'debit', 'd': 'debit', 'credit': 'credit', 'c': 'credit'}


class JournalLayoutError(ValueError):
    """The file is not a journal this module can read; ``reason`` says why, ``detail`` where."""

    def __init__(self, reason, detail=''):
        super().__init__('%s %s' % (reason, detail))
        self.reason = reason  # 'unreadable', 'no_lines', 'no_ledger', 'bad_amount', 'bad_side'
        self.detail = detail


@dataclass(frozen=True)
class JournalLine:
    ledger: str
    cost_center: str | None
    cost_unit: str | None
    debit: Decimal
    credit: Decimal
    description: str


@dataclass(frozen=True)
class PayrollJournal:
    date: datetime.date | None  # the payment date, when the file gives one
    lines: tuple

    @property
    def total_debit(self):
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def total_credit(self):
        return sum((line.credit for line in self.lines), Decimal(0))

    @property
    def difference(self):
        """Debit minus credit, to the cent: 0 when the journal balances."""
        return self.total_debit - self.total_credit

    def codes(self, dimension):
        """{code: first description} of 'ledger', 'cost_center' or 'cost_unit', in the file's order."""
        codes = {}
        for line in self.lines:
            code = getattr(line, dimension)
            if code and code not in codes:
                codes[code] = line.description
        return codes


def _children(element, name):
    return [child for child in element.iter() if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _text(element, name):
    found = _children(element, name)
    return (found[0].text or '').strip() if found else ''


def _date(text):
    try:
        return datetime.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def parse_journal(raw):
    """The PayrollJournal of the file's bytes; raises JournalLayoutError when it cannot be read."""
    try:
        root = etree.fromstring(raw, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError) as error:
        raise JournalLayoutError('unreadable', str(error)[:200]) from None
    lines, date = [], None
    for transaction in _children(root, 'transaction') or [root]:
        date = date or _date(_text(transaction, 'date'))
        for number, line in enumerate(_children(transaction, 'line'), start=1):
            where = line.get('id') or str(number)
            ledger = _text(line, 'dim1')
            if ledger in NO_DIMENSION:
                raise JournalLayoutError('no_ledger', where)
            try:
                value = Decimal(_text(line, 'value').replace(',', '.')).quantize(CENT, ROUND_HALF_UP)
            except InvalidOperation:
                raise JournalLayoutError('bad_amount', where) from None
            side = SIDES.get(_text(line, 'debitcredit').lower())
            if not side:
                raise JournalLayoutError('bad_side', where)
            if value < 0:
                value, side = -value, 'credit' if side == 'debit' else 'debit'
            cost_center, cost_unit = _text(line, 'dim2'), _text(line, 'dim3')
            lines.append(JournalLine(
                ledger=ledger,
                cost_center=None if cost_center in NO_DIMENSION else cost_center,
                cost_unit=None if cost_unit in NO_DIMENSION else cost_unit,
                debit=value if side == 'debit' else Decimal(0),
                credit=value if side == 'credit' else Decimal(0),
                description=_text(line, 'description')))
    if not lines:
        raise JournalLayoutError('no_lines')
    return PayrollJournal(date=date, lines=tuple(lines))

"""Reading the payroll journal file: what the sandbox serves, Nmbrs's sample, and files that differ."""
import datetime
from decimal import Decimal

from lxml import etree

from odoo.tools.misc import file_path

from odoo.addons.nmbrs_connector.nmbrs.sandbox import demo_dataset
from odoo.addons.nmbrs_connector.nmbrs.sandbox.documents import journal_xml
from odoo.addons.nmbrs_connector.tests.common import PlainCase

from ..payroll_journal import JournalLayoutError, parse_journal

SAMPLE = 'nmbrs_connector/tests/data/nmbrs_samples/CompanyService.Journals_GetByRunCompany_v2.xml'


def journal(*lines, date='2026-03-25T00:00:00', namespace=None):
    """A journal file of (dim1, dim2, dim3, value, debitcredit, description) lines; None leaves an element out."""
    tags = ('dim1', 'dim2', 'dim3', 'value', 'debitcredit', 'description')
    xmlns = ' xmlns="%s"' % namespace if namespace else ''
    body = ''.join('<line id="%d">%s</line>' % (number, ''.join(
        '<%s>%s</%s>' % (tag, text, tag) for tag, text in zip(tags, line) if text is not None))
        for number, line in enumerate(lines))
    return ('<transactions%s><transaction><header><date>%s</date><period>3/2026</period></header>'
            '<lines>%s</lines></transaction></transactions>' % (xmlns, date, body)).encode()


class TestPayrollJournal(PlainCase):

    def test_reads_what_the_sandbox_serves(self):
        dataset = demo_dataset()
        with dataset.lock:
            company = next(iter(dataset.companies.values()))
            run = dataset.company_runs(company.id)[0]
            raw = journal_xml(dataset, run).encode()
        parsed = parse_journal(raw)
        self.assertEqual(parsed.date, run.run_at.date())
        self.assertEqual([line.ledger for line in parsed.lines], ['4000', '1600', '1620', '1610'])
        self.assertEqual(parsed.difference, 0)
        self.assertGreater(parsed.total_debit, 0)
        self.assertEqual({line.cost_center for line in parsed.lines}, {None}, "dimension 0 means none")
        self.assertEqual(parsed.codes('ledger')['4000'], 'Brutoloon')

    def test_reads_the_nmbrs_sample(self):
        """The journal of Nmbrs's own sample answer (Journals_GetByRunCompany_v2), unescaped."""
        envelope = etree.parse(file_path(SAMPLE))
        result = envelope.find('.//{https://api.nmbrs.nl/soap/v3/CompanyService}Journals_GetByRunCompany_v2Result')
        parsed = parse_journal(result.text.encode())
        self.assertEqual(parsed.date, datetime.date(2024, 1, 24))
        self.assertEqual([(line.ledger, line.debit, line.credit) for line in parsed.lines], [
            ('4000', Decimal('7640.00'), 0), ('1600', 0, Decimal('4312.00')), ('1610', 0, Decimal('3328.00'))])
        self.assertEqual(parsed.difference, 0)

    def test_dimensions_by_element_name_in_any_order_and_namespace(self):
        raw = journal(('4000', 'KP10', 'KD7', '100.005', 'Debit', 'Bruto'),
                      ('1610', None, '', '100.01', 'C', 'Netto'), namespace='urn:example')
        first, second = parse_journal(raw).lines
        self.assertEqual((first.cost_center, first.cost_unit, first.debit), ('KP10', 'KD7', Decimal('100.01')))
        self.assertEqual((second.cost_center, second.cost_unit, second.credit), (None, None, Decimal('100.01')))

    def test_a_negative_value_counts_on_the_other_side(self):
        first, = parse_journal(journal(('4000', '0', '0', '-12.50', 'debit', 'Correctie'))).lines
        self.assertEqual((first.debit, first.credit), (0, Decimal('12.50')))

    def test_the_difference_of_an_unbalanced_journal(self):
        parsed = parse_journal(journal(('4000', '0', '0', '100.00', 'debit', 'a'), ('1610', '0', '0', '99.99', 'credit', 'b')))
        self.assertEqual(parsed.difference, Decimal('0.01'))

    def test_unreadable_files_say_why(self):
        cases = {
            b'<transactions><transaction>': 'unreadable',
            b'not xml at all': 'unreadable',
            b'<transactions/>': 'no_lines',
            journal((None, '0', '0', '1.00', 'debit', 'x')): 'no_ledger',
            journal(('4000', '0', '0', 'veel', 'debit', 'x')): 'bad_amount',
            journal(('4000', '0', '0', '1.00', 'links', 'x')): 'bad_side',
        }
        for raw, reason in cases.items():
            with self.subTest(reason=reason, raw=raw[:40]), self.assertRaises(JournalLayoutError) as caught:
                parse_journal(raw)
            self.assertEqual(caught.exception.reason, reason)

    def test_no_entities_are_expanded(self):
        raw = (b'<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><transactions><transaction><lines>'
               b'<line><dim1>4000</dim1><value>1</value><debitcredit>debit</debitcredit>'
               b'<description>&x;</description></line></lines></transaction></transactions>')
        line, = parse_journal(raw).lines
        self.assertNotIn('root', line.description)

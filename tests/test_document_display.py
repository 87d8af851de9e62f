from odoo.tests import TransactionCase, tagged

from ..models.nmbrs_document import file_size_text


@tagged('post_install', '-at_install')
class TestDocumentDisplay(TransactionCase):
    """How documents and declaration statuses read, in English and Dutch."""

    def test_file_sizes_read_with_a_unit_in_the_users_language(self):
        english, dutch = self.env(context={'lang': 'en_US'}), self.env(context={'lang': 'nl_NL'})
        self.assertEqual(file_size_text(english, 0), '0 bytes')
        self.assertEqual(file_size_text(english, 1023), '1023 bytes')
        self.assertEqual(file_size_text(english, 1081), '1.06 KB')
        self.assertEqual(file_size_text(dutch, 1081), '1,06 KB')
        self.assertEqual(file_size_text(dutch, 3 * 1024 * 1024), '3,00 MB')

    def test_known_declaration_statuses_read_in_words_with_the_nmbrs_text_unknown_ones_as_nmbrs_wrote_them(self):
        statuses = self.env['nmbrs.wage.tax.status'].create([{'name': 'SentExternal'}, {'name': 'Approved'}])
        self.assertEqual(statuses.with_context(lang='en_US').mapped('display_name'),
                         ['Sent outside Nmbrs (SentExternal)', 'Approved'])
        self.assertEqual(statuses.with_context(lang='nl_NL').mapped('display_name'),
                         ['Buiten Nmbrs verzonden (SentExternal)', 'Approved'])

    def test_years_periods_and_ids_are_no_measures(self):
        measures = {name for name, field in self.env['nmbrs.document'].fields_get(attributes=['aggregator']).items()
                    if field.get('aggregator')}
        self.assertFalse(measures)

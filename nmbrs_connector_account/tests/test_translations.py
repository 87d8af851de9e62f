"""The bridge speaks Dutch: every term has a translation in its i18n/nl.po, and it reaches the user."""
from odoo.tests import TransactionCase, tagged

from odoo.addons.nmbrs_connector.tests.test_translations import assert_every_term_in_dutch

MODULE = 'nmbrs_connector_account'


@tagged('post_install', '-at_install')
class TestDutchTranslation(TransactionCase):

    def test_every_term_has_a_dutch_translation(self):
        assert_every_term_in_dutch(self, MODULE, at_least=20)

    def test_dutch_reaches_the_user(self):
        self.env['res.lang']._activate_lang('nl_NL')
        self.env['ir.module.module']._load_module_terms([MODULE], ['nl_NL'])
        env = self.env(context=dict(self.env.context, lang='nl_NL'))
        company_fields = env['res.company'].fields_get(['nmbrs_book_journals', 'nmbrs_unmapped_policy'],
                                                       ['string', 'selection'])
        self.assertEqual(company_fields['nmbrs_book_journals']['string'], 'Loonjournaalposten boeken')
        self.assertIn(('suspense', 'Boek ze op een tussenrekening'),
                      company_fields['nmbrs_unmapped_policy']['selection'])
        self.assertEqual(env.ref(f'{MODULE}.menu_nmbrs_ledger_mapping').name, 'Nmbrs-grootboekkoppeling')

"""The addon speaks Dutch: every term has a translation in i18n/nl.po, and it reaches the user."""
import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.nmbrs_connector.models import counted_words
from odoo.addons.nmbrs_connector.nmbrs.errors import NmbrsAuthenticationError, NmbrsPermissionError

MODULE = 'nmbrs_connector'


def assert_every_term_in_dutch(case, module, at_least):
    """Fail ``case`` while a term of ``module`` has no Dutch translation in its i18n/nl.po."""
    reader = TranslationModuleReader(case.env.cr, modules=[module])
    terms = {source for term_module, _type, _name, _res_id, source, _value, _comments in reader
             if term_module == module}
    case.assertGreater(len(terms), at_least, "the reader should find the addon's terms")

    catalog = polib.pofile(file_path(f'{module}/i18n/nl.po'))
    case.assertEqual(catalog.metadata.get('Language'), 'nl')
    translated = {entry.msgid for entry in catalog
                  if entry.msgstr and 'fuzzy' not in entry.flags and not entry.obsolete}
    missing = sorted(terms - translated)
    case.assertFalse(
        missing,
        "%d terms have no Dutch translation in %s/i18n/nl.po; run scripts/i18n.sh %s and translate them:\n%s"
        % (len(missing), module, module, '\n'.join('  %r' % term for term in missing)))


@tagged('post_install', '-at_install')
class TestDutchTranslation(TransactionCase):

    def test_every_term_has_a_dutch_translation(self):
        assert_every_term_in_dutch(self, MODULE, at_least=100)

    def test_dutch_reaches_the_user(self):
        self.env['res.lang']._activate_lang('nl_NL')
        self.env['ir.module.module']._load_module_terms([MODULE], ['nl_NL'])
        env = self.env(context=dict(self.env.context, lang='nl_NL'))

        # A field label, as the form shows it, and a selection value.
        partner_fields = env['res.partner'].fields_get(['nmbrs_debtor_number'], ['string'])
        self.assertEqual(partner_fields['nmbrs_debtor_number']['string'], 'Nmbrs-debiteurnummer')
        company_fields = env['res.company'].fields_get(['nmbrs_sync_direction'], ['string', 'selection'])
        self.assertEqual(company_fields['nmbrs_sync_direction']['string'], 'Synchronisatierichting')
        self.assertIn(('incoming', 'Inkomend: Nmbrs is leidend'), company_fields['nmbrs_sync_direction']['selection'])
        # The tenant key is Dutch as a whole, not half ("Nmbrs-tenant key").
        tenant_key = env['res.config.settings'].fields_get(['nmbrs_tenant_key'], ['string'])['nmbrs_tenant_key']
        self.assertEqual(tenant_key['string'], 'Nmbrs-omgevingscode')

        # Menus.
        self.assertEqual(env.ref(f'{MODULE}.menu_nmbrs_documents').name, 'Documenten')
        self.assertEqual(env.ref(f'{MODULE}.menu_nmbrs_annual_documents').name, 'Jaarwerk')
        self.assertEqual(env.ref(f'{MODULE}.menu_nmbrs_sync_log').name, 'Synchronisatielogboek')

        # Messages written in Python, with their placeholders filled in.
        company = env.company
        message = company._nmbrs_error_message(NmbrsAuthenticationError("login refused", code=1001))
        self.assertEqual(
            message,
            "Nmbrs heeft de login geweigerd. Controleer het inlog-e-mailadres, het API-token en de omgevingscode "
            "(het deel van je Nmbrs-adres vóór .nmbrs.nl).")
        message = company._nmbrs_error_message(NmbrsPermissionError(
            "right missing", code=1002, right='CompanyService.Run_GetList'))
        self.assertEqual(
            message,
            "Het user template van de Nmbrs-API-gebruiker staat CompanyService.Run_GetList niet toe. "
            "Ga in Nmbrs naar Instellingen > User templates, open het template van deze gebruiker, klik op de "
            "tandwieltjes in de kolom API en zet CompanyService.Run_GetList op Actief.")
        self.assertNotIn('%(', message)

        # The same message stays English for an English user.
        english = company.with_context(lang='en_US')._nmbrs_error_message(
            NmbrsAuthenticationError("login refused", code=1001))
        self.assertTrue(english.startswith("Nmbrs refused the login."), english)

    def test_counts_are_singular_for_one_in_both_languages(self):
        self.env['res.lang']._activate_lang('nl_NL')
        self.env['ir.module.module']._load_module_terms([MODULE], ['nl_NL'])
        english, dutch = self.env(context=dict(self.env.context, lang='en_US')), self.env(
            context=dict(self.env.context, lang='nl_NL'))
        expected = {
            counted_words.relations: (
                ('no relations', '1 relation', '2 relations'), ('geen relaties', '1 relatie', '2 relaties')),
            counted_words.documents: (
                ('no documents', '1 document', '2 documents'), ('geen documenten', '1 document', '2 documenten')),
            counted_words.new_payroll_documents: (
                ('no new payroll documents', '1 new payroll document', '2 new payroll documents'),
                ('geen nieuwe loondocumenten', '1 nieuw loondocument', '2 nieuwe loondocumenten')),
        }
        for phrase, (in_english, in_dutch) in expected.items():
            self.assertEqual(tuple(phrase(english, count) for count in range(3)), in_english)
            self.assertEqual(tuple(phrase(dutch, count) for count in range(3)), in_dutch)

from odoo import Command
from odoo.tests import TransactionCase, tagged

from ..nmbrs import api_facts


@tagged('post_install', '-at_install')
class TestRestSwitchProgress(TransactionCase):
    """Settings: "Nmbrs ends SOAP on 1 March 2027: N of M debtors are on REST", in English and Dutch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env['res.company'].create({'name': 'Ander kantoor B.V.'})

    def link(self, debtor_number, company=None):
        partner = self.env['res.partner'].create({'name': 'Debiteur %s' % debtor_number, 'is_company': True})
        return self.env['nmbrs.link'].create({'company_id': (company or self.company).id, 'partner_id': partner.id,
                                              'nmbrs_debtor_number': debtor_number})

    def consent(self, *numbers, state='active', company=None):
        return self.env['nmbrs.consent'].create({
            'company_id': (company or self.company).id, 'state': state,
            'debtor_ids': [Command.create({'nmbrs_debtor_guid': 'guid-%s' % number, 'number': number,
                                           'name': 'Debiteur %s' % number}) for number in numbers]})

    def progress(self, lang='en_US'):
        return self.company.with_context(lang=lang)._nmbrs_rest_progress()

    def test_no_debtor_linked_yet(self):
        self.assertEqual(self.company._nmbrs_debtors_on_rest(), (0, 0))
        self.assertEqual(self.progress(),
                         "Nmbrs ends SOAP on 1 March 2027: no relation is linked to a Nmbrs debtor yet.")
        self.assertEqual(self.progress('nl_NL'),
                         "Nmbrs stopt op 1 maart 2027 met SOAP: nog geen relatie is aan een Nmbrs-debiteur gekoppeld.")

    def test_a_debtor_counts_once_and_only_an_active_consent_moves_it(self):
        # Two relations of debtor 100 (the debtor and one of its companies) are one debtor.
        self.link('100')
        self.link('100')
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2027: 0 of 1 debtor is on REST.")
        self.assertEqual(self.progress('nl_NL'),
                         "Nmbrs stopt op 1 maart 2027 met SOAP: 0 van 1 debiteur is overgestapt op REST.")
        consent = self.consent('100', state='renew')
        self.assertEqual(self.company._nmbrs_debtors_on_rest(), (0, 1))
        consent.state = 'active'
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2027: 1 of 1 debtor is on REST.")
        self.assertEqual(self.progress('nl_NL'),
                         "Nmbrs stopt op 1 maart 2027 met SOAP: 1 van 1 debiteur is overgestapt op REST.")

    def test_counts_agree_in_number(self):
        for number in ('100', '200', '300'):
            self.link(number)
        self.link('400', company=self.other_company)
        # A consent of another company, or of a debtor no relation is linked to, does not count here.
        self.consent('200', company=self.other_company)
        self.consent('500')
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2027: 0 of 3 debtors are on REST.")
        self.consent('100')
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2027: 1 of 3 debtors is on REST.")
        self.assertEqual(self.progress('nl_NL'),
                         "Nmbrs stopt op 1 maart 2027 met SOAP: 1 van de 3 debiteuren is overgestapt op REST.")
        # One consent spanning two debtors moves both.
        self.consent('200', '300')
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2027: 3 of 3 debtors are on REST.")
        self.assertEqual(self.progress('nl_NL'),
                         "Nmbrs stopt op 1 maart 2027 met SOAP: 3 van de 3 debiteuren zijn overgestapt op REST.")

    def test_settings_show_it_with_the_debtors_still_on_soap(self):
        self.link('100')
        self.link('200')
        self.consent('100')
        settings = self.env['res.config.settings'].create({})
        self.assertEqual(settings.nmbrs_rest_progress,
                         "Nmbrs ends SOAP on 1 March 2027: 1 of 2 debtors is on REST.")
        self.assertEqual(settings.nmbrs_debtors_without_consent_count, 1)
        waiting = self.env['nmbrs.debtor.without.consent'].search([('company_id', '=', self.company.id)])
        self.assertEqual(waiting.mapped('debtor_number'), ['200'])

    def test_the_date_lives_in_api_facts(self):
        self.link('100')
        self.patch(api_facts, 'SOAP_END_DATE', api_facts.SOAP_END_DATE.replace(year=2028))
        self.assertEqual(self.progress(), "Nmbrs ends SOAP on 1 March 2028: 0 of 1 debtor is on REST.")

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestPartnerLink(NmbrsSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dataset = cls.sandbox.dataset
        cls.nmbrs_company, cls.other_nmbrs_company = list(dataset.companies.values())[:2]
        cls.debtor = dataset.debtors[cls.nmbrs_company.debtor_id]
        cls.employee = dataset.company_employees(cls.nmbrs_company.id)[0]

    def _wizard(self, partners):
        return self.env['nmbrs.link.wizard'].with_context(
            active_model='res.partner', active_ids=partners.ids).create({})

    def _company_partner(self, **values):
        return self.env['res.partner'].create({'is_company': True, **values})

    def test_link_by_kvk_number(self):
        partner = self._company_partner(name='Administratie 1044', company_registry=self.nmbrs_company.kvk_nr)
        wizard = self._wizard(partner)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual(best.nmbrs_id, self.nmbrs_company.id)
        self.assertTrue(best.selected)
        self.assertIn('KvK', best.reason)
        wizard.action_link()
        self.assertEqual(partner.nmbrs_company_id, self.nmbrs_company.id)
        self.assertEqual(partner.nmbrs_company_number, self.nmbrs_company.number)
        self.assertEqual(partner.nmbrs_debtor_id, self.debtor.id)
        self.assertEqual(partner.nmbrs_debtor_number, self.debtor.number)

    def test_link_by_number_when_numbers_must_match(self):
        self.company.nmbrs_numbers_must_match = True
        partner = self._company_partner(name='Totally different', ref=str(self.other_nmbrs_company.number))
        same_name = self._company_partner(name=self.nmbrs_company.name, ref='no-such-number')
        wizard = self._wizard(partner)
        self.assertEqual(wizard.line_ids.nmbrs_id, self.other_nmbrs_company.id)
        self.assertTrue(wizard.line_ids.selected)
        wizard.action_link()
        self.assertEqual(partner.nmbrs_company_id, self.other_nmbrs_company.id)
        # With numbers that must match, an equal name alone proposes nothing.
        self.assertFalse(self._wizard(same_name).line_ids)

    def test_link_by_exact_name(self):
        partner = self._company_partner(name=self.nmbrs_company.name.upper())
        wizard = self._wizard(partner)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual(best.nmbrs_id, self.nmbrs_company.id)
        self.assertTrue(best.selected)
        wizard.action_link()
        self.assertEqual(partner.nmbrs_company_id, self.nmbrs_company.id)

    def test_weak_match_is_proposed_but_never_linked_silently(self):
        name = self.nmbrs_company.name
        partner = self._company_partner(name=name[:3] + 'x' + name[4:])
        wizard = self._wizard(partner)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual(best.nmbrs_id, self.nmbrs_company.id)
        self.assertLess(best.score, 90)
        self.assertIn('similar name', best.reason)
        self.assertFalse(wizard.line_ids.filtered('selected'))
        with self.assertRaises(UserError):
            wizard.action_link()
        self.assertFalse(partner.nmbrs_linked)
        best.selected = True
        wizard.action_link()
        self.assertEqual(partner.nmbrs_company_id, self.nmbrs_company.id)

    def test_person_links_to_an_employee_of_the_linked_company(self):
        company_partner = self._company_partner(name='Employer', nmbrs_company_id=self.nmbrs_company.id)
        person = self.env['res.partner'].create({
            'name': self.employee.display_name, 'parent_id': company_partner.id, 'email': self.employee.email_work})
        wizard = self._wizard(person)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual((best.kind, best.nmbrs_id), ('employee', self.employee.id))
        self.assertIn('same e-mail', best.reason)
        self.assertTrue(best.selected)
        wizard.action_link()
        self.assertEqual(person.nmbrs_employee_id, self.employee.id)
        self.assertEqual(person.nmbrs_employee_number, self.employee.number)

    def test_person_without_linked_company_gets_no_proposal(self):
        person = self.env['res.partner'].create({'name': self.employee.display_name})
        wizard = self._wizard(person)
        self.assertFalse(wizard.line_ids)
        self.assertIn(self.employee.display_name, wizard.unmatched)

    def test_bulk_link_previews_and_ticks_only_strong_matches(self):
        strong = self._company_partner(name='Klant A', company_registry=self.nmbrs_company.kvk_nr)
        name = self.other_nmbrs_company.name
        weak = self._company_partner(name=name[:3] + 'x' + name[4:])
        nothing = self._company_partner(name='Bakkerij Zonder Nmbrs')
        wizard = self._wizard(strong | weak | nothing)
        self.assertEqual(wizard.line_ids.partner_id, strong | weak)
        self.assertEqual(wizard.line_ids.filtered('selected').partner_id, strong)
        self.assertIn('Bakkerij Zonder Nmbrs', wizard.unmatched)
        wizard.action_link()
        self.assertEqual(strong.nmbrs_company_id, self.nmbrs_company.id)
        self.assertFalse(weak.nmbrs_linked)
        self.assertFalse(nothing.nmbrs_linked)

    def test_records_linked_elsewhere_are_not_proposed(self):
        self._company_partner(name='Already linked', nmbrs_company_id=self.nmbrs_company.id)
        partner = self._company_partner(name='Klant B', company_registry=self.nmbrs_company.kvk_nr)
        self.assertNotIn(self.nmbrs_company.id, self._wizard(partner).line_ids.mapped('nmbrs_id'))

    def test_partner_form_buttons(self):
        partner = self._company_partner(name=self.nmbrs_company.name)
        action = partner.action_nmbrs_link()
        self.assertEqual(action['res_model'], 'nmbrs.link.wizard')
        self.company.nmbrs_state = 'disconnected'
        with self.assertRaises(UserError):
            partner.action_nmbrs_link()

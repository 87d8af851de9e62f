import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

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
        """The wizard the Link to Nmbrs button (or the list's action) opens."""
        action = partners.action_nmbrs_link()
        return self.env[action['res_model']].browse(action['res_id'])

    def _company_partner(self, **values):
        return self.env['res.partner'].create({'is_company': True, **values})

    def _line(self, wizard, partner):
        return wizard.line_ids.filtered(lambda line: line.partner_id == partner)

    def test_link_as_the_browser_does(self):
        """The web client sends back only the ticks, never the read-only proposal columns."""
        partner = self._company_partner(name='Klant A', company_registry=self.nmbrs_company.kvk_nr)
        action = partner.action_nmbrs_link()
        self.assertEqual(action['res_model'], 'nmbrs.link.wizard')
        self.assertTrue(action.get('res_id'), "the proposals exist before the dialog opens")
        with Form(self.env['nmbrs.link.wizard'].browse(action['res_id'])) as form:
            with form.line_ids.edit(0) as line:
                self.assertTrue(line.selected)
        answer = form.record.action_link()
        self.assertEqual(answer['params']['type'], 'success')
        self.assertEqual(answer['params']['message'], 'Klant A is linked to Nmbrs.')
        self.assertEqual(partner.nmbrs_company_id, self.nmbrs_company.id)

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

    def test_a_name_alone_is_proposed_but_never_ticked(self):
        partner = self._company_partner(name=self.nmbrs_company.name.upper())
        wizard = self._wizard(partner)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual(best.nmbrs_id, self.nmbrs_company.id)
        self.assertEqual(best.reason, 'same name')
        self.assertLess(best.score, 90)
        self.assertFalse(wizard.line_ids.filtered('selected'))
        best.selected = True
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
        answer = wizard.action_link()
        self.assertEqual(answer['params']['message'], 'Klant A is linked to Nmbrs.')
        self.assertEqual(strong.nmbrs_company_id, self.nmbrs_company.id)
        self.assertFalse(weak.nmbrs_linked)
        self.assertFalse(nothing.nmbrs_linked)

    def test_bulk_link_ticks_the_best_match_per_nmbrs_record_whatever_the_selection_order(self):
        duplicate = self._company_partner(name=self.nmbrs_company.name)
        real = self._company_partner(name=self.nmbrs_company.name, company_registry=self.nmbrs_company.kvk_nr)
        for order in (duplicate | real, real | duplicate):
            with self.subTest(first=order[:1].company_registry or 'duplicate'):
                wizard = self._wizard(order)
                self.assertEqual(self._line(wizard, real).nmbrs_id, self.nmbrs_company.id)
                self.assertEqual(self._line(wizard, real).score, 100)
                self.assertTrue(self._line(wizard, real).selected)
                self.assertEqual(self._line(wizard, duplicate).nmbrs_id, self.nmbrs_company.id)
                self.assertFalse(self._line(wizard, duplicate).selected)
                self.assertIn('matches better', self._line(wizard, duplicate).reason)

    def test_bulk_link_of_two_relations_and_two_nmbrs_companies(self):
        first = self._company_partner(name='Klant A', company_registry=self.nmbrs_company.kvk_nr)
        second = self._company_partner(name='Klant B', company_registry=self.other_nmbrs_company.kvk_nr)
        answer = self._wizard(first | second).action_link()
        self.assertEqual(answer['params']['message'], '2 relations are linked to Nmbrs.')
        self.assertEqual((first.nmbrs_company_id, second.nmbrs_company_id),
                         (self.nmbrs_company.id, self.other_nmbrs_company.id))

    def test_equal_matches_leave_the_choice_to_the_user(self):
        twins = self._company_partner(name='Klant A', company_registry=self.nmbrs_company.kvk_nr) \
            | self._company_partner(name='Klant B', company_registry=self.nmbrs_company.kvk_nr)
        wizard = self._wizard(twins)
        self.assertEqual(len(wizard.line_ids), 2)
        self.assertFalse(wizard.line_ids.filtered('selected'))
        wizard.line_ids.selected = True
        with self.assertRaisesRegex(UserError, 'one relation only'):
            wizard.action_link()

    def test_record_linked_elsewhere_is_named_instead_of_proposed(self):
        owner = self._company_partner(name='Already linked', nmbrs_company_id=self.nmbrs_company.id)
        partner = self._company_partner(name='Klant B', company_registry=self.nmbrs_company.kvk_nr)
        wizard = self._wizard(partner)
        self.assertNotIn(self.nmbrs_company.id, wizard.line_ids.mapped('nmbrs_id'))
        self.assertFalse(wizard.line_ids, "nothing else looks like Klant B")
        self.assertEqual(
            wizard.linked_notes,
            '%s is already linked to relation Already linked: is Klant B a duplicate of it?' % self.nmbrs_company.name)
        self.assertFalse(wizard.unmatched)
        self.assertEqual(owner.nmbrs_company_id, self.nmbrs_company.id)

    def test_a_linked_relation_is_told_so_instead_of_proposed_its_own_link(self):
        partner = self._company_partner(name=self.nmbrs_company.name, company_registry=self.nmbrs_company.kvk_nr,
                                         nmbrs_company_id=self.nmbrs_company.id)
        wizard = self._wizard(partner)
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.linked_notes, '%s is already linked to %s in Nmbrs. To link it to another Nmbrs record, '
                         'clear its link on the Nmbrs tab first.' % (partner.name, self.nmbrs_company.name))

    def test_partner_form_buttons(self):
        partner = self._company_partner(name=self.nmbrs_company.name)
        action = partner.action_nmbrs_link()
        self.assertEqual(action['res_model'], 'nmbrs.link.wizard')
        self.company.nmbrs_state = 'disconnected'
        with self.assertRaises(UserError):
            partner.action_nmbrs_link()

    def test_list_action_opens_the_wizard_with_its_proposals(self):
        partners = self._company_partner(name='Klant A', company_registry=self.nmbrs_company.kvk_nr) \
            | self._company_partner(name='Klant B', company_registry=self.other_nmbrs_company.kvk_nr)
        server_action = self.env.ref('nmbrs_connector.action_server_nmbrs_link')
        action = server_action.with_context(active_model='res.partner', active_ids=partners.ids).run()
        wizard = self.env['nmbrs.link.wizard'].browse(action['res_id'])
        self.assertEqual(wizard.line_ids.filtered('selected').partner_id, partners)


@tagged('post_install', '-at_install')
class TestNmbrsLinkOnce(NmbrsSandboxCase):
    """The database holds each Nmbrs company and employee at most once per Odoo company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employer = cls.env['res.partner'].create({'name': 'Werkgever B.V.', 'is_company': True})
        cls.jan, cls.other_jan = cls.env['res.partner'].create([
            {'name': 'Jan de Vries', 'parent_id': cls.employer.id},
            {'name': 'Jan de Vries', 'parent_id': cls.employer.id}])
        cls.other_company = cls.env['res.company'].create({'name': 'Tweede Kantoor'})

    def test_two_contacts_never_hold_the_same_employee(self):
        self.jan.nmbrs_employee_id = 63001
        with self.assertRaisesRegex(ValidationError, 'already linked to relation Werkgever B.V., Jan de Vries'):
            self.other_jan.nmbrs_employee_id = 63001

    def test_the_database_refuses_a_second_contact_for_an_employee(self):
        """Also what no Python check sees, e.g. two workers writing at once: the unique index refuses it."""
        self.jan.nmbrs_employee_id = 63001
        self.env.flush_all()
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger('odoo.sql_db'), \
                self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO nmbrs_link (company_id, partner_id, nmbrs_employee_id) VALUES (%s, %s, %s)",
                [self.company.id, self.other_jan.id, 63001])

    def test_links_are_per_odoo_company(self):
        self.jan.nmbrs_employee_id = 63001
        other_jan = self.other_jan.with_company(self.other_company)
        other_jan.nmbrs_employee_id = 63001
        self.assertEqual(other_jan.nmbrs_employee_id, 63001)
        self.assertFalse(self.other_jan.nmbrs_employee_id)
        self.assertFalse(self.jan.with_company(self.other_company).nmbrs_linked)
        partners = self.env['res.partner']
        self.assertEqual(partners.search([('nmbrs_employee_id', '=', 63001)]), self.jan)
        self.assertEqual(partners.with_company(self.other_company).search([('nmbrs_employee_id', '=', 63001)]),
                         self.other_jan)
        self.assertIn(self.other_jan, partners.search([('nmbrs_linked', '=', False), ('id', 'in', self.other_jan.ids)]))

    def test_clearing_a_link_frees_the_employee(self):
        self.jan.nmbrs_employee_id = 63001
        self.jan.write({'nmbrs_employee_id': False, 'nmbrs_employee_number': False})
        self.assertFalse(self.jan.nmbrs_linked)
        self.other_jan.nmbrs_employee_id = 63001
        self.assertEqual(self.other_jan.nmbrs_employee_id, 63001)

    def test_every_internal_user_reads_and_searches_links(self):
        """As with the company-dependent fields before: a contact's link is no secret, its documents are."""
        self.jan.nmbrs_employee_id = 63001
        plain = new_test_user(self.env, 'plain_reader', groups='base.group_user')
        partners = self.env['res.partner'].with_user(plain)
        self.assertEqual(partners.search([('nmbrs_employee_id', '=', 63001)]), self.jan)
        self.assertEqual(partners.browse(self.jan.id).read(['nmbrs_employee_id'])[0]['nmbrs_employee_id'], 63001)
        self.assertIn(self.other_jan, partners.search([('nmbrs_linked', '=', False)]))

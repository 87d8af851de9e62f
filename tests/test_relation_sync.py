from odoo.tests import tagged

from ..nmbrs.sandbox import NmbrsSandbox, sized_dataset
from .common import NmbrsSandboxCase


@tagged('post_install', '-at_install')
class TestRelationSync(NmbrsSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dataset = cls.sandbox.dataset
        cls.nmbrs_company = next(iter(cls.dataset.companies.values()))
        cls.employee = cls.dataset.company_employees(cls.nmbrs_company.id)[0]
        cls.partners = cls.env['res.partner'].with_context(active_test=False)

    def setUp(self):
        super().setUp()
        self.dataset.updates.clear()

    def _company_partner(self, nmbrs_company):
        return self.partners.search([('nmbrs_company_id', '=', nmbrs_company.id)])

    def _employee_contact(self, employee):
        return self.partners.search([('nmbrs_employee_id', '=', employee.id)])

    def _notes(self, partner, text):
        return partner.message_ids.filtered(lambda message: text in (message.body or ''))

    def _open_sync_todos(self, partner):
        return partner.activity_ids.filtered(
            lambda activity: activity.active and activity.summary == 'Nmbrs sync failed')

    def _press_sync_now(self, partner):
        """Press "Sync now" as a request would: in its own (test) cursor, which the document import commits."""
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            answer = partner.with_env(self.env(cr=cr)).action_nmbrs_sync_now()
        self.env.invalidate_all()
        return answer

    def _link_for_outgoing(self):
        self.company._nmbrs_sync_relations()
        self.company.nmbrs_sync_direction = 'outgoing'
        self.dataset.updates.clear()
        return self._company_partner(self.nmbrs_company), self._employee_contact(self.employee)

    # incoming ---------------------------------------------------------------------

    def test_incoming_sync_creates_company_relations_and_employee_contacts(self):
        self.company._nmbrs_sync_relations()
        for nmbrs_company in self.dataset.companies.values():
            partner = self._company_partner(nmbrs_company)
            self.assertEqual(len(partner), 1)
            self.assertTrue(partner.is_company)
            self.assertEqual(partner.name, nmbrs_company.name)
            self.assertEqual(partner.company_registry, nmbrs_company.kvk_nr)
            self.assertEqual(partner.city, nmbrs_company.address.city)
            self.assertEqual(partner.zip, nmbrs_company.address.postal_code)
            self.assertEqual(partner.street, '%s %s' % (nmbrs_company.address.street,
                                                        nmbrs_company.address.house_number))
            self.assertEqual(partner.country_id.code, 'NL')
            self.assertEqual(partner.nmbrs_debtor_id, nmbrs_company.debtor_id)
            self.assertEqual(partner.nmbrs_sync_state, 'ok')
            self.assertEqual(len(self._notes(partner, 'Created from Nmbrs')), 1)
            for employee in self.dataset.company_employees(nmbrs_company.id):
                contact = self._employee_contact(employee)
                self.assertEqual(contact.parent_id, partner)
                self.assertEqual(contact.type, 'contact')
                self.assertEqual(contact.name, employee.display_name)
                self.assertEqual(contact.email, employee.email_work)
                # Nothing about pay, BSN or bank in the chatter.
                bodies = ' '.join(contact.message_ids.mapped('body'))
                for private in (employee.bsn, employee.iban, str(employee.monthly_salary)):
                    self.assertNotIn(private, bodies)

    def test_incoming_sync_twice_updates_without_duplicates(self):
        self.company._nmbrs_sync_relations()
        count = self.partners.search_count([])
        partner = self._company_partner(self.nmbrs_company)
        self.nmbrs_company.name = 'Jansen Nieuwe Naam B.V.'
        self.nmbrs_company.phone_number = '030-1234567'
        self.company._nmbrs_sync_relations()
        self.assertEqual(self.partners.search_count([]), count)
        self.assertEqual(partner.name, 'Jansen Nieuwe Naam B.V.')
        self.assertEqual(partner.phone, '030-1234567')
        notes = self._notes(partner, 'Updated from Nmbrs')
        self.assertEqual(len(notes), 1, "one note per relation per sync")
        self.assertIn('Phone', notes.body)
        self.assertNotIn('030-1234567', notes.body)
        self.company._nmbrs_sync_relations()
        self.assertEqual(len(self._notes(partner, 'Updated from Nmbrs')), 1, "nothing changed, nothing noted")

    def test_incoming_sync_matches_existing_relations_by_kvk_and_name(self):
        by_kvk = self.partners.create({'name': 'Old name', 'is_company': True,
                                       'company_registry': self.nmbrs_company.kvk_nr})
        employer = self.partners.create({'name': 'Employer', 'is_company': True,
                                         'nmbrs_company_id': self.nmbrs_company.id})
        by_name = self.partners.create({'name': self.employee.display_name, 'parent_id': employer.id})
        employer.nmbrs_company_id = False
        self.company._nmbrs_sync_relations()
        self.assertEqual(self._company_partner(self.nmbrs_company), by_kvk)
        self.assertEqual(by_kvk.name, self.nmbrs_company.name)
        self.assertFalse(employer.nmbrs_linked)
        # The employee is created under the relation found by KvK, not matched to a contact of another one.
        self.assertNotEqual(self._employee_contact(self.employee), by_name)
        self.assertEqual(self._employee_contact(self.employee).parent_id, by_kvk)

    # outgoing ---------------------------------------------------------------------

    def test_outgoing_sync_sends_the_company_address_and_employee_details(self):
        partner, contact = self._link_for_outgoing()
        partner.write({'street': 'Oudegracht 231 - B', 'zip': '3511 NK', 'city': 'Utrecht'})
        contact.write({'name': 'Pieter van der Zee', 'email': 'p.vanderzee@example.com', 'phone': '06-11112222'})
        self.company._nmbrs_sync_relations()
        address = self.nmbrs_company.address
        self.assertEqual((address.street, address.house_number, address.house_number_addition),
                         ('Oudegracht', '231', 'B'))
        self.assertEqual((address.postal_code, address.city), ('3511 NK', 'Utrecht'))
        self.assertEqual((self.employee.first_name, self.employee.prefix, self.employee.last_name),
                         ('Pieter', 'van der', 'Zee'))
        self.assertEqual(self.employee.email_work, 'p.vanderzee@example.com')
        self.assertIn('06-11112222', (self.employee.telephone_mobile_work, self.employee.telephone_work))
        # Personal data the relation does not hold is sent back unchanged.
        self.assertTrue(self.employee.bsn)
        operations = {(update.operation, update.target_id) for update in self.dataset.updates}
        self.assertIn(('Address_Update', self.nmbrs_company.id), operations)
        self.assertIn(('PersonalInfo_UpdateCurrent', self.employee.id), operations)
        self.assertEqual(partner.nmbrs_sync_state, 'ok')

    def test_outgoing_sync_sends_nothing_when_nothing_changed(self):
        self._link_for_outgoing()
        self.company._nmbrs_sync_relations()
        self.assertFalse(self.dataset.updates)

    def test_direct_sync_pushes_after_commit(self):
        partner, _contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        partner.write({'city': 'Kampen'})
        self.assertFalse(self.dataset.updates, "nothing is sent before the save is committed")
        with self.enter_registry_test_mode():
            self.env.cr.postcommit.run()
        self.assertEqual(self.nmbrs_company.address.city, 'Kampen')
        self.assertEqual([update.target_id for update in self.dataset.updates], [self.nmbrs_company.id])

    def test_no_direct_sync_without_the_option_or_in_incoming_direction(self):
        partner, _contact = self._link_for_outgoing()
        partner.write({'city': 'Kampen'})
        self.company.write({'nmbrs_direct_sync': True, 'nmbrs_sync_direction': 'incoming'})
        partner.write({'city': 'Assen'})
        with self.enter_registry_test_mode():
            self.env.cr.postcommit.run()
        self.assertFalse(self.dataset.updates)

    def test_failed_push_gives_one_todo_and_keeps_the_save(self):
        partner, _contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        partner.nmbrs_company_id = 99999  # a company Nmbrs does not know
        for city in ('Kampen', 'Deventer'):
            partner.write({'city': city})
            with self.enter_registry_test_mode():
                self.env.cr.postcommit.run()
        self.assertEqual(partner.city, 'Deventer')
        self.assertEqual(partner.nmbrs_sync_state, 'error')
        self.assertIn('99999', partner.nmbrs_sync_error)
        todos = self._open_sync_todos(partner)
        self.assertEqual(len(todos), 1)
        self.assertEqual(todos.user_id, self.company._nmbrs_responsible_user())
        partner.nmbrs_company_id = self.nmbrs_company.id
        self._press_sync_now(partner)
        self.assertEqual(partner.nmbrs_sync_state, 'ok')
        self.assertFalse(self._open_sync_todos(partner))
        # A new failure after the fix is a new To-Do.
        partner.nmbrs_company_id = 99999
        partner._nmbrs_push_to_nmbrs()
        self.assertEqual(len(self._open_sync_todos(partner)), 1)

    def test_sync_now_button_in_incoming_direction(self):
        self.company._nmbrs_sync_relations()
        contact = self._employee_contact(self.employee)
        self.employee.email_work = 'nieuw@example.com'
        answer = self._press_sync_now(contact)
        self.assertEqual(answer['params']['type'], 'success')
        self.assertEqual(contact.email, 'nieuw@example.com')


@tagged('post_install', '-at_install')
class TestRelationSyncTwoCompanies(NmbrsSandboxCase):
    """Two Odoo companies, each with its own Nmbrs, share the relations but not their links."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_sandbox = NmbrsSandbox(sized_dataset(companies=2, employees=2, runs=1, seed=7)).start()
        cls.addClassCleanup(cls.other_sandbox.stop)
        cls.other_company = cls.env['res.company'].create({'name': 'Tweede Kantoor'})
        cls.connect_company(cls.other_company, cls.other_sandbox)
        cls.env.user.company_ids |= cls.other_company

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_sync_relations').method_direct_trigger()
        self.env.invalidate_all()

    def _linked(self, company):
        return self.env['res.partner'].with_company(company).search([('nmbrs_company_id', '!=', False)])

    def test_cron_syncs_each_company_with_its_own_nmbrs(self):
        self._run_cron()
        own = self._linked(self.company)
        other = self._linked(self.other_company)
        self.assertEqual(sorted(own.mapped('name')),
                         sorted(company.name for company in self.sandbox.dataset.companies.values()))
        self.assertEqual(sorted(other.mapped('name')),
                         sorted(company.name for company in self.other_sandbox.dataset.companies.values()))
        self.assertFalse(own & other)

    def test_outgoing_push_goes_to_the_company_own_nmbrs(self):
        self._run_cron()
        self.other_company.nmbrs_sync_direction = 'outgoing'
        partner = self._linked(self.other_company)[0].with_company(self.other_company)
        partner.city = 'Leeuwarden'
        self.other_company.with_company(self.other_company)._nmbrs_sync_relations()
        self.assertEqual([update.target_id for update in self.other_sandbox.dataset.updates],
                         [partner.nmbrs_company_id])
        self.assertFalse(self.sandbox.dataset.updates)

    def test_one_company_failing_does_not_stop_the_other(self):
        self.company.sudo().nmbrs_token = 'not-the-token'
        self._run_cron()
        self.assertFalse(self._linked(self.company))
        self.assertEqual(len(self._linked(self.other_company)), 2)
        todos = self.company.partner_id.activity_ids.filtered(
            lambda activity: activity.summary == 'Nmbrs relation sync failed')
        self.assertEqual(len(todos), 1)
        self.assertNotIn('not-the-token', todos.note)

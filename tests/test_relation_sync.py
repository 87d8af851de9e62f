import time

from markupsafe import Markup

from odoo.tests import new_test_user, tagged

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

    def _run_push_cron(self):
        """Run the cron that sends queued relations, as a cron worker would."""
        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_push').method_direct_trigger()
        self.env.invalidate_all()

    def _queue(self):
        return self.env['nmbrs.push'].search([])

    def test_direct_sync_queues_the_save_and_sends_it_from_the_cron(self):
        partner, contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        bookkeeper = new_test_user(self.env, 'boekhouder', name='Jan Boekhouder',
                                   groups='base.group_user,base.group_partner_manager')
        triggers = self.env['ir.cron.trigger'].search_count([])
        self.sandbox.calls.clear()
        partner.with_user(bookkeeper).write({'city': 'Harderwijk'})
        partner.with_user(bookkeeper).write({'street': 'Oudestraat 12'})
        contact.write({'phone': '06-99990000'})
        self.assertFalse(self.sandbox.calls, "the save waits for no Nmbrs call")
        self.assertEqual(len(self._queue()), 2, "one queued push per relation")
        self.assertEqual(self._queue().filtered(lambda push: push.partner_id == partner).user_ids, bookkeeper)
        self.assertGreater(self.env['ir.cron.trigger'].search_count([]), triggers, "the cron is woken at once")

        self._run_push_cron()
        self.assertEqual(self.nmbrs_company.address.city, 'Harderwijk')
        self.assertEqual((self.nmbrs_company.address.street, self.nmbrs_company.address.house_number),
                         ('Oudestraat', '12'))
        self.assertIn('06-99990000', (self.employee.telephone_mobile_work, self.employee.telephone_work))
        self.assertEqual(sorted((update.operation, update.target_id) for update in self.dataset.updates),
                         [('Address_Update', self.nmbrs_company.id), ('PersonalInfo_UpdateCurrent', self.employee.id)],
                         "each relation sent once, its changes merged")
        self.assertFalse(self._queue())
        note = self._notes(partner, 'Sent to Nmbrs')
        self.assertEqual(len(note), 1)
        self.assertIn('Street', note.body)
        self.assertIn('City', note.body)
        self.assertIn('Changed by Jan Boekhouder', note.body)
        self.assertNotIn('Harderwijk', note.body)
        self.assertIn('Phone', self._notes(contact, 'Sent to Nmbrs').body)

    def test_notes_speak_the_language_of_the_odoo_company(self):
        partner, _contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        self.company.partner_id.lang = 'nl_NL'
        bookkeeper = new_test_user(self.env, 'boekhouder', name='Jan Boekhouder', lang='en_US',
                                   groups='base.group_user,base.group_partner_manager')
        partner.with_user(bookkeeper).write({'city': 'Meppel'})
        self._run_push_cron()
        note = self._notes(partner, 'Naar Nmbrs verzonden')
        self.assertEqual(note.body, Markup('<p>Naar Nmbrs verzonden: Plaats. Gewijzigd door Jan Boekhouder.</p>'))

    def test_a_list_edit_of_many_relations_sends_nothing_inside_the_save(self):
        self.company._nmbrs_sync_relations()
        self.company.write({'nmbrs_sync_direction': 'outgoing', 'nmbrs_direct_sync': True})
        relations = self.partners.search([('nmbrs_company_id', '!=', False)])
        self.sandbox.calls.clear()
        relations.write({'city': 'Urk'})
        self.assertFalse(self.sandbox.calls)
        self.assertEqual(self._queue().partner_id, relations)
        self._run_push_cron()
        self.assertEqual({company.address.city for company in self.dataset.companies.values()}, {'Urk'})
        self.assertEqual(len(self.dataset.updates), len(relations))

    def test_no_direct_sync_without_the_option_or_in_incoming_direction(self):
        partner, _contact = self._link_for_outgoing()
        partner.write({'city': 'Kampen'})
        self.company.write({'nmbrs_direct_sync': True, 'nmbrs_sync_direction': 'incoming'})
        partner.write({'city': 'Assen'})
        self.assertFalse(self._queue())
        self._run_push_cron()
        self.assertFalse(self.dataset.updates)

    def test_changes_by_portal_users_and_website_visitors_never_go_to_nmbrs(self):
        partner, contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        portal = new_test_user(self.env, 'portal_employee', name='Portaal Gebruiker', groups='base.group_portal')
        public = self.env.ref('base.public_user')
        # A portal user editing their own details, and a public website form: both write with sudo.
        contact.with_user(portal).sudo().write({'email': 'prive@example.com'})
        partner.with_user(public).sudo().write({'city': 'Nergenshuizen'})
        self.assertFalse(self._queue())
        self._run_push_cron()
        self.company._nmbrs_sync_relations()  # nor does the daily outgoing sync send them
        self.assertFalse(self.dataset.updates)
        for relation, user in ((contact, portal), (partner, public)):
            self.assertEqual(relation.nmbrs_sync_state, 'held')
            self.assertIn('%s changed this relation through the portal' % user.name, relation.nmbrs_sync_error)
            self.assertEqual(len(self._open_sync_todos(relation)), 1)
        # A Nmbrs administrator checks the change and presses Sync now: then it goes.
        self._press_sync_now(partner)
        self.assertEqual(self.nmbrs_company.address.city, 'Nergenshuizen')
        self.assertEqual(partner.nmbrs_sync_state, 'ok')
        self.assertFalse(self._open_sync_todos(partner))
        self.assertEqual(contact.nmbrs_sync_state, 'held')

    def test_failed_push_gives_one_todo_and_keeps_the_save(self):
        partner, _contact = self._link_for_outgoing()
        self.company.nmbrs_direct_sync = True
        partner.nmbrs_company_id = 99999  # a company Nmbrs does not know
        for city in ('Kampen', 'Deventer'):
            partner.write({'city': city})
            self._run_push_cron()
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

    def test_a_write_that_may_have_arrived_is_not_sent_again_and_is_compared_on_the_next_sync(self):
        partner, contact = self._link_for_outgoing()
        partner.write({'city': 'Dokkum'})
        contact.write({'email': 'nieuw@example.com'})
        # The address arrives after the client gave up waiting; the personal info is lost on the way.
        self.env['ir.config_parameter'].set_param('nmbrs_connector.read_timeout', '0.5')
        self.sandbox.faults.inject('timeout', 'Address_Update', times=1, seconds=1.0)
        self.sandbox.faults.inject('drop', 'PersonalInfo_UpdateCurrent', times=1)
        (partner | contact)._nmbrs_push_to_nmbrs()
        self.assertEqual(len(self.sandbox.calls.of('Address_Update')), 1, "sent once, not again")
        self.assertEqual(len(self.sandbox.calls.of('PersonalInfo_UpdateCurrent')), 1, "sent once, not again")
        for relation in (partner, contact):
            self.assertEqual(relation.nmbrs_sync_state, 'error')
            self.assertIn('may not have arrived', relation.nmbrs_sync_error)
            self.assertEqual(len(self._open_sync_todos(relation)), 1)
        self._wait_for(lambda: self.nmbrs_company.address.city == 'Dokkum')
        self.dataset.updates.clear()
        self.company._nmbrs_sync_relations()
        self.assertEqual([(update.operation, update.target_id) for update in self.dataset.updates],
                         [('PersonalInfo_UpdateCurrent', self.employee.id)],
                         "the address Nmbrs holds already is not sent again; the lost change is")
        self.assertEqual(self.employee.email_work, 'nieuw@example.com')
        for relation in (partner, contact):
            self.assertEqual(relation.nmbrs_sync_state, 'ok')
            self.assertFalse(self._open_sync_todos(relation))

    def _wait_for(self, condition, seconds=10):
        deadline = time.monotonic() + seconds
        while not condition():
            self.assertLess(time.monotonic(), deadline, "the sandbox did not get there in time")
            time.sleep(0.05)

    def test_client_options_of_the_system_parameters_apply_to_pushes(self):
        partner, _contact = self._link_for_outgoing()
        partner.write({'city': 'Sneek'})
        self.env['ir.config_parameter'].set_param('nmbrs_connector.max_retries', '0')
        # One Nmbrs hiccup on reading the address: the default retries would hide it, 0 retries do not.
        self.sandbox.faults.inject('http_503', 'Address_GetCurrent', times=1)
        self.sandbox.calls.clear()
        partner._nmbrs_push_to_nmbrs()
        self.assertEqual(partner.nmbrs_sync_state, 'error')
        self.assertEqual(len(self.sandbox.calls.of('Address_GetCurrent')), 1)
        self.assertFalse(self.dataset.updates)

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

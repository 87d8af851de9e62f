"""A company set up with Nmbrs REST only (the app and consents, no SOAP login): its relation sync, and the
relation sync of a company on both protocols, each relation over the protocol its route gives.

Real HTTP to the sandbox: SOAP at /soap, REST at /rest, the consent given on the sandbox's identity service.
"""
from odoo.tests import TransactionCase, tagged

from ..nmbrs.errors import NmbrsError
from ..nmbrs.sandbox.guids import guid
from .common import NmbrsSandboxMixin


class RestOnlyCase(NmbrsSandboxMixin, TransactionCase):
    """The company has the sandbox's REST app and a consent for the first debtor; no SOAP login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        cls.company.partner_id.lang = 'en_US'
        dataset = cls.sandbox.dataset
        cls.debtor, cls.other_debtor = sorted(dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.nmbrs_companies = sorted((company for company in dataset.companies.values()
                                      if company.debtor_id == cls.debtor.id), key=lambda company: company.id)

    def soap_calls(self):
        return [call for call in self.sandbox.calls if call.service != 'rest']

    def rest_calls(self):
        return [call for call in self.sandbox.calls if call.service == 'rest']

    def relation_of(self, nmbrs_company):
        return self.env['res.partner'].search([('nmbrs_company_guid', '=', guid('company', nmbrs_company.id))])


@tagged('post_install', '-at_install')
class TestRestOnlySync(RestOnlyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consent = cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])

    def test_the_first_consent_connects_a_company_without_a_soap_login(self):
        self.assertEqual(self.company.nmbrs_state, 'connected')
        self.assertIn(self.company, self.env['res.company'].search([('nmbrs_state', '=', 'connected')]))

    def test_the_relation_sync_creates_the_consented_debtors_companies_over_rest(self):
        logs = self.company._nmbrs_sync_relations()
        self.assertEqual(self.soap_calls(), [])
        self.assertEqual(set(logs.mapped('state')), {'done'}, logs.mapped('error'))
        for nmbrs_company in self.nmbrs_companies:
            relation = self.relation_of(nmbrs_company)
            self.assertEqual(relation.name, nmbrs_company.name)
            self.assertEqual((relation.nmbrs_company_number, relation.nmbrs_debtor_number, relation.nmbrs_company_id),
                             (nmbrs_company.number, self.debtor.number, 0))
            self.assertEqual(relation.nmbrs_debtor_guid, guid('debtor', self.debtor.id))
            employees = [employee for employee in self.sandbox.dataset.employees.values()
                         if employee.company_id == nmbrs_company.id]
            contacts = relation.child_ids.filtered('nmbrs_employee_guid')
            self.assertEqual(sorted(contacts.mapped('nmbrs_employee_guid')),
                             sorted(guid('employee', employee.id) for employee in employees))
            self.assertEqual(set(contacts.mapped('nmbrs_employee_id')), {0})
        # A second sync finds them again: nothing twice.
        count = self.env['res.partner'].search_count([('nmbrs_linked', '=', True)])
        self.company._nmbrs_sync_relations()
        self.assertEqual(self.env['res.partner'].search_count([('nmbrs_linked', '=', True)]), count)

    def test_the_cron_syncs_a_rest_only_company(self):
        self.company.nmbrs_relation_sync_date = False
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_sync_relations').method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertTrue(self.relation_of(self.nmbrs_companies[0]))
        self.assertEqual(self.soap_calls(), [])

    def test_sync_now_of_one_relation_reads_it_over_rest(self):
        self.company._nmbrs_sync_relations()
        relation = self.relation_of(self.nmbrs_companies[0])
        relation.with_context(nmbrs_no_push=True).name = 'Old name'
        self.sandbox.calls.clear()
        # As a request would: in its own (test) cursor, which the document import commits.
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            relation.with_env(self.env(cr=cr)).action_nmbrs_sync_now()
        self.env.invalidate_all()
        self.assertEqual(relation.name, self.nmbrs_companies[0].name)
        self.assertEqual(relation.nmbrs_sync_state, 'ok')
        self.assertEqual(self.soap_calls(), [])

    def test_a_relation_no_consent_covers_says_which_consent_is_missing_and_the_others_go_on(self):
        self.company._nmbrs_sync_relations()
        covered = self.relation_of(self.nmbrs_companies[0])
        other = next(company for company in self.sandbox.dataset.companies.values()
                     if company.debtor_id == self.other_debtor.id)
        uncovered = self.env['res.partner'].create({'name': other.name, 'is_company': True})
        uncovered.write({'nmbrs_company_guid': guid('company', other.id), 'nmbrs_company_number': other.number,
                         'nmbrs_debtor_number': self.other_debtor.number})
        logs = self.company._nmbrs_sync_relations(covered | uncovered)
        self.assertEqual(covered.nmbrs_sync_state, 'ok')
        self.assertEqual(uncovered.nmbrs_sync_state, 'error')
        self.assertIn('No active Nmbrs consent covers the debtor of this relation', uncovered.nmbrs_sync_error)
        self.assertEqual(sorted(logs.mapped('state')), ['done', 'failed'])
        self.assertEqual(self.soap_calls(), [])

    def test_outgoing_sends_an_employee_over_rest(self):
        self.company._nmbrs_sync_relations()
        self.company.nmbrs_sync_direction = 'outgoing'
        contact = self.relation_of(self.nmbrs_companies[0]).child_ids.filtered('nmbrs_employee_guid')[:1]
        contact.with_context(nmbrs_no_push=True).write({'name': 'Anna de Vries', 'email': 'anna@example.nl'})
        self.sandbox.calls.clear()
        self.company._nmbrs_sync_relations(contact)
        self.assertEqual(contact.nmbrs_sync_state, 'ok')
        self.assertEqual(self.soap_calls(), [])
        with self.consent._nmbrs_client() as client:
            info = client.personal_info(contact.nmbrs_employee_guid)
        self.assertEqual((info.first_name, info.prefix, info.last_name), ('Anna', 'de', 'Vries'))
        self.assertEqual(info.email_work, 'anna@example.nl')
        self.assertIn('Sent to Nmbrs', contact.message_ids[0].body)

    def test_outgoing_does_not_send_a_company_address_over_rest_and_says_so_once(self):
        self.company._nmbrs_sync_relations()
        self.company.nmbrs_sync_direction = 'outgoing'
        relation = self.relation_of(self.nmbrs_companies[0])
        relation.with_context(nmbrs_no_push=True).write({'street': 'Nieuwe Weg 12', 'city': 'Utrecht'})
        self.sandbox.calls.clear()
        self.company._nmbrs_sync_relations(relation)
        self.company._nmbrs_sync_relations(relation)
        self.assertEqual(relation.nmbrs_sync_state, 'ok')
        self.assertFalse([call for call in self.sandbox.calls if 'address' in (call.operation or '').lower()
                          and not (call.operation or '').lower().startswith('get')])
        notes = relation.message_ids.filtered(lambda message: 'Not sent to Nmbrs' in (message.body or ''))
        self.assertEqual(len(notes), 1)
        self.assertIn("change a company's address", notes.body)
        self.assertIn('Street', notes.body)
        self.assertIn('City', notes.body)


    def test_without_an_active_consent_the_sync_says_what_to_do(self):
        self.consent.action_nmbrs_revoke()
        self.sandbox.calls.clear()
        with self.assertRaises(NmbrsError) as caught:
            self.company._nmbrs_sync_relations()
        self.assertIn('neither a Nmbrs login nor an active consent',
                      self.company._nmbrs_error_message(caught.exception))
        self.assertEqual(self.sandbox.calls.all(), [])

    def test_direct_sync_sends_a_saved_employee_over_rest(self):
        self.company._nmbrs_sync_relations()
        self.company.write({'nmbrs_sync_direction': 'outgoing', 'nmbrs_direct_sync': True})
        contact = self.relation_of(self.nmbrs_companies[0]).child_ids.filtered('nmbrs_employee_guid')[:1]
        contact.phone = '+31 20 555 0101'
        self.assertTrue(self.env['nmbrs.push'].search([('partner_id', '=', contact.id)]))
        self.sandbox.calls.clear()
        with self.enter_registry_test_mode():
            self.env.ref('nmbrs_connector.ir_cron_nmbrs_push').method_direct_trigger()
        self.env.invalidate_all()
        self.assertFalse(self.env['nmbrs.push'].search([('partner_id', '=', contact.id)]))
        self.assertEqual(contact.nmbrs_sync_state, 'ok')
        self.assertEqual(self.soap_calls(), [])
        with self.consent._nmbrs_client() as client:
            self.assertEqual(client.personal_info(contact.nmbrs_employee_guid).telephone_work, '+31 20 555 0101')

    def test_outgoing_sends_nothing_for_a_relation_linked_to_a_debtor_only(self):
        self.company._nmbrs_sync_relations()
        self.company.nmbrs_sync_direction = 'outgoing'
        debtor_only = self.env['res.partner'].create({'name': self.debtor.name, 'is_company': True})
        debtor_only.write({'nmbrs_debtor_guid': guid('debtor', self.debtor.id),
                           'nmbrs_debtor_number': self.debtor.number})
        logs = self.company._nmbrs_sync_relations()
        self.assertNotIn(debtor_only, logs.partner_id)
        self.assertEqual(set(logs.mapped('state')), {'done'}, logs.mapped('error'))

@tagged('post_install', '-at_install')
class TestHybridSync(RestOnlyCase):
    """SOAP login and a consent for the first debtor: that debtor over REST, the other over SOAP, each once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        # A relation linked over SOAP before the consent: the consent gives it its REST id.
        first = cls.nmbrs_companies[0]
        cls.soap_linked = cls.env['res.partner'].create({'name': 'Installatietechniek', 'is_company': True})
        cls.soap_linked.write({'nmbrs_company_id': first.id, 'nmbrs_company_number': first.number,
                               'nmbrs_debtor_id': cls.debtor.id, 'nmbrs_debtor_number': cls.debtor.number})
        cls.consent = cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])

    def test_each_debtor_over_its_protocol_and_every_company_once(self):
        self.company._nmbrs_sync_relations()
        dataset = self.sandbox.dataset
        relations = self.env['res.partner'].search([('is_company', '=', True), ('nmbrs_linked', '=', True),
                                                    ('id', '!=', self.company.partner_id.id)])
        self.assertEqual(len(relations), len(dataset.companies))
        self.assertEqual(self.relation_of(self.nmbrs_companies[0]), self.soap_linked)
        self.assertEqual(self.soap_linked.name, self.nmbrs_companies[0].name)
        for nmbrs_company in dataset.companies.values():
            relation = relations.filtered(lambda partner: partner.nmbrs_company_number == nmbrs_company.number)
            self.assertEqual(len(relation), 1)
            if nmbrs_company.debtor_id == self.debtor.id:
                self.assertEqual(relation.nmbrs_company_guid, guid('company', nmbrs_company.id))
            else:
                self.assertEqual((relation.nmbrs_company_id, relation.nmbrs_company_guid), (nmbrs_company.id, False))
        # The consented debtor's companies were not asked over SOAP.
        asked_over_soap = {str(value) for call in self.soap_calls() for value in call.parameters.values()}
        self.assertFalse(asked_over_soap & {str(company.id) for company in self.nmbrs_companies})

    def test_outgoing_sends_the_address_over_soap_and_only_notes_it_over_rest(self):
        self.company._nmbrs_sync_relations()
        self.company.nmbrs_sync_direction = 'outgoing'
        rest_relation = self.soap_linked
        other = next(company for company in self.sandbox.dataset.companies.values()
                     if company.debtor_id == self.other_debtor.id)
        soap_relation = self.env['res.partner'].search([('nmbrs_company_id', '=', other.id)])
        (rest_relation | soap_relation).with_context(nmbrs_no_push=True).write({'city': 'Oudeschild'})
        self.sandbox.calls.clear()
        self.company._nmbrs_sync_relations(rest_relation | soap_relation)
        companies = self.sandbox.dataset.companies
        self.assertEqual(companies[other.id].address.city, 'Oudeschild')
        self.assertNotEqual(companies[self.nmbrs_companies[0].id].address.city, 'Oudeschild')
        self.assertTrue(rest_relation.message_ids.filtered(lambda message: 'Not sent to Nmbrs' in (message.body or '')))
        self.assertEqual((rest_relation.nmbrs_sync_state, soap_relation.nmbrs_sync_state), ('ok', 'ok'))


    def test_settings_say_what_rest_cannot_change_once_relations_are_on_rest(self):
        self.assertTrue(self.env['res.config.settings'].create({}).nmbrs_has_rest_relations)
        self.consent.action_nmbrs_revoke()
        self.assertFalse(self.env['res.config.settings'].create({}).nmbrs_has_rest_relations)


    def test_a_consent_nmbrs_refuses_stops_only_its_debtors(self):
        self.consent.sudo().write({'access_token': 'not-a-token', 'refresh_token': False})
        logs = self.company._nmbrs_sync_relations()
        failed = logs.filtered(lambda log: log.state == 'failed')
        self.assertEqual(len(failed), 1)
        self.assertIn(self.consent.name, failed.error)
        other_companies = [company for company in self.sandbox.dataset.companies.values()
                           if company.debtor_id == self.other_debtor.id]
        self.assertEqual(len(self.env['res.partner'].search([
            ('nmbrs_company_id', 'in', [company.id for company in other_companies])])), len(other_companies))
        self.assertTrue(self.company.partner_id.activity_ids.filtered(
            lambda activity: activity.nmbrs_failure == 'company_sync'))

@tagged('post_install', '-at_install')
class TestRestOnlyConnection(RestOnlyCase):
    """The connection test of a company with consents, a SOAP login, or both."""

    def test_without_login_or_consent_it_says_what_to_fill_in(self):
        ok, message = self.company._nmbrs_test_connection()
        self.assertFalse(ok)
        self.assertIn('or enter the Nmbrs app and give a consent', message)
        self.assertEqual(self.company.nmbrs_last_test_result, 'failed')

    def test_a_rest_only_company_tests_its_consents_and_connects(self):
        self.give_rest_consent(self.company, self.sandbox, [self.debtor])
        self.company._nmbrs_disconnect()
        ok, message = self.company._nmbrs_connect()
        self.assertTrue(ok, message)
        self.assertEqual(message, 'The consent for %s (%s) works: Nmbrs shows %d companies.' % (
            self.debtor.name, self.debtor.number, len(self.nmbrs_companies)))
        self.assertEqual(self.company.nmbrs_state, 'connected')
        self.assertEqual([call for call in self.sandbox.calls if call.service != 'rest'], [])
        # Settings' buttons that test first go on.
        self.env['res.config.settings'].create({}).action_nmbrs_sync_relations()
        self.assertTrue(self.env['nmbrs.sync.request'].search([('company_id', '=', self.company.id)]))

    def test_with_both_each_is_tested_and_named(self):
        self.give_rest_consent(self.company, self.sandbox, [self.debtor])
        self.connect_company(self.company, self.sandbox)
        ok, message = self.company._nmbrs_test_connection()
        self.assertTrue(ok, message)
        self.assertIn('Connected to the Nmbrs environment', message)
        self.assertIn('The consent for %s (%s) works' % (self.debtor.name, self.debtor.number), message)
        self.company.nmbrs_token = 'wrong-token'
        ok, message = self.company._nmbrs_test_connection()
        self.assertFalse(ok)
        self.assertIn('Nmbrs refused the login e-mail or the API token', message)
        self.assertIn('works', message)

    def test_a_company_once_disconnected_is_not_connected_again_by_a_consent(self):
        self.company.write({'nmbrs_state': 'disconnected', 'nmbrs_connected_date': '2026-01-05 10:00:00'})
        self.give_rest_consent(self.company, self.sandbox, [self.debtor])
        self.assertEqual(self.company.nmbrs_state, 'disconnected')


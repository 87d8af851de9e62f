"""Setting up Nmbrs REST in Odoo: the app in Settings, consents asked on Nmbrs's page, the callback, revoking.

Real HTTP all the way: Odoo's callback route is called as the browser would
after the sandbox's identity service approved, and the code is exchanged
with the sandbox.
"""
import logging
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.res_company_rest import CALLBACK_PATH
from ..nmbrs import api_facts
from ..nmbrs.sandbox.guids import guid
from .common import NmbrsSandboxMixin


def query_of(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


class AllLogs(logging.Handler):
    """Every log line of every logger while installed, formatted with its arguments."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc_info):
        logging.getLogger().removeHandler(self)


@tagged('post_install', '-at_install')
class TestRestConsent(NmbrsSandboxMixin, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        cls.company.partner_id.lang = 'en_US'
        cls.debtors = sorted(cls.sandbox.dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.relations = cls.env['res.partner'].create([
            {'name': debtor.name, 'is_company': True, 'nmbrs_debtor_id': debtor.id,
             'nmbrs_debtor_number': debtor.number} for debtor in cls.debtors])
        # The first debtor's companies, linked over SOAP, each with its employees as contacts.
        dataset = cls.sandbox.dataset
        cls.nmbrs_companies = [company for company in dataset.companies.values()
                               if company.debtor_id == cls.debtors[0].id]
        cls.company_relations = cls.env['res.partner'].create([
            {'name': company.name, 'is_company': True, 'nmbrs_company_id': company.id,
             'nmbrs_company_number': company.number, 'nmbrs_debtor_id': company.debtor_id,
             'nmbrs_debtor_number': cls.debtors[0].number} for company in cls.nmbrs_companies])
        cls.employee_contacts = cls.env['res.partner'].create([
            {'name': '%s %s' % (employee.first_name, employee.last_name), 'parent_id': relation.id,
             'nmbrs_employee_id': employee.id, 'nmbrs_employee_number': employee.number}
            for company, relation in zip(cls.nmbrs_companies, cls.company_relations)
            for employee in dataset.employees.values() if employee.company_id == company.id])

    def setUp(self):
        super().setUp()
        # Odoo checks that the user who comes back is the one who asked: both are the administrator.
        self.env = self.env(user=self.env.ref('base.user_admin'))
        self.authenticate('admin', 'admin')

    def ask_consent(self, action=None):
        """Add a consent (or run ``action``): the consent row and the authorize URL it sends the user to."""
        action = action or self.env['nmbrs.consent'].action_nmbrs_add_consent()
        self.assertEqual((action['type'], action['target']), ('ir.actions.act_url', 'self'))
        consent = self.env['nmbrs.consent'].sudo().search([('oauth_state', '=', query_of(action['url'])['state'])])
        self.assertEqual(len(consent), 1)
        return consent.sudo(False), action['url']

    def come_back(self, callback_url):
        """The browser following Nmbrs's redirect to Odoo's callback: Odoo's answer (not followed)."""
        self.assertTrue(callback_url.startswith(self.company._nmbrs_rest_callback_url()))
        response = self.url_open(CALLBACK_PATH + '?' + urlsplit(callback_url).query, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def give_consent(self, debtors):
        consent, url = self.ask_consent()
        response = self.come_back(self.sandbox.identity.approve(url, [debtor.id for debtor in debtors]))
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(response.headers['Location'].endswith('/odoo/nmbrs-consents/%d' % consent.id))
        return consent

    def test_the_app_is_for_settings_administrators_and_the_callback_url_is_shown(self):
        manager = new_test_user(self.env, login='nmbrs_beheer', groups='nmbrs_connector.group_nmbrs_manager')
        for field in ('nmbrs_rest_client_id', 'nmbrs_rest_client_secret', 'nmbrs_rest_subscription_key'):
            with self.assertRaises(AccessError):
                self.company.with_user(manager).read([field])
        self.assertTrue(self.company.nmbrs_rest_client_secret)
        settings = self.env['res.config.settings'].create({})
        self.assertEqual(settings.nmbrs_rest_callback_url, self.base_url() + '/nmbrs/oauth/callback')
        self.company.nmbrs_rest_environment = 'production'
        self.assertEqual(self.company._nmbrs_rest_addresses(), (api_facts.IDENTITY_URL, api_facts.REST_API_URL))
        self.company.nmbrs_rest_environment = 'custom'

    def test_add_consent_opens_the_consent_page_with_state_and_pkce(self):
        consent, url = self.ask_consent()
        self.assertTrue(url.startswith(self.sandbox.identity_url + api_facts.AUTHORIZE_PATH + '?'))
        query = query_of(url)
        self.assertEqual((query['redirect_uri'], query['code_challenge_method'], query['client_id']),
                         (self.company._nmbrs_rest_callback_url(), 'S256', self.sandbox.rest_credentials.client_id))
        self.assertEqual(consent.state, 'pending')
        self.assertEqual(consent.sudo().oauth_user_id, self.env.user)
        self.assertNotIn(consent.sudo().oauth_code_verifier, url)

    def test_without_the_app_add_consent_says_what_to_fill_in(self):
        self.company.nmbrs_rest_client_secret = False
        try:
            with self.assertRaisesRegex(UserError, 'client secret'):
                self.env['nmbrs.consent'].action_nmbrs_add_consent()
        finally:
            self.connect_company_rest(self.company, self.sandbox)

    def test_the_callback_activates_the_consent_and_links_the_debtors_relations(self):
        with AllLogs() as logs:
            consent = self.give_consent([self.debtors[1]])
        self.assertEqual(consent.state, 'active')
        self.assertEqual(consent.user_id, self.env.user)
        self.assertEqual(consent.debtor_ids.mapped('number'), [self.debtors[1].number])
        self.assertEqual(consent.debtor_ids.name, self.debtors[1].name)
        self.assertTrue(consent.nmbrs_user_name)
        self.assertIn('offline_access', consent.scopes.split())
        self.assertGreater(consent.refresh_expires_at, consent.given_date)
        self.assertEqual(consent.debtor_ids.relation_count, 1)
        self.assertEqual(self.relations[1].nmbrs_link_ids.nmbrs_debtor_guid, consent.debtor_ids.nmbrs_debtor_guid)
        self.assertFalse(self.relations[0].nmbrs_link_ids.nmbrs_debtor_guid)
        self.assertFalse(any(self.company_relations.nmbrs_link_ids.mapped('nmbrs_company_guid')))
        secrets = consent.sudo()
        self.assertTrue(secrets.access_token and secrets.refresh_token)
        self.assertFalse(secrets.oauth_state or secrets.oauth_code_verifier)
        for line in logs.lines:
            for secret in (secrets.access_token, secrets.refresh_token, self.company.nmbrs_rest_client_secret,
                           self.company.nmbrs_rest_subscription_key):
                self.assertNotIn(secret, line)
        self.assertIn('1 of %d debtors is on REST' % len(self.debtors),
                      self.env['res.config.settings'].create({}).nmbrs_rest_progress)
        # The list of debtors still to ask shows the others only.
        waiting = self.env['nmbrs.debtor.without.consent'].search([('company_id', '=', self.company.id)])
        self.assertEqual(sorted(waiting.mapped('debtor_number')),
                         sorted(debtor.number for debtor in self.debtors if debtor != self.debtors[1]))

    def test_a_consent_spanning_two_debtors(self):
        consent = self.give_consent(self.debtors[:2])
        self.assertEqual(consent.state, 'active')
        self.assertEqual(sorted(consent.debtor_ids.mapped('number')), sorted(d.number for d in self.debtors[:2]))
        self.assertEqual(consent.name, ', '.join(consent.debtor_ids.mapped('display_name')))

    def test_an_answer_works_once_and_only_for_the_user_who_asked(self):
        consent, url = self.ask_consent()
        callback = self.sandbox.identity.approve(url, [self.debtors[0].id])
        new_test_user(self.env, login='collega', password='collega-2026',
                      groups='base.group_system,nmbrs_connector.group_nmbrs_manager')
        self.authenticate('collega', 'collega-2026')
        refused = self.come_back(callback)
        self.assertEqual(refused.status_code, 200)
        self.assertIn('does not belong to a consent you asked for', refused.text)
        self.assertEqual(consent.state, 'pending')
        self.assertTrue(consent.sudo().oauth_state)

        self.authenticate('admin', 'admin')
        self.assertEqual(self.come_back(callback).status_code, 303)
        self.assertEqual(consent.state, 'active')
        replayed = self.come_back(callback)
        self.assertIn('does not belong to a consent you asked for', replayed.text)
        self.assertEqual(self.come_back(self.company._nmbrs_rest_callback_url() + '?code=x&state=forged')
                         .status_code, 200)

    def test_a_refused_consent_says_so_and_can_be_asked_again(self):
        consent, url = self.ask_consent()
        callback = self.company._nmbrs_rest_callback_url() + '?error=access_denied&state=' + query_of(url)['state']
        self.assertEqual(self.come_back(callback).status_code, 303)
        self.assertEqual(consent.state, 'pending')
        self.assertIn('Nmbrs did not give consent', consent.message)
        _same, url = self.ask_consent(consent.action_nmbrs_authorize())
        self.come_back(self.sandbox.identity.approve(url, [self.debtors[0].id]))
        self.assertEqual((consent.state, consent.message), ('active', False))

    def test_revoke_withdraws_the_consent_at_nmbrs_and_here(self):
        consent = self.give_consent([self.debtors[-1]])
        given = self.sandbox.identity.consents[-1]
        consent.action_nmbrs_revoke()
        self.assertTrue(given.revoked)
        self.assertEqual(consent.state, 'revoked')
        self.assertFalse(consent.sudo().access_token or consent.sudo().refresh_token)
        self.assertIn(self.debtors[-1].number,
                      self.env['nmbrs.debtor.without.consent'].search([]).mapped('debtor_number'))

    def test_revoke_when_nmbrs_cannot_be_reached_changes_nothing(self):
        consent = self.give_consent([self.debtors[-1]])
        self.company.nmbrs_rest_identity_url = 'http://127.0.0.1:9/identity'
        try:
            with self.assertRaisesRegex(UserError, 'stays active'):
                consent.action_nmbrs_revoke()
        finally:
            self.company.nmbrs_rest_identity_url = self.sandbox.identity_url
        self.assertEqual(consent.state, 'active')

    def test_one_click_per_debtor_without_a_consent(self):
        waiting = self.env['nmbrs.debtor.without.consent'].search(
            [('company_id', '=', self.company.id), ('debtor_number', '=', self.debtors[0].number)])
        self.assertEqual(waiting.partner_id, self.relations[0])
        consent, url = self.ask_consent(waiting.action_nmbrs_authorize())
        self.assertEqual(consent.expected_debtor_number, self.debtors[0].number)
        # Someone logs in to Nmbrs with a login of another debtor: the consent says so.
        self.come_back(self.sandbox.identity.approve(url, [self.debtors[1].id]))
        self.assertEqual(consent.state, 'active')
        self.assertIn('not debtor %s it was asked for' % self.debtors[0].number, consent.message)

    def test_the_consent_test_says_whether_nmbrs_accepts_it(self):
        consent = self.give_consent(self.debtors[:2])
        action = consent.action_nmbrs_test()
        companies = [company for company in self.sandbox.dataset.companies.values()
                     if company.debtor_id in {debtor.id for debtor in self.debtors[:2]}]
        self.assertEqual(action['params']['type'], 'success')
        self.assertIn('works: Nmbrs shows %d companies' % len(companies), action['params']['message'])
        # Withdrawn in Nmbrs: the test says so, and the consent must be renewed, with one To-Do.
        self.sandbox.identity.revoke_all()
        action = consent.action_nmbrs_test()
        self.assertEqual(action['params']['type'], 'danger')
        self.assertIn('does not work', action['params']['message'])
        self.env.invalidate_all()
        self.assertEqual(consent.state, 'renew')
        self.assertEqual(len(consent.activity_ids.filtered(lambda todo: todo.nmbrs_failure == 'consent')), 1)

    def test_relations_and_employee_contacts_keep_their_soap_id_and_gain_their_rest_id(self):
        consent = self.give_consent(self.debtors[:1])
        self.assertEqual(consent.debtor_ids.relation_count, 1 + len(self.company_relations))
        for company, relation in zip(self.nmbrs_companies, self.company_relations):
            link = relation.nmbrs_link_ids
            self.assertEqual((link.nmbrs_company_id, link.nmbrs_company_guid), (company.id, guid('company', company.id)))
            self.assertEqual(link.nmbrs_debtor_guid, guid('debtor', self.debtors[0].id))
        self.assertTrue(self.employee_contacts)
        for contact in self.employee_contacts:
            link = contact.nmbrs_link_ids
            self.assertEqual(link.nmbrs_employee_guid, guid('employee', link.nmbrs_employee_id))

    def test_a_number_that_is_not_unique_is_left_unpaired(self):
        first, second = self.employee_contacts[:2]
        second.nmbrs_employee_number = first.nmbrs_employee_number
        self.give_consent(self.debtors[:1])
        self.assertFalse(first.nmbrs_link_ids.nmbrs_employee_guid or second.nmbrs_link_ids.nmbrs_employee_guid)
        self.assertTrue(self.employee_contacts[2].nmbrs_link_ids.nmbrs_employee_guid)

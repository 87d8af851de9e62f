"""Relations and employee contacts the first REST contact cannot pair by number wait for the user's choice.

Real HTTP to the sandbox's REST API through a consent. The sandbox office is
changed as an office changes Nmbrs: a company or an employee renumbered, so
that two share a number or a relation's number is gone.
"""
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..nmbrs.sandbox.guids import guid
from .common import NmbrsSandboxCase
from .test_work_cost import give_consent


@tagged('post_install', '-at_install')
class TestRestPairing(NmbrsSandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company_rest(cls.company, cls.sandbox)
        dataset = cls.sandbox.dataset
        cls.debtor = min(dataset.debtors.values(), key=lambda debtor: debtor.id)
        cls.nmbrs_companies = sorted((company for company in dataset.companies.values()
                                      if company.debtor_id == cls.debtor.id), key=lambda company: company.id)
        Partner = cls.env['res.partner']
        cls.relations = Partner.create([
            {'name': company.name, 'is_company': True, 'nmbrs_company_id': company.id,
             'nmbrs_company_number': company.number, 'nmbrs_debtor_id': cls.debtor.id,
             'nmbrs_debtor_number': cls.debtor.number} for company in cls.nmbrs_companies])
        cls.employees = dataset.company_employees(cls.nmbrs_companies[0].id)
        cls.contacts = Partner.create([
            {'name': employee.display_name, 'parent_id': cls.relations[0].id, 'nmbrs_employee_id': employee.id,
             'nmbrs_employee_number': employee.number} for employee in cls.employees])

    def renumber_company(self, company, number):
        self.addCleanup(self.sandbox.dataset.renumber_company, company.id,
                        self.sandbox.dataset.renumber_company(company.id, number))

    def consent(self):
        consent = give_consent(self.company, self.sandbox, [self.debtor])
        ok, message = consent._nmbrs_read_debtors()
        self.assertTrue(ok, message)
        return consent

    def pairing(self, partner):
        return self.env['nmbrs.pairing'].search([('link_id', '=', partner.nmbrs_link_ids.id)])

    def candidate(self, pairing, nmbrs_record, kind='company'):
        return pairing.candidate_ids.filtered(lambda candidate: candidate.nmbrs_guid == guid(kind, nmbrs_record.id))

    def test_two_nmbrs_companies_with_one_number_wait_for_a_choice_and_picking_moves_the_relation_to_rest(self):
        first, second, third = self.nmbrs_companies
        self.renumber_company(second, first.number)
        consent = self.consent()
        # The third is paired by its number; the first relation's number now names two Nmbrs companies; the
        # second relation's number names none.
        self.assertEqual(self.relations[2].nmbrs_link_ids._nmbrs_route(), consent)
        pairing = self.pairing(self.relations[0])
        self.assertEqual((pairing.kind, pairing.reason, pairing.state), ('company', 'several', 'open'))
        self.assertEqual(sorted(pairing.candidate_ids.mapped('nmbrs_guid')),
                         sorted(guid('company', company.id) for company in (first, second)))
        self.assertEqual(set(pairing.candidate_ids.mapped('number')), {first.number})
        self.assertEqual(set(pairing.candidate_ids.mapped('name')), {first.name, second.name})
        gone = self.pairing(self.relations[1])
        self.assertEqual(gone.reason, 'none')
        self.assertEqual(sorted(gone.candidate_ids.mapped('nmbrs_guid')),
                         sorted(guid('company', company.id) for company in (first, second)),
                         "every Nmbrs company of the debtor not linked yet is a candidate")
        self.assertFalse(self.relations[0].nmbrs_link_ids._nmbrs_route())
        self.assertEqual(consent.nmbrs_pairing_count, 2)
        self.assertEqual(self.env['res.config.settings'].create({}).nmbrs_pairing_text,
                         "2 relations need a choice")

        self.candidate(pairing, first).action_nmbrs_choose()
        link = self.relations[0].nmbrs_link_ids
        self.assertEqual(link.nmbrs_company_guid, guid('company', first.id))
        self.assertEqual(link._nmbrs_route(), consent)
        self.assertEqual(pairing.state, 'paired')
        # Its employee contacts are paired with it.
        for contact, employee in zip(self.contacts, self.employees):
            self.assertEqual(contact.nmbrs_link_ids.nmbrs_employee_guid, guid('employee', employee.id))
            self.assertEqual(contact.nmbrs_link_ids._nmbrs_route(), consent)

        # A Nmbrs company already linked is refused, naming the relation that has it.
        with self.assertRaisesRegex(UserError, 'already linked to relation %s' % self.relations[0].name):
            self.candidate(gone, first).action_nmbrs_choose()
        self.assertFalse(self.relations[1].nmbrs_link_ids.nmbrs_company_guid)
        self.candidate(gone, second).action_nmbrs_choose()
        self.assertEqual(self.relations[1].nmbrs_link_ids._nmbrs_route(), consent)
        self.env.invalidate_all()
        self.assertEqual(consent.nmbrs_pairing_count, 0)

        # Read again: what the user chose stays, and nothing waits any more.
        consent._nmbrs_read_debtors()
        self.assertEqual(self.relations[1].nmbrs_link_ids.nmbrs_company_guid, guid('company', second.id))
        self.assertFalse(self.env['nmbrs.pairing'].search([('state', '=', 'open')]))

    def test_a_relation_whose_number_is_gone_can_stay_on_soap(self):
        first = self.nmbrs_companies[0]
        self.renumber_company(first, 77)
        consent = self.consent()
        pairing = self.pairing(self.relations[0])
        self.assertEqual((pairing.reason, pairing.candidate_ids.mapped('nmbrs_guid')),
                         ('none', [guid('company', first.id)]))
        self.assertEqual(pairing.candidate_ids.number, 77)
        pairing.action_nmbrs_keep_on_soap()
        self.assertEqual(pairing.state, 'soap')
        self.assertFalse(self.relations[0].nmbrs_link_ids._nmbrs_route())
        self.env.invalidate_all()
        self.assertEqual(consent.nmbrs_pairing_count, 0)
        # Read again with the same candidates: the answer stands; with other candidates it is asked again.
        consent._nmbrs_read_debtors()
        self.assertEqual(self.pairing(self.relations[0]).state, 'soap')
        # The second relation loses its REST id and its number: both relations now have two candidates.
        self.relations[1].nmbrs_link_ids.nmbrs_company_guid = False
        self.renumber_company(self.nmbrs_companies[1], 78)
        consent._nmbrs_read_debtors()
        self.assertEqual(self.pairing(self.relations[0]).state, 'open')
        self.assertEqual(self.pairing(self.relations[1]).state, 'open')
        self.assertEqual(self.env['res.config.settings'].create({}).nmbrs_pairing_text,
                         "2 relations need a choice")
        self.assertEqual(self.env['res.config.settings'].with_context(lang='nl_NL').create({}).nmbrs_pairing_text,
                         "2 relaties wachten op uw keuze")

    def test_two_relations_with_one_number_wait_for_a_choice(self):
        self.relations[1].nmbrs_company_number = self.nmbrs_companies[0].number
        self.consent()
        for relation in self.relations[:2]:
            pairing = self.pairing(relation)
            self.assertEqual(pairing.reason, 'shared')
            self.assertEqual(pairing.candidate_ids.mapped('nmbrs_guid'), [guid('company', self.nmbrs_companies[0].id)])

    def test_an_employee_number_nmbrs_has_twice_waits_for_a_choice(self):
        first, second = self.employees[:2]
        self.addCleanup(self.sandbox.dataset.renumber_employee, second.id,
                        self.sandbox.dataset.renumber_employee(second.id, first.number))
        consent = self.consent()
        contact = self.contacts[0]
        pairing = self.pairing(contact)
        self.assertEqual((pairing.kind, pairing.reason), ('employee', 'several'))
        self.assertEqual(set(pairing.candidate_ids.mapped('name')), {first.display_name, second.display_name})
        self.assertEqual(self.pairing(self.contacts[1]).reason, 'none')
        self.assertFalse(contact.nmbrs_link_ids._nmbrs_route())
        self.candidate(pairing, first, 'employee').action_nmbrs_choose()
        self.assertEqual(contact.nmbrs_link_ids._nmbrs_route(), consent)
        self.assertEqual(contact.nmbrs_link_ids.nmbrs_employee_guid, guid('employee', first.id))

    def test_without_an_active_consent_nothing_is_chosen(self):
        self.renumber_company(self.nmbrs_companies[0], 77)
        consent = self.consent()
        pairing = self.pairing(self.relations[0])
        consent.state = 'renew'
        with self.assertRaisesRegex(UserError, 'No active consent covers debtor %s' % self.debtor.number):
            pairing.candidate_ids.action_nmbrs_choose()
        self.assertFalse(self.relations[0].nmbrs_link_ids.nmbrs_company_guid)

    def test_an_nmbrs_administrator_chooses_and_may_change_his_mind_about_soap(self):
        self.renumber_company(self.nmbrs_companies[0], 77)
        consent = self.consent()
        manager = new_test_user(self.env, login='nmbrs_beheerder', groups='nmbrs_connector.group_nmbrs_manager')
        pairing = self.pairing(self.relations[0]).with_user(manager)
        pairing.action_nmbrs_keep_on_soap()
        pairing.action_nmbrs_choose_again()
        self.assertEqual(pairing.state, 'open')
        action = pairing.candidate_ids.action_nmbrs_choose()
        self.assertEqual(action['params']['type'], 'success')
        self.assertIn('now goes over Nmbrs REST', action['params']['message'])
        self.assertEqual(self.relations[0].nmbrs_link_ids._nmbrs_route(), consent)
        for contact in self.contacts:
            self.assertEqual(contact.nmbrs_link_ids._nmbrs_route(), consent)

    def test_a_number_whose_nmbrs_company_another_relation_has_waits_for_a_choice(self):
        first, second = self.nmbrs_companies[:2]
        # The second relation holds the first company's REST id (chosen by hand earlier): it keeps it.
        self.relations[1].nmbrs_link_ids.nmbrs_company_guid = guid('company', first.id)
        self.consent()
        self.assertEqual(self.relations[1].nmbrs_link_ids.nmbrs_company_guid, guid('company', first.id))
        pairing = self.pairing(self.relations[0])
        self.assertEqual(pairing.reason, 'taken')
        self.assertEqual(pairing.candidate_ids.mapped('nmbrs_guid'), [guid('company', second.id)])
        self.assertFalse(self.pairing(self.relations[1]))

    def test_when_nmbrs_fails_on_the_employees_the_choice_stays_and_the_user_is_told(self):
        self.renumber_company(self.nmbrs_companies[0], 77)
        consent = self.consent()
        pairing = self.pairing(self.relations[0])
        self.sandbox.faults.inject('http_503', 'getEmployeesByCompany')
        action = pairing.candidate_ids.action_nmbrs_choose()
        self.assertEqual(action['params']['type'], 'danger')
        self.assertIn("employee contacts were not paired yet", action['params']['message'])
        self.assertIn("Read debtors", action['params']['message'])
        self.assertEqual(self.relations[0].nmbrs_link_ids._nmbrs_route(), consent)
        self.sandbox.faults.clear()
        consent._nmbrs_read_debtors()
        self.assertEqual(self.contacts[0].nmbrs_link_ids._nmbrs_route(), consent)

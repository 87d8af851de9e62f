"""Linking relations in a company set up with Nmbrs REST only: the wizard proposes what the consents show and
links by REST id (real HTTP to the sandbox's REST API; no SOAP call)."""
from odoo.tests import tagged

from ..nmbrs.sandbox.guids import guid
from .test_rest_only_sync import RestOnlyCase


@tagged('post_install', '-at_install')
class TestRestOnlyLink(RestOnlyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consent = cls.give_rest_consent(cls.company, cls.sandbox, [cls.debtor])
        cls.nmbrs_company = cls.nmbrs_companies[1]
        cls.employee = cls.sandbox.dataset.company_employees(cls.nmbrs_company.id)[0]

    def wizard(self, partners):
        action = partners.action_nmbrs_link()
        return self.env[action['res_model']].browse(action['res_id'])

    def test_a_company_relation_is_proposed_its_nmbrs_company_and_linked_by_rest_id(self):
        partner = self.env['res.partner'].create({
            'name': self.nmbrs_company.name, 'is_company': True, 'ref': str(self.nmbrs_company.number)})
        wizard = self.wizard(partner)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual((best.nmbrs_guid, best.nmbrs_id, best.debtor_guid),
                         (guid('company', self.nmbrs_company.id), 0, guid('debtor', self.debtor.id)))
        self.assertEqual(best.nmbrs_number, str(self.nmbrs_company.number))
        self.assertTrue(best.selected)
        # Only the consented debtor's companies are proposed.
        self.assertFalse(wizard.line_ids.filtered(lambda line: line.debtor_number == self.other_debtor.number))
        answer = wizard.action_link()
        self.assertEqual(answer['params']['type'], 'success')
        self.assertEqual((partner.nmbrs_company_guid, partner.nmbrs_debtor_guid, partner.nmbrs_company_id),
                         (guid('company', self.nmbrs_company.id), guid('debtor', self.debtor.id), 0))
        self.assertEqual((partner.nmbrs_company_number, partner.nmbrs_debtor_number),
                         (self.nmbrs_company.number, self.debtor.number))
        self.assertEqual(self.soap_calls(), [])
        # Linked: its route is the consent, and a second wizard says what it is linked to.
        link = self.env['nmbrs.link'].search([('partner_id', '=', partner.id)])
        self.assertEqual(link._nmbrs_route(), self.consent)
        self.assertIn('is already linked to %s' % self.nmbrs_company.name, self.wizard(partner).linked_notes)

    def test_a_person_is_proposed_an_employee_of_the_linked_company(self):
        employer = self.env['res.partner'].create({'name': 'Werkgever', 'is_company': True})
        employer.write({'nmbrs_company_guid': guid('company', self.nmbrs_company.id),
                        'nmbrs_company_number': self.nmbrs_company.number,
                        'nmbrs_debtor_number': self.debtor.number})
        person = self.env['res.partner'].create({
            'name': self.employee.display_name, 'parent_id': employer.id, 'email': self.employee.email_work})
        wizard = self.wizard(person)
        best = wizard.line_ids.sorted('score', reverse=True)[0]
        self.assertEqual((best.kind, best.nmbrs_guid), ('employee', guid('employee', self.employee.id)))
        self.assertIn('same e-mail', best.reason)
        wizard.action_link()
        self.assertEqual((person.nmbrs_employee_guid, person.nmbrs_employee_id, person.nmbrs_employee_number),
                         (guid('employee', self.employee.id), 0, self.employee.number))
        self.assertEqual(self.soap_calls(), [])

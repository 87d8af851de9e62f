from odoo.tests import new_test_user, tagged

from .document_import_case import DocumentImportCase, owner


@tagged('post_install', '-at_install')
class TestEmployeeContacts(DocumentImportCase):
    """One contact per Nmbrs employee, whether the document import, the annual documents or the
    incoming sync meets the employee first; and only work contact data on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relation = cls.relations[0]
        cls.nmbrs_company = cls.nmbrs_companies[0]
        cls.employees = cls.sandbox.dataset.company_employees(cls.nmbrs_company.id)
        cls.partners = cls.env['res.partner'].with_context(active_test=False)

    def contacts_of(self, employee):
        return self.partners.search([('parent_id', '=', self.relation.id), ('name', '=', employee.display_name)])

    def payslip_contacts(self, employee):
        return self.env['nmbrs.document'].search([
            ('document_type', '=', 'payslip'), ('nmbrs_key', '=like', 'payslip/%s/%%/e%d/%%' % (
                owner(self.env, self.nmbrs_company), employee.number))]).employee_partner_id

    def test_import_files_payslips_on_the_existing_contact_of_that_name(self):
        employee = self.employees[0]
        existing = self.partners.create({'name': employee.display_name, 'parent_id': self.relation.id})
        self.run_cron()
        self.assertEqual(self.contacts_of(employee), existing, "no second contact beside the existing one")
        self.assertEqual(existing.nmbrs_employee_id, employee.id)
        self.assertEqual(self.payslip_contacts(employee), existing)

    def test_import_matches_by_number_then_e_mail_before_name(self):
        by_number, by_email, by_name = self.employees[:3]
        contacts = self.partners.create([
            # Named like the third employee, but the reference says it is the first one.
            {'name': by_name.display_name, 'ref': str(by_number.number), 'parent_id': self.relation.id},
            {'name': 'J. Onbekend', 'email': by_email.email_work.upper(), 'parent_id': self.relation.id},
            {'name': by_name.display_name, 'parent_id': self.relation.id},
        ])
        self.run_cron()
        self.assertEqual([contact.nmbrs_employee_id for contact in contacts],
                         [by_number.id, by_email.id, by_name.id])
        for employee, contact in zip((by_number, by_email, by_name), contacts):
            self.assertEqual(self.payslip_contacts(employee), contact)

    def test_a_contact_of_another_relation_or_company_is_not_taken(self):
        employee = self.employees[0]
        elsewhere = self.partners.create({'name': employee.display_name, 'parent_id': self.relations[1].id})
        other_company = self.env['res.company'].create({'name': 'Ander Kantoor B.V.'})
        other_companys = self.partners.create({'name': employee.display_name, 'parent_id': self.relation.id,
                                               'company_id': other_company.id})
        self.run_cron()
        contact = self.payslip_contacts(employee)
        self.assertEqual(len(contact), 1)
        self.assertNotIn(contact, elsewhere | other_companys)
        self.assertFalse((elsewhere | other_companys).filtered('nmbrs_employee_id'))

    def test_incoming_sync_import_and_annual_documents_share_one_contact_per_employee(self):
        employee = self.employees[0]
        existing = self.partners.create({'name': employee.display_name, 'parent_id': self.relation.id})
        self.company._nmbrs_sync_relations()
        self.assertEqual(existing.nmbrs_employee_id, employee.id, "the incoming sync took the existing contact")
        contacts = self.partners.search([('parent_id', '=', self.relation.id)])
        self.assertEqual(len(contacts), len(self.employees))
        self.run_cron()
        manager = new_test_user(self.env, 'nmbrs_annual', groups='base.group_user,nmbrs_connector.group_nmbrs_manager')
        statements = self.env['nmbrs.annual.document.kind'].search([('code', '=', 'EmployeeAnnualStatement')])
        wizard = self.env['nmbrs.annual.documents.wizard'].with_user(manager).with_context(
            active_model='res.partner', active_ids=self.relation.ids).create({'year': 2025, 'kind_ids': statements.ids})
        wizard.action_fetch()
        self.assertEqual(self.partners.search([('parent_id', '=', self.relation.id)]), contacts)
        annual = self.env['nmbrs.document'].search([('document_type', '=', 'annual'),
                                                    ('partner_id', '=', self.relation.id)])
        self.assertTrue(annual)
        self.assertLessEqual(annual.employee_partner_id, contacts)
        self.assertEqual(self.payslip_contacts(employee), existing)

    def change_in_nmbrs(self, record, **values):
        """Change a record of the sandbox's office for this test only."""
        self.addCleanup(record.__dict__.update, {name: getattr(record, name) for name in values})
        record.__dict__.update(values)

    def test_incoming_sync_copies_only_work_contact_data(self):
        employee = self.employees[0]
        self.assertTrue(employee.email_private and employee.telephone_mobile_private)
        self.change_in_nmbrs(employee, email_work=None, telephone_work=None, telephone_mobile_work=None)
        self.company._nmbrs_sync_relations()
        contact = self.partners.search([('nmbrs_employee_id', '=', employee.id)])
        self.assertEqual(contact.name, employee.display_name)
        self.assertFalse(contact.email, "the private e-mail stays in Nmbrs")
        self.assertFalse(contact.phone, "private phones stay in Nmbrs")
        self.change_in_nmbrs(employee, email_work='j.werk@example.com', telephone_work='030-1112222')
        self.company._nmbrs_sync_relations()
        self.assertEqual((contact.email, contact.phone), ('j.werk@example.com', '030-1112222'))

    def test_incoming_sync_respects_the_company_of_a_relation(self):
        nmbrs_company = self.nmbrs_companies[1]
        self.relations[1].write({'nmbrs_company_id': False, 'name': 'Elders'})
        other_company = self.env['res.company'].create({'name': 'Ander Kantoor B.V.'})
        of_other_company = self.partners.create({
            'name': nmbrs_company.name, 'is_company': True, 'company_registry': nmbrs_company.kvk_nr,
            'company_id': other_company.id})
        self.company._nmbrs_sync_relations()
        relation = self.partners.search([('nmbrs_company_id', '=', nmbrs_company.id)])
        self.assertTrue(relation)
        self.assertNotEqual(relation, of_other_company)
        self.assertFalse(of_other_company.nmbrs_linked)

    def test_incoming_sync_reads_percent_and_underscore_in_names_literally(self):
        nmbrs_company = self.nmbrs_companies[1]
        self.relations[1].write({'nmbrs_company_id': False, 'name': 'Elders'})
        self.change_in_nmbrs(nmbrs_company, name='Bakkerij 100% Zuid_West B.V.', kvk_nr=None)
        lookalike = self.partners.create({'name': 'Bakkerij 100X ZuidXWest B.V.', 'is_company': True})
        self.company._nmbrs_sync_relations()
        self.assertFalse(lookalike.nmbrs_linked)
        relation = self.partners.search([('nmbrs_company_id', '=', nmbrs_company.id)])
        self.assertEqual(relation.name, 'Bakkerij 100% Zuid_West B.V.')

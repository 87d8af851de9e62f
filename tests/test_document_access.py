from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .document_import_case import DocumentImportCase


@tagged('post_install', '-at_install')
class TestDocumentAccess(DocumentImportCase):
    """Imported payroll documents and their files are for Nmbrs users of the same Odoo company only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env['res.company'].create({'name': 'Ander Kantoor B.V.'})
        cls.plain_user = new_test_user(cls.env, login='plain-internal', groups='base.group_user')
        cls.nmbrs_user = new_test_user(cls.env, login='nmbrs-user', groups='nmbrs_connector.group_nmbrs_user')
        cls.other_company_nmbrs_user = new_test_user(
            cls.env, login='nmbrs-elsewhere', groups='nmbrs_connector.group_nmbrs_user',
            company_id=cls.other_company.id, company_ids=[(6, 0, cls.other_company.ids)])

    def setUp(self):
        super().setUp()
        self.sync_now(self.relations[0])
        self.documents = self.env['nmbrs.document'].search([])
        self.attachments = self.documents.attachment_id

    def assert_cannot_see_documents(self, user):
        env = self.env(user=user)
        with self.assertRaises(AccessError):
            env['nmbrs.document'].browse(self.documents[0].id).read(['name'])
        self.assertFalse(env['ir.attachment'].search([('id', 'in', self.attachments.ids)]))
        with self.assertRaises(AccessError):
            env['ir.attachment'].browse(self.attachments[0].id).read(['raw'])
        # Nor through the relation's chatter: the import posts no files there.
        messages = env['mail.message'].sudo().search(
            [('model', '=', 'res.partner'), ('res_id', '=', self.relations[0].id)])
        self.assertFalse(messages.attachment_ids)

    def test_files_belong_to_the_document_not_the_partner(self):
        self.assertTrue(self.documents)
        self.assertEqual(set(self.attachments.mapped('res_model')), {'nmbrs.document'})
        self.assertEqual(sorted(self.attachments.mapped('res_id')), sorted(self.documents.ids))
        partners = self.relations | self.documents.employee_partner_id
        self.assertFalse(self.env['ir.attachment'].search(
            [('res_model', '=', 'res.partner'), ('res_id', 'in', partners.ids)]))

    def test_plain_internal_user_cannot_read_documents_or_files(self):
        with self.assertRaises(AccessError):
            self.env['nmbrs.document'].with_user(self.plain_user).search([])
        self.assert_cannot_see_documents(self.plain_user)
        with self.assertRaises(AccessError):
            self.relations[0].with_user(self.plain_user).read(['nmbrs_document_count'])

    def test_nmbrs_user_of_another_company_cannot_read_documents_or_files(self):
        self.assertFalse(self.env['nmbrs.document'].with_user(self.other_company_nmbrs_user).search([]))
        self.assert_cannot_see_documents(self.other_company_nmbrs_user)

    def test_nmbrs_user_reads_documents_and_downloads_files(self):
        env = self.env(user=self.nmbrs_user)
        documents = env['nmbrs.document'].search([])
        self.assertEqual(documents, self.documents.with_env(env))
        payslip = documents.filtered(lambda document: document.document_type == 'payslip')[0]
        self.assertTrue(payslip.attachment_id.raw.startswith(b'%PDF'))
        self.assertEqual(env['ir.attachment'].search([('id', 'in', self.attachments.ids)]),
                         self.attachments.with_env(env))
        self.assertEqual(payslip.action_download()['url'], '/web/content/%d?download=true' % payslip.attachment_id.id)
        self.assertEqual(self.relations[0].with_user(self.nmbrs_user).nmbrs_document_count, len(documents))
        with self.assertRaises(AccessError):
            payslip.unlink()

    def test_relation_form_lists_the_latest_documents_to_nmbrs_users_only(self):
        relation = self.relations[0].with_user(self.nmbrs_user)
        latest = relation.nmbrs_document_ids
        self.assertEqual(len(latest), 10)
        self.assertEqual(latest[0].period_label, max(self.documents.mapped('period_label')))
        with self.assertRaises(AccessError):
            self.relations[0].with_user(self.plain_user).read(['nmbrs_document_ids'])
        arch = self.env(user=self.plain_user)['res.partner'].get_views([(False, 'form')])['views']['form']['arch']
        self.assertNotIn('nmbrs_document_ids', arch)

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

PDF = b'%PDF-1.4\n% Loonstrook maart: netto 2875,40\n%%EOF\n'


class PayrollDocumentFixture:
    """One payslip of a relation of the main company, and the people who may or may not see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env['res.company'].create({'name': 'Ander Kantoor B.V.'})
        cls.relation = cls.env['res.partner'].create({'name': 'Bakkerij Jansen B.V.', 'is_company': True})
        cls.employee = cls.env['res.partner'].create({'name': 'Jan de Vries', 'parent_id': cls.relation.id})
        cls.document = cls.env['nmbrs.document'].create({
            'name': 'Loonstrook 2026-03 Jan de Vries.pdf',
            'document_type': 'payslip',
            'partner_id': cls.relation.id,
            'employee_partner_id': cls.employee.id,
            'year': 2026,
            'period': 3,
            'nmbrs_key': 'payslip/52001/78103/63001/1',
            'company_id': cls.company.id,
        })
        cls.attachment = cls.env['ir.attachment'].create({
            'name': cls.document.name,
            'raw': PDF,
            'res_model': 'nmbrs.document',
            'res_id': cls.document.id,
        })
        cls.document.attachment_id = cls.attachment
        cls.plain_user = new_test_user(cls.env, login='plain', groups='base.group_user,base.group_allow_export')
        cls.nmbrs_user = new_test_user(cls.env, login='payroll', groups='nmbrs_connector.group_nmbrs_user')
        cls.other_nmbrs_user = new_test_user(
            cls.env, login='elsewhere', groups='nmbrs_connector.group_nmbrs_user',
            company_id=cls.other_company.id, company_ids=[(6, 0, cls.other_company.ids)])
        cls.portal_user = new_test_user(cls.env, login='portal', groups='base.group_portal')


@tagged('post_install', '-at_install')
class TestPayrollDocumentAccess(PayrollDocumentFixture, HttpCase):
    """The paths around the ORM rules (see test_document_access): portal, export, chatter, HTTP."""

    def assert_cannot_see_document(self, user):
        env = self.env(user=user)
        with self.assertRaises(AccessError):
            env['nmbrs.document'].browse(self.document.id).read(['name'])
        for domain in ([('id', '=', self.attachment.id)], [('name', 'ilike', 'Loonstrook')],
                       [('res_model', '=', 'nmbrs.document')]):
            try:
                found = env['ir.attachment'].search(domain)
            except AccessError:
                continue  # refusing the search is as good as finding nothing
            self.assertFalse(found, "%s found the payslip with %s" % (user.login, domain))
        with self.assertRaises(AccessError):
            env['ir.attachment'].browse(self.attachment.id).read(['raw'])

    def test_portal_user_sees_nothing(self):
        self.assert_cannot_see_document(self.portal_user)

    def test_plain_user_cannot_export_documents(self):
        with self.assertRaises(AccessError):
            self.env(user=self.plain_user)['nmbrs.document'].browse(self.document.id).export_data(['name'])

    def test_plain_user_cannot_post_the_file_on_the_partner(self):
        """The mail composer and chatter cannot carry the payslip to the relation's followers."""
        relation = self.relation.with_user(self.plain_user)
        try:
            relation.message_post(body='Zie bijlage', attachment_ids=[self.attachment.id])
        except AccessError:
            pass  # refusing is as good as leaving the file out
        self.assertNotIn(self.attachment, self.relation.message_ids.attachment_ids)

    def test_only_nmbrs_administrators_run_syncs(self):
        self.company.nmbrs_state = 'connected'
        for user in (self.plain_user, self.nmbrs_user):
            with self.assertRaises(AccessError):
                self.relation.with_user(user).action_nmbrs_sync_now()
            with self.assertRaises(AccessError):
                self.relation.with_user(user).action_nmbrs_link()

    def download(self, login, path):
        self.authenticate(login, login)
        return self.url_open(path)

    def test_download_over_http_only_for_nmbrs_users(self):
        for login in ('plain', 'portal', 'elsewhere'):
            for path in ('/web/content/%d' % self.attachment.id, '/web/content/%d?download=true' % self.attachment.id,
                         '/web/content/ir.attachment/%d/raw' % self.attachment.id):
                response = self.download(login, path)
                self.assertIn(response.status_code, (403, 404), "%s got %s" % (login, path))
                self.assertNotIn(PDF, response.content)
            # /web/image answers a placeholder picture instead of refusing.
            self.assertNotIn(PDF, self.download(login, '/web/image/%d' % self.attachment.id).content)
        response = self.download('payroll', '/web/content/%d?download=true' % self.attachment.id)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)

from odoo.modules.module import get_manifest
from odoo.modules.neutralize import neutralize_database
from odoo.tests import new_test_user, tagged
from odoo.tools.convert import convert_file

from .document_import_case import DocumentImportCase


@tagged('post_install', '-at_install')
class TestStoredTextsInTheCompanysLanguage(DocumentImportCase):
    """What the sync stores is in the language of the company's partner, whoever triggered it (issue 12 point 5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.lang = 'nl_NL'
        cls.english_user = new_test_user(
            cls.env, 'nmbrs_english_clerk', lang='en_US',
            groups='base.group_user,base.group_partner_manager,nmbrs_connector.group_nmbrs_manager',
            company_id=cls.company.id)

    def test_sync_now_by_an_english_user_stores_dutch_texts(self):
        relation = self.relations[0]
        broken = self.env['res.partner'].create({'name': 'Verdwenen B.V.', 'is_company': True})
        broken.nmbrs_company_id = 99999

        self.sync_now(relation, user=self.english_user)
        self.sync_now(broken, user=self.english_user)

        names = self.env['nmbrs.document'].search([('partner_id', '=', relation.id)]).mapped('name')
        self.assertTrue(any(name.startswith('Loonstrook 2026-02 ') for name in names), names)
        self.assertTrue(any(name.startswith('Loonaangifte 2026-02 ') for name in names))
        self.assertFalse([name for name in names if name.startswith(('Payslip', 'Wage tax'))])
        note = relation.message_ids.filtered(lambda message: 'loondocumenten' in (message.body or '').lower())
        self.assertEqual(len(note), 1, relation.message_ids.mapped('body'))
        todo = broken.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertNotIn('failed', todo.summary)
        self.assertIn('Nmbrs', todo.note)
        self.assertNotIn('does not let', todo.note)
        log = self.env['nmbrs.sync.log'].search([('partner_id', '=', broken.id), ('state', '=', 'failed')], limit=1)
        self.assertNotIn('does not let', log.error)

    def test_annual_documents_asked_by_an_english_user_are_named_in_dutch(self):
        kind = self.env['nmbrs.annual.document.kind'].search([('code', '=', 'PayrollRegister')])
        wizard = self.env['nmbrs.annual.documents.wizard'].with_user(self.english_user).with_context(
            active_model='res.partner', active_ids=self.relations[:1].ids).create({'year': 2025})
        wizard.kind_ids = kind
        wizard.action_fetch()

        document = self.env['nmbrs.document'].search([('document_type', '=', 'annual')])
        self.assertEqual(len(document), 1)
        self.assertNotIn('Payroll register', document.name)
        self.assertEqual(document.name, '%s 2025 %s.pdf' % (
            kind.with_context(lang='nl_NL').name, self.relations[0].name.rstrip('.')))
        self.assertNotIn('relations', wizard.request_id.name)


@tagged('post_install', '-at_install')
class TestUpgradeOfANeutralisedCopy(DocumentImportCase):
    """Upgrading the addon on a neutralised copy leaves its Nmbrs crons off, and what users changed stays."""

    # What "-u nmbrs_connector" reloads: every data file of the manifest.
    DATA_FILES = [path for path in get_manifest('nmbrs_connector')['data'] if path.startswith('data/')]

    def test_module_data_reloaded_as_an_upgrade_keeps_the_crons_off(self):
        crons = self.env['ir.cron'].search([]).filtered(
            lambda cron: cron.get_external_id()[cron.id].startswith('nmbrs_connector.'))
        self.assertGreaterEqual(len(crons), 3)
        crons.active = True
        kind = self.env.ref('nmbrs_connector.nmbrs_annual_kind_payroll_register')
        kind.default_selected = False  # an office that never wants it

        self.env.flush_all()
        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        for data_file in self.DATA_FILES:
            convert_file(self.env, 'nmbrs_connector', data_file, {}, mode='update')
        self.env.invalidate_all()

        self.assertFalse(any(crons.mapped('active')), "the copy stays quiet")
        self.assertFalse(kind.default_selected)

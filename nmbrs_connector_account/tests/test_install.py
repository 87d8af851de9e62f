from odoo.tests import TransactionCase, tagged


@tagged('post_install', '-at_install')
class TestInstall(TransactionCase):

    def test_installed_beside_accounting_by_itself(self):
        modules = self.env['ir.module.module'].search([('name', 'in', ['nmbrs_connector_account', 'account'])])
        self.assertEqual(set(modules.mapped('state')), {'installed'})
        bridge = modules.filtered(lambda module: module.name == 'nmbrs_connector_account')
        self.assertTrue(bridge.auto_install)
        self.assertEqual(set(bridge.dependencies_id.mapped('name')), {'nmbrs_connector', 'account'})

from odoo.tests import TransactionCase, tagged


@tagged('post_install', '-at_install')
class TestInstall(TransactionCase):

    def test_groups_form_a_ladder(self):
        """An Nmbrs administrator is an Nmbrs user, who is an internal user."""
        manager = self.env.ref('nmbrs_connector.group_nmbrs_manager')
        user = self.env.ref('nmbrs_connector.group_nmbrs_user')
        self.assertIn(user, manager.all_implied_ids)
        self.assertIn(self.env.ref('base.group_user'), user.all_implied_ids)
        self.assertIn(self.env.ref('base.user_admin'), manager.all_user_ids)

    def test_accounting_bridge_waits_for_accounting(self):
        """Without Accounting the connector runs alone: its bridge to Accounting is on the addons path, not installed."""
        bridge = self.env['ir.module.module'].search([('name', '=', 'nmbrs_connector_account')])
        self.assertTrue(bridge, "scripts/setup.sh puts the bridge on the addons path")
        self.assertTrue(bridge.auto_install)
        self.assertEqual(self.env['ir.module.module'].search([('name', '=', 'account')]).state, 'uninstalled')
        self.assertEqual(bridge.state, 'uninstalled')

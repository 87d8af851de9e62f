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

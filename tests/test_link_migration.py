import json

from odoo.tests import TransactionCase, tagged

from .common import run_migration

LINK_COLUMNS = ('nmbrs_company_id', 'nmbrs_debtor_number', 'nmbrs_employee_id', 'nmbrs_employee_number')


@tagged('post_install', '-at_install')
class TestLinkMigration(TransactionCase):
    """An install of 19.0.1.0.0 kept its links in company-dependent jsonb columns: the upgrade moves them."""

    def _migrate(self):
        run_migration(self.env, '19.0.1.1.0/post-migrate.py', '19.0.1.0.0', 'nmbrs_link_migration')

    def test_links_of_company_dependent_columns_move_to_nmbrs_link(self):
        other_company = self.env['res.company'].create({'name': 'Tweede Kantoor'})
        company, first, second = self.env['res.partner'].create([
            {'name': 'Bakkerij Jansen B.V.', 'is_company': True},
            {'name': 'Jan de Vries'}, {'name': 'Jan de Vries (dubbel)'}])
        cr = self.env.cr
        for column in LINK_COLUMNS:
            cr.execute('ALTER TABLE res_partner ADD COLUMN "%s" jsonb' % column)
        own, other = str(self.env.company.id), str(other_company.id)
        rows = [
            (company, {'nmbrs_company_id': {own: 52001, other: 52009}, 'nmbrs_debtor_number': {own: '200'}}),
            (first, {'nmbrs_employee_id': {own: 63001, other: 63001}, 'nmbrs_employee_number': {own: 1}}),
            (second, {'nmbrs_employee_id': {own: 63001}}),  # the same employee twice: cannot stay
        ]
        for partner, values in rows:
            for column, value in values.items():
                cr.execute('UPDATE res_partner SET "%s" = %%s::jsonb WHERE id = %%s' % column,
                           [json.dumps(value), partner.id])

        with self.assertLogs('nmbrs_link_migration', level='WARNING') as logs:
            self._migrate()

        self.assertEqual((company.nmbrs_company_id, company.nmbrs_debtor_number), (52001, '200'))
        self.assertEqual(company.with_company(other_company).nmbrs_company_id, 52009)
        self.assertEqual((first.nmbrs_employee_id, first.nmbrs_employee_number), (63001, 1))
        self.assertEqual(first.with_company(other_company).nmbrs_employee_id, 63001)
        self.assertFalse(second.nmbrs_linked)
        self.assertIn('partner %s' % second.id, '\n'.join(logs.output))
        cr.execute("""SELECT count(*) FROM information_schema.columns
                       WHERE table_name = 'res_partner' AND column_name IN %s""", [tuple(LINK_COLUMNS)])
        self.assertEqual(cr.fetchone()[0], 0, "the old columns are gone")

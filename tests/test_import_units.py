import datetime
from unittest.mock import patch

from odoo import sql_db
from odoo.tests import tagged

from ..nmbrs.sandbox import documents as sandbox_documents
from .document_import_case import (
    AN_HOUR_LATER, MORNING, DocumentImportCase, declaration_key, owner, payslip_prefix, run_document_key)

RUN_TYPES = ('payslip', 'sepa', 'journal')


@tagged('post_install', '-at_install')
class TestOneBadValueStopsOneUnit(DocumentImportCase):
    """A run, declaration or file Nmbrs sends wrongly fails alone; everything else of the relation arrives."""

    def keys_of_run(self, nmbrs_company, run):
        return {key for key in self.expected_documents(nmbrs_company.id)
                if key.split('/')[2] == '%d-r%s' % (run.year, run.number) and not key.startswith('wage_tax/')}

    def log(self, relation, document_type):
        return self.env['nmbrs.sync.log'].search(
            [('partner_id', '=', relation.id), ('document_type', '=', document_type)], order='id desc', limit=1)

    def test_unreadable_run_fails_alone_and_arrives_once_readable(self):
        relation, nmbrs_company = self.relations[0], self.nmbrs_companies[0]
        february = self.run_of(nmbrs_company, 2026, 2)
        declaration = self.sandbox.dataset.declaration_for_period(nmbrs_company.id, 2026, 2)
        expected = set(self.expected_documents(nmbrs_company.id))
        # Its declaration waits too: whether every run of its period is locked cannot be known.
        waiting = self.keys_of_run(nmbrs_company, february) | {
            declaration_key(owner(self.env, nmbrs_company), declaration)}
        number = february.number
        self.addCleanup(setattr, february, 'number', number)
        february.number = 'twee'  # not a number: Nmbrs's answer cannot be read for this run

        self.run_cron()

        self.assertEqual(set(self.imported_documents(nmbrs_company.id)), expected - waiting)
        for document_type in RUN_TYPES:
            log = self.log(relation, document_type)
            self.assertEqual(log.state, 'failed')
            self.assertIn("'twee' is not a valid int", log.error_detail)
            self.assertEqual(log.error_operation, 'CompanyService.Run_GetList')
        self.assertEqual(len(self.import_todos(relation)), 1)
        self.assertFalse(self.import_todos(self.relations[1]))

        february.number = number
        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        self.assertFalse(self.import_todos(relation))

    def test_unreadable_declaration_fails_alone(self):
        relation, nmbrs_company = self.relations[0], self.nmbrs_companies[0]
        declaration = self.sandbox.dataset.declaration_for_period(nmbrs_company.id, 2026, 1)
        self.addCleanup(setattr, declaration, 'total_general', declaration.total_general)
        declaration.total_general = 'veel'

        self.run_cron()

        key = declaration_key(owner(self.env, nmbrs_company), declaration)
        expected = set(self.expected_documents(nmbrs_company.id))
        self.assertEqual(set(self.imported_documents(nmbrs_company.id)), expected - {key})
        self.assertEqual(self.log(relation, 'wage_tax').state, 'failed')
        self.assertEqual(self.log(relation, 'payslip').state, 'done')
        self.assertEqual(len(self.import_todos(relation)), 1)

    def test_empty_answers_are_asked_again_and_named_in_the_log(self):
        relation, nmbrs_company = self.relations[0], self.nmbrs_companies[0]
        february = self.run_of(nmbrs_company, 2026, 2)
        employee = self.sandbox.dataset.employees[sorted(february.pay)[0]]
        real = {name: getattr(sandbox_documents, name) for name in ('sepa_xml', 'journal_xml', 'employee_payslips')}
        # Nmbrs has not made these files of February yet: it answers without them.
        not_yet = {
            'sepa_xml': lambda dataset, run, *args: None if run.id == february.id else real['sepa_xml'](
                dataset, run, *args),
            'journal_xml': lambda dataset, run: None if run.id == february.id else real['journal_xml'](dataset, run),
            'employee_payslips': lambda dataset, run, paid: [] if (run.id, paid.id) == (february.id, employee.id)
            else real['employee_payslips'](dataset, run, paid),
        }
        with patch.multiple(sandbox_documents, **not_yet):
            self.run_cron()

        keys_of = owner(self.env, nmbrs_company)
        missing = {run_document_key('sepa', keys_of, february), run_document_key('journal', keys_of, february)}
        missing |= {key for key in self.keys_of_run(nmbrs_company, february)
                    if key.startswith(payslip_prefix(owner(self.env, nmbrs_company), february, employee))}
        self.assertEqual(set(self.imported_documents(nmbrs_company.id)),
                         set(self.expected_documents(nmbrs_company.id)) - missing)
        for document_type in RUN_TYPES:
            log = self.log(relation, document_type)
            self.assertEqual((log.state, log.empty_count), ('done', 1))
            self.assertIn('2026-02', log.note)
        self.assertIn(employee.display_name, self.log(relation, 'payslip').note)

        self.sandbox.calls.clear()
        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        self.assertEqual(len(self.sandbox.calls.of('SalaryDocuments_GetSEPA')), 1, "only February's SEPA again")
        self.assertFalse(self.log(relation, 'sepa').note)


@tagged('post_install', '-at_install')
class TestImportLock(DocumentImportCase):
    """The per-relation advisory lock is released on every path, and a relation held too long shows."""

    def other_session(self):
        cursor = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cursor.close)
        return cursor

    def test_lock_is_released_after_a_database_error_and_the_cron_goes_on(self):
        broken = self.relations[0]
        Company = type(self.env['res.company'])
        report = Company._nmbrs_report_import

        def report_with_a_database_error(company, outcome):
            if outcome.partner == broken:
                # What a clash with another worker looks like: the transaction is broken off.
                company.env.cr.execute('SELECT 1 / 0')
            return report(company, outcome)

        with patch.object(Company, '_nmbrs_report_import', report_with_a_database_error), \
                self.assertLogs('odoo.addons.nmbrs_connector', 'ERROR') as logged:
            self.run_cron()

        self.assertIn('division by zero', '\n'.join(logged.output), "the traceback is in the server log")

        other = self.other_session()
        lock = self.company._nmbrs_import_lock(broken)
        other.execute('SELECT pg_try_advisory_lock(%s)', [lock])
        self.assertTrue(other.fetchone()[0], "the lock was released")
        other.execute('SELECT pg_advisory_unlock(%s)', [lock])
        self.assertTrue(self.imported_documents(self.nmbrs_companies[1].id), "the next relation was imported")
        failed = self.env['nmbrs.sync.log'].search([('partner_id', '=', broken.id), ('state', '=', 'failed')])
        self.assertEqual(len(failed), 1)
        self.assertIn('division by zero', failed.error_detail)
        self.assertNotIn('division by zero', failed.error)

    def test_relation_busy_for_over_an_hour_shows_in_the_log(self):
        busy = self.relations[0]
        two_hours_ago = datetime.datetime.fromisoformat(MORNING) - datetime.timedelta(hours=2)
        self.env['nmbrs.sync.log'].create({'partner_id': busy.id, 'date': two_hours_ago, 'document_type': 'payslip'})
        other = self.other_session()
        lock = self.company._nmbrs_import_lock(busy)
        other.execute('SELECT pg_try_advisory_lock(%s)', [lock])
        self.assertTrue(other.fetchone()[0], "no earlier test left the lock held")

        with self.assertLogs('odoo.addons.nmbrs_connector.models.res_company_document_import', 'WARNING'):
            self.run_cron()

        line = self.env['nmbrs.sync.log'].search([('partner_id', '=', busy.id), ('date', '>', two_hours_ago)])
        self.assertEqual(line.state, 'failed')
        self.assertIn('over an hour', line.error)
        self.assertTrue(self.imported_documents(self.nmbrs_companies[1].id))
        other.execute('SELECT pg_advisory_unlock(%s)', [lock])

    def test_relation_busy_for_a_short_while_is_only_skipped(self):
        busy = self.relations[0]
        self.env['nmbrs.sync.log'].create({
            'partner_id': busy.id, 'document_type': 'payslip',
            'date': datetime.datetime.fromisoformat(MORNING) - datetime.timedelta(minutes=40)})
        other = self.other_session()
        lock = self.company._nmbrs_import_lock(busy)
        other.execute('SELECT pg_try_advisory_lock(%s)', [lock])
        self.assertTrue(other.fetchone()[0], "no earlier test left the lock held")

        self.run_cron()

        self.assertEqual(self.env['nmbrs.sync.log'].search_count([('partner_id', '=', busy.id)]), 1)
        other.execute('SELECT pg_advisory_unlock(%s)', [lock])

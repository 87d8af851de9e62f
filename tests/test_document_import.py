import datetime

from odoo import sql_db
from odoo.tests import tagged

from ..models.nmbrs_relation_import import RelationImport
from ..nmbrs.sandbox import faults
from .document_import_case import (
    AN_HOUR_LATER, TWO_HOURS_LATER, DocumentImportCase, declaration_key, owner, payslip_key, run_document_key)


@tagged('post_install', '-at_install')
class TestDocumentImport(DocumentImportCase):

    def test_first_import_brings_every_final_document_once_on_the_right_partner(self):
        # Downloads run in parallel (Nmbrs takes its time to answer); none waits
        # for or throws away an HTTP connection.
        self.sandbox.faults.set_latency(0.05)
        with self.assertNoLogs('urllib3.connectionpool', level='WARNING'):
            self.run_cron()

        self.assert_everything_imported_once()
        relation, nmbrs_company = self.relations[0], self.nmbrs_companies[0]
        february = self.run_of(nmbrs_company, 2026, 2)
        employee = self.sandbox.dataset.employees[next(iter(february.pay))]
        payslip = self.env['nmbrs.document'].search(
            [('nmbrs_key', '=', payslip_key(owner(self.env, nmbrs_company), february, employee))])
        self.assertEqual(payslip.partner_id, relation)
        self.assertEqual(payslip.employee_partner_id.name, employee.display_name)
        self.assertEqual(payslip.employee_partner_id.parent_id, relation)
        self.assertEqual(payslip.employee_partner_id.nmbrs_employee_id, employee.id)
        self.assertEqual(payslip.name, 'Payslip 2026-02 %s.pdf' % employee.display_name)
        self.assertEqual(payslip.attachment_id.name, payslip.name)
        self.assertEqual((payslip.year, payslip.period, payslip.nmbrs_run_id), (2026, 2, february.id))
        declaration = self.env['nmbrs.document'].search(
            [('partner_id', '=', relation.id), ('document_type', '=', 'wage_tax'), ('period_label', '=', '2026-02')])
        # 'B.V.' does not get a second dot before the extension.
        self.assertEqual(declaration.name, 'Wage tax declaration 2026-02 %s.xml' % relation.name.rstrip('.'))
        self.assertEqual(declaration.nmbrs_status, 'Sent')
        sepa = self.env['nmbrs.document'].search(
            [('partner_id', '=', relation.id), ('document_type', '=', 'sepa'), ('period_label', '=', '2026-02')])
        self.assertEqual(sepa.name, 'SEPA salary payment 2026-02 %s.xml' % relation.name.rstrip('.'))

        # Open runs are not final: none of their documents arrive yet.
        open_runs = [run.id for run in self.sandbox.dataset.runs.values() if not run.is_locked]
        self.assertTrue(open_runs)
        self.assertFalse(self.env['nmbrs.document'].search([('nmbrs_run_id', 'in', open_runs)]))
        # The relation's chatter says in one short note what arrived, without files.
        payslips = self.env['nmbrs.document'].search_count(
            [('partner_id', '=', relation.id), ('document_type', '=', 'payslip')])
        note = relation.message_ids.filtered(lambda message: 'payslips for' in message.body)
        self.assertEqual(len(note), 1)
        self.assertIn('%d payslips for' % payslips, note.body)
        self.assertLess(note.body.count('<li>'), 6)
        self.assertFalse(relation.message_ids.attachment_ids)
        log = self.env['nmbrs.sync.log'].search([('partner_id', '=', relation.id), ('document_type', '=', 'payslip')])
        self.assertEqual(log.created_count, len(self.env['nmbrs.document'].search(
            [('partner_id', '=', relation.id), ('document_type', '=', 'payslip')])))
        self.assertEqual(log.state, 'done')

    def test_companies_with_the_same_number_keep_their_documents_apart(self):
        # Company numbers may repeat across debtors: two relations of company number 1.
        first, second = self.nmbrs_companies
        old = self.sandbox.dataset.renumber_company(second.id, first.number)
        self.addCleanup(self.sandbox.dataset.renumber_company, second.id, old)
        self.relations[1].nmbrs_company_number = first.number

        self.run_cron()

        self.assert_everything_imported_once()

    def test_run_times_with_an_offset_are_stored_in_utc_and_pay_on_the_dutch_day(self):
        # Nmbrs sends RunAt with its offset (2026-03-03T00:30:00.000+01:00): a
        # run just after midnight in the Netherlands is still the evening before in UTC.
        nmbrs_company = self.nmbrs_companies[0]
        run = self.run_of(nmbrs_company, 2026, 2)
        run.run_at = datetime.datetime(2026, 3, 3, 0, 30)
        self.run_cron()
        record = self.env['nmbrs.run'].search([('nmbrs_run_id', '=', run.id)])
        self.assertEqual(record.run_at, datetime.datetime(2026, 3, 2, 23, 30))
        sepa = self.env['nmbrs.document'].search(
            [('nmbrs_key', '=', run_document_key('sepa', owner(self.env, nmbrs_company), run))])
        self.assertIn(b'<ReqdExctnDt>2026-03-03</ReqdExctnDt>', sepa.attachment_id.raw)
        self.assert_everything_imported_once()

    def test_second_import_downloads_nothing_and_creates_nothing(self):
        self.run_cron()
        count = self.env['nmbrs.document'].search_count([])
        self.sandbox.calls.clear()

        self.run_cron(at=AN_HOUR_LATER)

        self.assertEqual(self.downloads(), [])
        self.assertEqual(self.env['nmbrs.document'].search_count([]), count)
        # Only the lists of runs and declarations of both years, per relation.
        self.assertEqual(len(self.sandbox.calls), 4 * len(self.relations))

    def test_cron_loop_does_not_check_a_relation_twice_in_the_same_hour(self):
        self.run_cron()
        self.sandbox.calls.clear()
        self.run_cron()
        self.assertEqual(len(self.sandbox.calls), 0)

    def test_run_locked_later_is_imported_by_the_next_cron(self):
        self.run_cron()
        march = self.run_of(self.nmbrs_companies[0], 2026, 3)
        self.sandbox.dataset.lock_run(march.id)

        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        march_documents = self.env['nmbrs.document'].search(
            [('partner_id', '=', self.relations[0].id), ('period_label', '=', '2026-03')])
        self.assertEqual(set(march_documents.mapped('document_type')), {'payslip', 'sepa', 'journal', 'wage_tax'})

    def test_late_run_of_an_earlier_month_is_caught_up(self):
        self.run_cron()
        late = self.sandbox.dataset.add_run(self.nmbrs_companies[1].id, 2025, 11, locked=True)

        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        self.assertEqual(
            len(self.env['nmbrs.document'].search([('nmbrs_run_id', '=', late.id), ('document_type', '=', 'payslip')])),
            len(late.pay))

    def test_declarations_by_chosen_status(self):
        self.run_cron()
        statuses = self.env['nmbrs.wage.tax.status'].search([('company_id', '=', self.company.id)])
        self.assertEqual(set(statuses.mapped('name')), {'Created', 'Sent', 'SentExternal'})
        self.env['nmbrs.document'].search([('document_type', '=', 'wage_tax')]).unlink()
        sent_external = statuses.filtered(lambda status: status.name == 'SentExternal')
        self.company.write({'nmbrs_wage_tax_rule': 'status', 'nmbrs_wage_tax_status_ids': [(6, 0, sent_external.ids)]})

        self.run_cron(at=AN_HOUR_LATER)

        declarations = self.env['nmbrs.document'].search([('document_type', '=', 'wage_tax')])
        self.assertEqual(declarations.mapped('nmbrs_status'), ['SentExternal'])
        self.assertEqual(declarations.partner_id, self.relations[1])

        # A declaration that reaches a chosen status later arrives at the next run.
        march = self.sandbox.dataset.declaration_for_period(self.nmbrs_companies[0].id, 2026, 3)
        self.sandbox.dataset.set_declaration_status(march.id, 'SentExternal')
        self.run_cron(at=TWO_HOURS_LATER)
        self.assertEqual(self.env['nmbrs.document'].search_count(
            [('document_type', '=', 'wage_tax'), ('nmbrs_key', '=', declaration_key(
                owner(self.env, self.nmbrs_companies[0]), march))]), 1)

    def test_only_switched_on_document_types_are_imported(self):
        self.company.write({'nmbrs_import_payslips': False, 'nmbrs_import_wage_tax': False})
        self.run_cron()
        self.assertEqual(set(self.env['nmbrs.document'].search([]).mapped('document_type')), {'sepa', 'journal'})
        self.assertFalse(self.sandbox.calls.of('SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'))

    def test_nothing_happens_outside_the_import_hours(self):
        self.run_cron(at='2026-03-16 05:30:00')  # 06:30 in Amsterdam, before 07:00
        self.assertEqual(len(self.sandbox.calls), 0)
        self.assertFalse(self.env['nmbrs.document'].search([]))
        self.run_cron(at='2026-03-16 19:30:00')  # 20:30 in Amsterdam
        self.assertEqual(len(self.sandbox.calls), 0)

    def test_failing_relation_leaves_the_others_imported_with_one_todo(self):
        broken = self.env['res.partner'].create({'name': 'Verdwenen B.V.', 'is_company': True})
        broken.nmbrs_company_id = 99999  # not (or no longer) visible to the API user

        self.run_cron()
        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        todo = self.import_todos(broken)
        self.assertEqual(len(todo), 1, "one To-Do, not one per hour")
        self.assertEqual(todo.user_id, self.env.ref('base.user_admin'))
        self.assertIn('99999', todo.note)
        self.assertFalse(self.import_todos(self.relations))
        failed = self.env['nmbrs.sync.log'].search([('partner_id', '=', broken.id), ('state', '=', 'failed')])
        self.assertEqual(len(failed), 2)

        # Once the link is repaired, the next import resolves the To-Do.
        broken.nmbrs_company_id = list(self.sandbox.dataset.companies)[2]
        self.run_cron(at=TWO_HOURS_LATER)
        self.assertFalse(self.import_todos(broken))

    def test_wrong_token_gives_one_todo_on_the_company(self):
        self.company.nmbrs_token = 'wrong'
        self.run_cron()
        self.run_cron(at=AN_HOUR_LATER)
        summary = "Nmbrs connection failed"
        todos = self.company.partner_id.activity_ids.filtered(lambda activity: activity.summary == summary)
        self.assertEqual(len(todos), 1)
        self.assertFalse(self.import_todos(self.relations))
        # The first relation met the refusal; the others were not even tried.
        self.assertEqual(len(self.sandbox.calls), 2)

    def test_crash_on_a_payslip_then_a_new_run_ends_with_every_document_once(self):
        self.sandbox.faults.inject(faults.SOAP_FAULT, operation='SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
                                   after=7, times=1)
        self.run_cron()
        failed = self.env['nmbrs.sync.log'].search([('failed_count', '>', 0)])
        self.assertEqual(failed.document_type, 'payslip')
        self.assertEqual(len(self.import_todos(failed.partner_id)), 1)

        self.sandbox.dataset.lock_run(self.run_of(self.nmbrs_companies[0], 2026, 3).id)
        self.sandbox.calls.clear()
        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        self.assertFalse(self.import_todos(failed.partner_id))
        # Only the missing payslip and the new run were downloaded again.
        payslip_calls = self.sandbox.calls.of('SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2')
        march = self.run_of(self.nmbrs_companies[0], 2026, 3)
        self.assertEqual(len(payslip_calls), 1 + len(march.pay))

    def test_sync_now_imports_one_relation_at_once(self):
        user = self.env['res.users'].create({
            'name': 'Salarisadministratie', 'login': 'payroll-clerk',
            'group_ids': [(6, 0, [self.env.ref('nmbrs_connector.group_nmbrs_manager').id])]})

        notification = self.sync_now(self.relations[0], user=user)

        self.assertEqual(notification['params']['type'], 'success')
        imported = self.imported_documents(self.nmbrs_companies[0].id)
        self.assertEqual(sorted(imported), sorted(self.expected_documents(self.nmbrs_companies[0].id)))
        self.assertIn(str(len(imported)), notification['params']['message'])
        self.assertFalse(self.imported_documents(self.nmbrs_companies[1].id))
        self.assertEqual(self.relations[0].with_user(user).nmbrs_document_count, len(imported))

    def test_the_chatter_note_counts_one_payslip_in_the_singular(self):
        unit = RelationImport(self.company, self.relations[0], client=self.company._nmbrs_client(), commit=lambda: None)
        self.assertEqual(unit._arrival_text('payslip', 1, 'March 2026'), '1 payslip for March 2026')
        self.assertEqual(unit._arrival_text('payslip', 2, 'March 2026'), '2 payslips for March 2026')


@tagged('post_install', '-at_install')
class TestParallelWorkers(DocumentImportCase):

    def test_relation_imported_by_another_worker_is_left_alone(self):
        """A second worker (another database session) holding a relation's lock: this worker skips it."""
        busy = self.relations[0]
        other_worker = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(other_worker.close)
        lock = self.company._nmbrs_import_lock(busy)
        other_worker.execute('SELECT pg_advisory_lock(%s)', [lock])

        self.run_cron()

        self.assertFalse(self.imported_documents(self.nmbrs_companies[0].id))
        self.assertTrue(self.imported_documents(self.nmbrs_companies[1].id))
        other_worker.execute('SELECT pg_advisory_unlock(%s)', [lock])
        self.run_cron()  # the same hour: the relation the other worker held is still due
        self.assert_everything_imported_once()

    def test_document_stored_meanwhile_by_another_worker_is_skipped(self):
        """The unique key is the backstop when two workers store the same run at the same moment."""
        Document = self.env['nmbrs.document']
        values = [{'document_type': 'journal', 'name': 'Loonjournaal 2026-0%d.xml' % period,
                   'partner_id': self.relations[0].id, 'year': 2026, 'period': period,
                   'nmbrs_key': 'journal/1/%d' % period, 'raw': b'<transactions/>'} for period in (1, 2)]
        Document._nmbrs_store(values[:1])  # what the other worker committed first

        created, skipped = Document._nmbrs_store(values)

        self.assertEqual(created.mapped('nmbrs_key'), ['journal/1/2'])
        self.assertEqual([value['nmbrs_key'] for value in skipped], ['journal/1/1'])
        self.assertEqual(Document.search_count([('nmbrs_key', 'in', ['journal/1/1', 'journal/1/2'])]), 2)
        self.assertEqual(self.env['ir.attachment'].search_count(
            [('res_model', '=', 'nmbrs.document'), ('res_id', 'in', Document.search([]).ids)]), 2)

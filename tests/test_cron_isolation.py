from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import NmbrsSandboxCase
from .document_import_case import DocumentImportCase

SECRET = 'geheime-details-4711'


class WorkerKilled(BaseException):
    """What the cron sees of a worker that is killed: nothing after this point runs."""


def failing_for(method, should_fail, error):
    """``method`` that raises ``error`` when ``should_fail(record, *args)``, else does its work."""
    def wrapper(self, *args, **kwargs):
        if should_fail(self, *args):
            raise error
        return method(self, *args, **kwargs)
    return wrapper


@tagged('post_install', '-at_install')
class TestRelationSyncCronIsolation(NmbrsSandboxCase):
    """The daily relation sync: an unexpected error in one company or one relation never ends the cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second office with the same Nmbrs: each Odoo company keeps its own links.
        cls.other_company = cls.env['res.company'].create({'name': 'Tweede Kantoor'})
        cls.connect_company(cls.other_company, cls.sandbox)
        cls.other_company.partner_id.lang = 'en_US'
        cls.env.user.company_ids |= cls.other_company
        cls.Company = type(cls.env['res.company'])
        cls.Partner = type(cls.env['res.partner'])

    def run_cron(self):
        with self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_sync_relations').method_direct_trigger(), True)
        self.env.invalidate_all()

    def linked(self, company):
        return self.env['res.partner'].with_company(company).search([('nmbrs_company_id', '!=', False)])

    def todos(self, record, failure):
        return record.activity_ids.filtered(lambda activity: activity.nmbrs_failure == failure)

    def test_unexpected_error_in_one_company_does_not_stop_the_others(self):
        # The failing company waited longest, so it comes first.
        self.company.nmbrs_relation_sync_date = '2026-01-01 00:00:00'
        self.other_company.nmbrs_relation_sync_date = '2026-01-02 00:00:00'
        broken = failing_for(self.Company._nmbrs_companies_with_debtors,
                             lambda company, _client: company == self.company, RuntimeError(SECRET))
        with patch.object(self.Company, '_nmbrs_companies_with_debtors', broken), \
                self.assertLogs('odoo.addons.nmbrs_connector.models.res_company_errors', 'ERROR') as logged:
            self.run_cron()

        self.assertIn(SECRET, '\n'.join(logged.output), "the traceback is in the server log")
        self.assertEqual(len(self.linked(self.other_company)), len(self.sandbox.dataset.companies),
                         "the next company was synced")
        self.assertFalse(self.linked(self.company))
        todo = self.todos(self.company.partner_id, 'company_sync')
        self.assertEqual(len(todo), 1)
        self.assertNotIn(SECRET, todo.note, "exception texts stay out of To-Dos")
        log = self.env['nmbrs.sync.log'].search([('company_id', '=', self.company.id), ('kind', '=', 'relations')])
        self.assertEqual(log.state, 'failed')
        self.assertIn(SECRET, log.error_detail)
        self.assertGreater(self.company.nmbrs_relation_sync_date.year, 2026 - 1)
        self.assertNotEqual(str(self.company.nmbrs_relation_sync_date), '2026-01-01 00:00:00',
                            "it is not first in line again tomorrow")

    def test_unexpected_error_in_one_relation_leaves_the_others_synced(self):
        nmbrs_companies = list(self.sandbox.dataset.companies.values())
        bad = nmbrs_companies[1]
        broken = failing_for(self.Partner._nmbrs_update_from_company,
                             lambda _partner, _client, nmbrs_company, *rest: nmbrs_company.id == bad.id,
                             RuntimeError(SECRET))
        with patch.object(self.Partner, '_nmbrs_update_from_company', broken), self.assertLogs('odoo.addons.nmbrs_connector', 'ERROR'):
            self.run_cron()

        synced = self.linked(self.company)
        self.assertEqual(sorted(synced.mapped('nmbrs_company_id')),
                         sorted(company.id for company in nmbrs_companies if company != bad))
        failed = self.env['nmbrs.sync.log'].search([('state', '=', 'failed')]).filtered(
            lambda log: log.company_id == self.company)
        self.assertEqual(len(failed), 1)
        self.assertIn(bad.name, failed.error)
        self.assertNotIn(SECRET, failed.error)
        self.assertEqual(len(self.todos(self.company.partner_id, 'company_sync')), 1)


@tagged('post_install', '-at_install')
class TestDocumentCronIsolation(DocumentImportCase):
    """The hourly import: an unexpected error in one company is logged, reported once, and the next goes on."""

    def test_unexpected_error_in_one_company_does_not_stop_the_others(self):
        other = self.env['res.company'].create({'name': 'Tweede Kantoor', 'nmbrs_responsible_user_id': self.env.uid})
        self.connect_company(other, self.sandbox)
        other.partner_id.lang = 'en_US'
        relation = self.env['res.partner'].with_company(other).create(
            {'name': 'Derde B.V.', 'is_company': True, 'nmbrs_company_id': list(self.sandbox.dataset.companies)[2]})
        Company = type(self.env['res.company'])
        # The company that comes first fails before any relation is imported.
        broken = failing_for(Company._nmbrs_client, lambda company: company == self.company,
                             RuntimeError(SECRET))
        with patch.object(Company, '_nmbrs_client', broken), self.assertLogs('odoo.addons.nmbrs_connector', 'ERROR'):
            self.run_cron()

        self.assertTrue(self.env['nmbrs.document'].search([('partner_id', '=', relation.id)]))
        for partner in self.relations:
            log = self.env['nmbrs.sync.log'].search([('partner_id', '=', partner.id)])
            self.assertEqual(log.state, 'failed')
            self.assertIn(SECRET, log.error_detail)
            self.assertNotIn(SECRET, log.error)
        todo = self.company.partner_id.activity_ids.filtered(
            lambda activity: activity.nmbrs_failure == 'document_import')
        self.assertEqual(len(todo), 1)
        self.assertNotIn(SECRET, todo.note)

    def test_unexpected_error_in_one_relation_is_kept_out_of_its_todo(self):
        from ..models.nmbrs_relation_import import RelationImport
        broken = failing_for(RelationImport.run, lambda run: run.partner == self.relations[0], RuntimeError(SECRET))
        with patch.object(RelationImport, 'run', broken), self.assertLogs('odoo.addons.nmbrs_connector', 'ERROR') as logged:
            self.run_cron()

        self.assertIn(SECRET, '\n'.join(logged.output))
        todo = self.import_todos(self.relations[0])
        self.assertEqual(len(todo), 1)
        self.assertNotIn(SECRET, todo.note, "every reader of the relation sees its To-Dos")
        self.assertTrue(self.imported_documents(self.nmbrs_companies[1].id))


@tagged('post_install', '-at_install')
class TestRelationSyncKilledWorker(NmbrsSandboxCase):
    """A worker killed in the middle of the relation sync keeps what it committed, relation by relation.

    Test cursors undo everything when the job's cursor ends on an exception, so
    this test commits in cursors of its own, like a real worker, and removes
    what it committed afterwards.
    """

    @classmethod
    def connect_company(cls, company, sandbox):
        """Left to the committed set-up: the test's transaction must not lock the company's row."""

    def committed(self):
        cursor = self.registry.cursor()
        self.addCleanup(cursor.close)
        return api.Environment(cursor, SUPERUSER_ID, {'active_test': False})

    def test_a_killed_worker_keeps_the_relations_synced_before_and_a_new_run_completes(self):
        env = self.committed()
        company = env.company
        fields = ['nmbrs_username', 'nmbrs_token', 'nmbrs_tenant_key', 'nmbrs_environment', 'nmbrs_api_url',
                  'nmbrs_state', 'nmbrs_relation_sync_date']
        saved = company._convert_to_write(company.read(fields)[0])
        self.addCleanup(self.remove_committed, env, saved)
        NmbrsSandboxCase.connect_company(company, self.sandbox)
        env.cr.commit()
        nmbrs_companies = list(self.sandbox.dataset.companies.values())
        Partner = type(env['res.partner'])
        killed = failing_for(Partner._nmbrs_import_company,
                             lambda _model, _client, nmbrs_company, _debtor: nmbrs_company.id == nmbrs_companies[2].id,
                             WorkerKilled())

        with patch.object(Partner, '_nmbrs_import_company', killed), self.assertRaises(WorkerKilled), \
                self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['res.company']._cron_nmbrs_sync_relations()

        env.cr.rollback()  # a new snapshot: see what the worker committed
        env.invalidate_all()
        self.assertEqual(sorted(self.linked(env).mapped('nmbrs_company_id')),
                         sorted(nmbrs_company.id for nmbrs_company in nmbrs_companies[:2]),
                         "committed relation by relation")

        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['res.company']._cron_nmbrs_sync_relations()

        env.cr.rollback()
        env.invalidate_all()
        linked = self.linked(env)
        self.assertEqual(sorted(linked.mapped('nmbrs_company_id')),
                         sorted(nmbrs_company.id for nmbrs_company in nmbrs_companies))
        self.assertEqual(len(env['res.partner'].search([('name', '=', nmbrs_companies[0].name)])), 1)

    def linked(self, env):
        return env['res.partner'].search([('nmbrs_company_id', '!=', False)])

    def remove_committed(self, env, saved):
        env.cr.rollback()
        env.invalidate_all()
        relations = self.linked(env)
        (env['res.partner'].search([('parent_id', 'in', relations.ids)]) | relations).unlink()
        env['nmbrs.sync.log'].search([('kind', '=', 'relations')]).unlink()
        env.company.write(saved)
        env.cr.commit()


@tagged('post_install', '-at_install')
class TestAnnualCronIsolation(NmbrsSandboxCase):
    """An unexpected error in one annual-documents line marks it failed; the cron and later requests go on."""

    def test_unexpected_error_in_one_line_does_not_stall_the_requests(self):
        relations = self.env['res.partner'].create([
            {'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id}
            for nmbrs_company in list(self.sandbox.dataset.companies.values())[:2]])
        summary = self.env['nmbrs.annual.document.kind'].search([('code', '=', 'PayrollRegisterSummaryCumulative')])
        year = self.sandbox.dataset.now().year - 1
        Request = self.env['nmbrs.annual.request']
        first, later = Request.create([{
            'year': year, 'kind_ids': [(6, 0, summary.ids)],
            'line_ids': [(0, 0, {'partner_id': relation.id}) for relation in partners]}
            for partners in (relations, relations[1:])])
        Line = type(self.env['nmbrs.annual.request.line'])
        broken = failing_for(Line._nmbrs_fetch_with, lambda line, *_args: line == first.line_ids[0],
                             RuntimeError(SECRET))

        with patch.object(Line, '_nmbrs_fetch_with', broken), \
                self.assertLogs('odoo.addons.nmbrs_connector', 'ERROR') as logged, self.enter_registry_test_mode():
            self.assertIs(self.env.ref('nmbrs_connector.ir_cron_nmbrs_annual_documents').method_direct_trigger(), True)
        self.env.invalidate_all()

        self.assertIn(SECRET, '\n'.join(logged.output))
        self.assertEqual(first.line_ids.mapped('state'), ['failed', 'done'])
        self.assertNotIn(SECRET, first.line_ids[0].message)
        self.assertEqual((first.state, later.state), ('done', 'done'), "no request stalls behind the failed line")
        self.assertEqual(later.line_ids.mapped('state'), ['done'])
        todo = relations[0].activity_ids.filtered(lambda activity: activity.nmbrs_failure == 'annual_documents')
        self.assertEqual(len(todo), 1)
        self.assertNotIn(SECRET, todo.note)

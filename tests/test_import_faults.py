import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import tagged

from ..nmbrs.sandbox import demo_dataset, faults
from .common import NmbrsSandboxCase
from .document_import_case import (
    AN_HOUR_LATER, DATASET_NOW, MORNING, DocumentImportCase, freeze_time, owner, payslip_prefix)

PAYSLIP = 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2'


@tagged('post_install', '-at_install')
class TestImportFaults(DocumentImportCase):
    """Each fault the sandbox can inject, hitting one payslip download in the middle of the import."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No retries, so one injected fault is one failed download; short limits keep the tests fast
        # (the read timeout still long enough for a loaded machine's ordinary answers).
        set_param = cls.env['ir.config_parameter'].sudo().set_param
        set_param('nmbrs_connector.read_timeout', '2')
        set_param('nmbrs_connector.max_retries', '0')
        set_param('nmbrs_connector.max_response_bytes', str(256 * 1024))

    def assert_fault_survived(self, kind, **options):
        self.sandbox.faults.inject(kind, operation=PAYSLIP, after=7, times=1, **options)
        self.run_cron()

        faulted = [call for call in self.sandbox.calls if call.injected == kind]
        self.assertEqual(len(faulted), 1)
        wire = faulted[0].parameters
        nmbrs_company_id = int(wire['CompanyId'])
        dataset = self.sandbox.dataset
        prefix = payslip_prefix(owner(self.env, dataset.companies[nmbrs_company_id]),
                                dataset.runs[int(wire['RunID'])],
                                dataset.employees[int(wire['EmployeeID'])])
        lost = {key for key in self.expected_documents(nmbrs_company_id) if key.startswith(prefix)}
        self.assertTrue(lost)
        expected = 0
        for nmbrs_company in self.nmbrs_companies:
            wanted = set(self.expected_documents(nmbrs_company.id)) - lost
            self.assertEqual(sorted(self.imported_documents(nmbrs_company.id)), sorted(wanted))
            expected += len(wanted)
        self.assertEqual(self.env['nmbrs.document'].search_count([]), expected, "nothing twice")
        relation = self.relations.filtered(lambda partner: partner.nmbrs_company_id == nmbrs_company_id)
        failed = self.env['nmbrs.sync.log'].search([('state', '=', 'failed')])
        self.assertEqual((failed.partner_id, failed.document_type, failed.failed_count), (relation, 'payslip', 1))
        self.assertEqual(len(self.import_todos(relation)), 1)
        self.assertFalse(self.import_todos(self.relations - relation))

        self.sandbox.calls.clear()
        self.run_cron(at=AN_HOUR_LATER)

        self.assert_everything_imported_once()
        self.assertEqual(len(self.sandbox.calls.of(PAYSLIP)), len(lost), "only the lost payslip again")
        self.assertFalse(self.import_todos(self.relations))

    def test_soap_fault(self):
        self.assert_fault_survived(faults.SOAP_FAULT)

    def test_http_500(self):
        self.assert_fault_survived(faults.HTTP_500)

    def test_http_503(self):
        self.assert_fault_survived(faults.HTTP_503)

    def test_timeout(self):
        self.assert_fault_survived(faults.TIMEOUT, seconds=4)

    def test_dropped_connection(self):
        self.assert_fault_survived(faults.DROP)

    def test_truncated_xml(self):
        self.assert_fault_survived(faults.TRUNCATED)

    def test_malformed_xml(self):
        self.assert_fault_survived(faults.MALFORMED)

    def test_huge_response(self):
        self.assert_fault_survived(faults.HUGE, size=1024 * 1024)

    def test_entity_expansion_in_a_download(self):
        self.assert_fault_survived(faults.ENTITY_EXPANSION)

    def test_entity_expansion_is_refused_unexpanded_and_the_import_fails_cleanly(self):
        self.sandbox.faults.inject(faults.ENTITY_EXPANSION, operation='Run_GetList')
        with freeze_time(MORNING), self.enter_registry_test_mode(), self.registry.cursor() as cr:
            outcomes = self.company.with_env(self.env(cr=cr))._nmbrs_import_documents(self.relations)

        for outcome in outcomes:
            self.assertIn('DOCTYPE', outcome.error.detail, "refused before any entity was read")
        self.assertFalse(self.env['nmbrs.document'].search([]))
        for relation in self.relations:
            self.assertEqual(len(self.import_todos(relation)), 1)
            self.assertEqual(self.env['nmbrs.sync.log'].search_count(
                [('partner_id', '=', relation.id), ('state', '=', 'failed')]), 1)

        self.sandbox.faults.clear()
        self.run_cron(at=AN_HOUR_LATER)
        self.assert_everything_imported_once()
        self.assertFalse(self.import_todos(self.relations))


@tagged('post_install', '-at_install')
class TestTwoCronWorkers(NmbrsSandboxCase):
    """Two cron workers, each with its own database session, import the same office at the same time.

    Test cursors share the test's one session (so its advisory locks too) and
    run one at a time, unlike real workers. This test therefore commits, in
    cursors of its own, and removes what it committed afterwards.
    """

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset(now=DATASET_NOW)

    @classmethod
    def connect_company(cls, company, sandbox):
        """Left to the committed set-up: the test's transaction must not lock the company's row."""

    def committed_office(self):
        """Connect the company and link a relation per Nmbrs company, committed; undone at cleanup."""
        fields = ['nmbrs_username', 'nmbrs_token', 'nmbrs_tenant_key', 'nmbrs_environment', 'nmbrs_api_url',
                  'nmbrs_state', 'nmbrs_window_start', 'nmbrs_window_end', 'nmbrs_responsible_user_id']
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            saved = company._convert_to_write(company.read(fields)[0])
            self.addCleanup(self.remove_committed, company.id, saved)
            NmbrsSandboxCase.connect_company(company, self.sandbox)
            company.write({'nmbrs_window_start': 0.0, 'nmbrs_window_end': 24.0,
                           'nmbrs_responsible_user_id': env.ref('base.user_admin').id})
            relations = env['res.partner'].create([
                {'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id,
                 'nmbrs_company_number': nmbrs_company.number}
                for nmbrs_company in self.sandbox.dataset.companies.values()])
            self.relation_ids = relations.ids
            self.wage_tax_status_ids = env['nmbrs.wage.tax.status'].search([]).ids
        return self.sandbox.dataset.companies.values()

    def remove_committed(self, company_id, saved):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {'active_test': False})
            relations = env['res.partner'].browse(self.relation_ids)
            documents = env['nmbrs.document'].search([('partner_id', 'in', relations.ids)])
            env['ir.attachment'].search([('res_model', '=', 'nmbrs.document'), ('res_id', 'in', documents.ids)]).unlink()
            documents.unlink()
            env['nmbrs.wage.tax.status'].search([('id', 'not in', self.wage_tax_status_ids)]).unlink()
            (env['res.partner'].search([('parent_id', 'in', relations.ids)]) | relations).unlink()
            env['res.company'].browse(company_id).write(saved)

    def test_two_workers_split_the_relations_and_import_every_document_once(self):
        nmbrs_companies = self.committed_office()
        self.sandbox.faults.set_latency(0.02)  # so that the two workers overlap
        Company = type(self.env['res.company'])
        import_relation = Company._nmbrs_import_relation
        imported_by, failures = {}, []

        def recording_import_relation(company, partner, *args):
            outcome = import_relation(company, partner, *args)
            if outcome:
                imported_by.setdefault(partner.id, []).append(threading.current_thread().name)
                failures.extend(filter(None, [outcome.error, *outcome.errors.values()]))
            return outcome

        start, errors = threading.Barrier(2), []

        def worker():
            try:
                start.wait()
                with self.registry.cursor() as cr:
                    api.Environment(cr, SUPERUSER_ID, {})['res.company']._cron_nmbrs_import_documents()
            except Exception as error:  # noqa: BLE001 - reported by the test's own thread
                errors.append(error)

        workers = [threading.Thread(target=worker, name='cron-worker-%d' % number) for number in (1, 2)]
        # Odoo's test runner holds the registry lock while the tests run, which every new
        # environment takes; real cron workers do not wait for it (HttpCase lifts it the same way).
        with patch.object(Company, '_nmbrs_import_relation', recording_import_relation), \
                patch.object(Registry, '_lock', DummyRLock()):
            for thread in workers:
                thread.start()
            for thread in workers:
                thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(failures, [])

        self.assertEqual(sorted(imported_by), sorted(self.relation_ids), "every relation imported")
        self.assertTrue(all(len(names) == 1 for names in imported_by.values()), imported_by)
        self.assertEqual({names[0] for names in imported_by.values()}, {'cron-worker-1', 'cron-worker-2'},
                         "each worker imported some relations")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for nmbrs_company in nmbrs_companies:
                documents = env['nmbrs.document'].search([('nmbrs_company_id', '=', nmbrs_company.id)])
                imported = sorted(documents.mapped('nmbrs_key'))
                self.assertEqual(imported, sorted(DocumentImportCase.expected_documents(self, nmbrs_company.id, env)))
                self.assertEqual(len(documents.attachment_id), len(documents))

import datetime

from freezegun.api import freeze_time as freezegun_freeze_time

from ..models import document_keys
from ..nmbrs.records import RunEmployee
from ..nmbrs.sandbox import demo_dataset
from ..nmbrs.sandbox import documents as sandbox_documents
from .common import NmbrsSandboxCase

# The sandbox's office as it stands on 15 March 2026: monthly runs from January
# 2025, all locked except March 2026's. Imports run the next morning at 10:00
# Amsterdam time, inside the default import hours.
DATASET_NOW = datetime.datetime(2026, 3, 15, 12, 0)
MORNING = '2026-03-16 09:00:00'
AN_HOUR_LATER = '2026-03-16 10:00:00'
TWO_HOURS_LATER = '2026-03-16 11:00:00'
# The sandbox stands for Nmbrs's servers, which keep their own clock: the
# freeze leaves the Nmbrs package alone.
NMBRS_PACKAGE = __name__.rsplit('.', 2)[0] + '.nmbrs'
DOWNLOADS = ('Run_GetEmployeesByRunCompany', 'SalaryDocuments_GetEmployeePayslipsPDFByRunCompany_v2',
             'SalaryDocuments_GetSEPA', 'Journals_GetByRunCompany_v2', 'WageTax_GetXML')


def owner(env, nmbrs_company):
    """Whose documents, in keys: the relation linked to a sandbox company, and the company's number."""
    relation = env['res.partner'].search([('nmbrs_company_id', '=', nmbrs_company.id)], limit=1)
    return document_keys.owner(relation.id, nmbrs_company.number)


def payslip_key(owner, run, employee, copy=1):
    """The key of a sandbox employee's payslip of a sandbox run."""
    return document_keys.run_key('payslip', owner, run, RunEmployee(employee.id, employee.number), copy)


def payslip_prefix(owner, run, employee):
    return payslip_key(owner, run, employee).rsplit('/', 1)[0] + '/'


def run_document_key(document_type, owner, run):
    return document_keys.run_key(document_type, owner, run)


def declaration_key(owner, declaration):
    return document_keys.declaration_key(owner, declaration)


def freeze_time(moment):
    """Odoo's clock at ``moment`` (UTC); the Nmbrs client and sandbox keep theirs."""
    return freezegun_freeze_time(moment, ignore=[NMBRS_PACKAGE])


class DocumentImportCase(NmbrsSandboxCase):
    """Two relations linked to two Nmbrs companies of the sandbox, and helpers to import and compare."""

    @classmethod
    def _nmbrs_dataset(cls):
        return demo_dataset(now=DATASET_NOW)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nmbrs_companies = list(cls.sandbox.dataset.companies.values())[:2]
        cls.relations = cls.env['res.partner'].create([
            {'name': nmbrs_company.name, 'is_company': True} for nmbrs_company in cls.nmbrs_companies])
        for relation, nmbrs_company in zip(cls.relations, cls.nmbrs_companies):
            relation.write({'nmbrs_company_id': nmbrs_company.id, 'nmbrs_company_number': nmbrs_company.number})
        cls.company.nmbrs_responsible_user_id = cls.env.ref('base.user_admin')

    # ------------------------------------------------------------ running the import

    def run_cron(self, at=MORNING):
        """Run the cron as an Odoo worker would, in its own (test) cursor, at ``at`` (UTC)."""
        cron = self.env.ref('nmbrs_connector.ir_cron_nmbrs_import_documents')
        with freeze_time(at), self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the cron job failed")

    def sync_now(self, partners, user=None, at=MORNING):
        """Press "Sync now" on ``partners`` and return the notification."""
        with freeze_time(at), self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = self.env(cr=cr, user=user or self.env.user)
            return partners.with_env(env).action_nmbrs_sync_now()

    # ------------------------------------------------------------ what should arrive

    def expected_documents(self, nmbrs_company_id, env=None):
        """{nmbrs key: file bytes} the import should bring for a Nmbrs company, rendered by the sandbox;
        ``env`` sees its relation (default: the test's)."""
        dataset = self.sandbox.dataset
        expected = {}
        with dataset.lock:
            keys_of = owner(env or self.env, dataset.companies[nmbrs_company_id])
            runs = [run for run in dataset.company_runs(nmbrs_company_id) if run.year >= 2025]
            for run in runs:
                if not run.is_locked:
                    continue
                for employee_id in run.pay:
                    employee = dataset.employees[employee_id]
                    for number, pdf in enumerate(sandbox_documents.employee_payslips(dataset, run, employee), start=1):
                        expected[payslip_key(keys_of, run, employee, number)] = pdf
                paid_on = datetime.datetime.combine(run.run_at.date(), datetime.time())
                expected[run_document_key('sepa', keys_of, run)] = \
                    sandbox_documents.sepa_xml(dataset, run, paid_on).strip().encode()
                expected[run_document_key('journal', keys_of, run)] = \
                    sandbox_documents.journal_xml(dataset, run).strip().encode()
            for declaration in dataset.company_declarations(nmbrs_company_id):
                period_runs = [run for run in runs if run.year == declaration.year
                               and run.period_start <= declaration.period <= run.period_end]
                if period_runs and all(run.is_locked for run in period_runs):
                    expected[declaration_key(keys_of, declaration)] = \
                        sandbox_documents.wage_tax_xml(dataset, declaration).strip().encode()
        return expected

    def imported_documents(self, nmbrs_company_id):
        documents = self.env['nmbrs.document'].search([('nmbrs_company_id', '=', nmbrs_company_id)])
        return {document.nmbrs_key: document.attachment_id.raw for document in documents}

    def assert_everything_imported_once(self):
        for nmbrs_company in self.nmbrs_companies:
            expected = self.expected_documents(nmbrs_company.id)
            imported = self.imported_documents(nmbrs_company.id)
            self.assertEqual(sorted(imported), sorted(expected), "documents of %s" % nmbrs_company.name)
            for key, content in expected.items():
                self.assertEqual(imported[key], content, "content of %s" % key)
        documents = self.env['nmbrs.document'].search([])
        attachments = self.env['ir.attachment'].search([('res_model', '=', 'nmbrs.document')])
        self.assertEqual(len(attachments), len(documents), "one file per document")
        self.assertEqual(sorted(attachments.mapped('res_id')), sorted(documents.ids))

    def downloads(self):
        return [call for call in self.sandbox.calls if call.operation in DOWNLOADS]

    def run_of(self, nmbrs_company, year, period):
        return next(run for run in self.sandbox.dataset.company_runs(nmbrs_company.id, year)
                    if run.period_end == period)

    def import_todos(self, partner):
        return partner.activity_ids.filtered(lambda activity: activity.summary == "Nmbrs document import failed")

from odoo.tests import tagged

from ..nmbrs.sandbox import demo_dataset
from .common import NmbrsTourCase
from .document_import_case import DATASET_NOW, MORNING, freeze_time


@tagged('post_install', '-at_install')
class TestDocumentTours(NmbrsTourCase):
    """A relation's payroll documents and their pivot in a browser, after a real import from the sandbox."""

    # A common office screen: wide enough for the chatter beside the form, which narrows the form's lists.
    browser_size = '1400x900'

    @classmethod
    def _nmbrs_dataset(cls):
        # Runs from January 2025 to March 2026: 2026 has two declarations, whatever today's date.
        return demo_dataset(now=DATASET_NOW)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        cls.company.write({'nmbrs_window_start': 0.0, 'nmbrs_window_end': 24.0})
        nmbrs_company = list(cls.sandbox.dataset.companies.values())[0]
        cls.relation = cls.env['res.partner'].create({
            'name': nmbrs_company.name, 'is_company': True, 'nmbrs_company_id': nmbrs_company.id})

    def import_documents(self):
        # An HttpCase's registry is in test mode already: the import's cursors are the test's.
        with freeze_time(MORNING), self.registry.cursor() as cr:
            [outcome] = self.company.with_env(self.env(cr=cr))._nmbrs_import_documents(self.relation)
        self.assertFalse(outcome.error)
        declarations = self.env['nmbrs.document'].search(
            [('partner_id', '=', self.relation.id), ('document_type', '=', 'wage_tax')])
        self.assertEqual(declarations[:2].mapped('period_label'), ['2026-02', '2026-01'])
        # Nmbrs's statuses are free text: one it is known to return, and one never seen before.
        declarations[0].nmbrs_status = 'SentExternal'
        declarations[1].nmbrs_status = 'Approved'

    def test_documents_of_a_relation_newest_first_filtered_grouped_opened_and_downloaded(self):
        self.import_documents()
        self.assertGreater(self.relation.nmbrs_company_id, 999, "an id that would get a thousands separator")
        for lang in self.for_each_language():
            self.start_nmbrs_tour('/odoo/contacts/%d' % self.relation.id, 'nmbrs_connector_documents_tour', lang)

    def test_pivot_counts_each_type_per_relation(self):
        self.import_documents()
        for lang in self.for_each_language():
            self.start_nmbrs_tour('/odoo/action-nmbrs_connector.action_nmbrs_document?view_type=pivot',
                                  'nmbrs_connector_documents_pivot_tour', lang)

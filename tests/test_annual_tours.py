from odoo.tests import tagged

from .common import NmbrsTourCase


@tagged('post_install', '-at_install')
class TestAnnualDocumentTours(NmbrsTourCase):
    """Annual documents in a browser: where they are offered, and the requests from the menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_company(cls.company, cls.sandbox)
        # One kind of document: one relation then gets exactly one document, counted in the singular.
        kinds = cls.env['nmbrs.annual.document.kind'].search([])
        kinds.default_selected = False
        kinds.filtered(lambda kind: kind.code == 'PayrollRegister').default_selected = True

    def test_annual_documents_from_the_menu_and_only_on_company_relations(self):
        Partner = self.env['res.partner']
        nmbrs_companies = list(self.sandbox.dataset.companies.values())
        for index, lang in enumerate(self.for_each_language()):
            Partner.search([('nmbrs_company_id', '!=', False)]).nmbrs_company_id = False
            self.env['nmbrs.annual.request'].search([]).unlink()
            nmbrs_company = nmbrs_companies[index]
            relation = Partner.create({'name': nmbrs_company.name, 'is_company': True,
                                       'nmbrs_company_id': nmbrs_company.id})
            nmbrs_employee = self.sandbox.dataset.company_employees(nmbrs_company.id)[0]
            employee = Partner.create({'name': 'Jan de Vries', 'parent_id': relation.id,
                                       'nmbrs_employee_id': nmbrs_employee.id})

            self.start_nmbrs_tour('/odoo/contacts/%d' % employee.id, 'nmbrs_connector_annual_employee_tour', lang)
            self.start_nmbrs_tour('/odoo/contacts/%d' % relation.id, 'nmbrs_connector_annual_documents_tour', lang)
            request = self.env['nmbrs.annual.request'].search([])
            self.assertEqual(request.line_ids.partner_id, relation)
            self.assertEqual(request.line_ids.fetched_count, 1)

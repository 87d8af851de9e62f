{
    'name': 'Nmbrs Connector',
    'version': '19.0.1.2.0',
    'summary': 'Import payslips, wage tax declarations, SEPA files and journals from Nmbrs payroll',
    'description': """
Connects each Odoo company to Nmbrs (Dutch payroll software): links relations
to Nmbrs debtors, companies and employees, keeps relation data in step, and
imports payroll documents (loonaangiftes, loonstroken, SEPA salary payment
files, payroll journals and annual documents) onto the right relation.
""",
    'author': 'nmbrs_connector developers',
    'license': 'LGPL-3',
    'category': 'Human Resources/Payroll',
    'depends': ['contacts', 'mail'],
    'external_dependencies': {'python': ['requests', 'lxml', 'authlib']},
    'data': [
        'security/nmbrs_security.xml',
        'security/ir.model.access.csv',
        'security/nmbrs_rules.xml',
        'security/nmbrs_sync_request_rules.xml',
        'data/ir_cron_relation_sync.xml',
        'data/ir_cron_nmbrs_push.xml',
        'wizards/nmbrs_link_wizard_views.xml',
        'views/res_partner_views.xml',
        'views/nmbrs_menus.xml',
        'security/nmbrs_annual_request_rules.xml',
        'data/nmbrs_annual_document_kind_data.xml',
        'data/ir_cron_annual_documents.xml',
        'wizards/nmbrs_annual_documents_wizard_views.xml',
        'views/nmbrs_annual_request_views.xml',
        'data/ir_cron_document_import.xml',
        'views/nmbrs_document_views.xml',
        'views/nmbrs_sync_log_views.xml',
        'views/res_partner_document_views.xml',
        'views/nmbrs_consent_views.xml',
        'views/nmbrs_pairing_views.xml',
        'data/ir_cron_consent_refresh.xml',
        'views/res_config_settings_views.xml',
        'data/ir_cron_work_costs.xml',
        'views/nmbrs_work_cost_views.xml',
    ],
    'assets': {
        'web.assets_tests': ['nmbrs_connector/static/tests/tours/*.js'],
    },
    'installable': True,
    'application': False,
}

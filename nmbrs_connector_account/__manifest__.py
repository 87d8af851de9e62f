{
    'name': 'Nmbrs Connector: Accounting',
    'version': '19.0.1.0.0',
    'summary': 'Book the payroll journals imported from Nmbrs as draft journal entries',
    'description': """
Books each locked Nmbrs payroll run of the company's own payroll as one draft
journal entry: the Nmbrs ledger codes mapped to Odoo accounts, cost centers and
cost units to analytic accounts. Installed by itself when both Nmbrs Connector
and Accounting are installed.
""",
    'author': 'nmbrs_connector developers',
    'license': 'LGPL-3',
    'category': 'Accounting/Accounting',
    'depends': ['nmbrs_connector', 'account'],
    'data': [
        'security/ir.model.access.csv',
        'security/nmbrs_account_rules.xml',
        'data/ir_cron_journal_booking.xml',
        'views/nmbrs_ledger_mapping_views.xml',
        'views/nmbrs_run_views.xml',
        'views/res_config_settings_views.xml',
    ],
    'assets': {
        'web.assets_tests': ['nmbrs_connector_account/static/tests/tours/*.js'],
    },
    'installable': True,
    'auto_install': True,
}

# Run inside `odoo shell` by scripts/demo.sh after demo_prepare.py: books the
# demo company's own payroll in Odoo Accounting (the bridge addon
# nmbrs_connector_account, installed beside Accounting with the Dutch chart of
# accounts), as an employer running its payroll in Nmbrs would set it up.
import datetime

admin = env.ref('base.user_admin')  # noqa: F821 (odoo shell provides env)
env = env(user=admin)  # noqa: F821
company = env.company

if not env['ir.module.module'].search_count([('name', '=', 'nmbrs_connector_account'), ('state', '=', 'installed')]):
    raise SystemExit('The bridge addon nmbrs_connector_account is not installed beside Accounting.')
if company.chart_template != 'nl':
    # Odoo picks the chart from the company's country, which the new database does not have yet.
    company.country_id = env.ref('base.nl')
    env['account.chart.template'].try_loading('nl', company, install_demo=False)
    env.cr.commit()

# The demo office's own payroll runs in Nmbrs as one of the sandbox's companies. Its relation,
# brought in by the relation sync, is the office itself: merged into the company's own contact,
# the link, runs, payroll documents and employees become the company's.
own = env['res.partner'].search([('is_company', '=', True), ('nmbrs_company_id', '!=', False),
                                 ('id', '!=', company.partner_id.id)], order='id', limit=1)
if not own:
    raise SystemExit('No Nmbrs company to run the payroll of %s.' % company.name)
nmbrs_company_name = own.name
env['base.partner.merge.automatic.wizard']._merge((own | company.partner_id).ids, company.partner_id)
env.cr.commit()
env.invalidate_all()
print('%s runs its own payroll in Nmbrs as %s' % (company.name, nmbrs_company_name))

runs = env['nmbrs.run'].search([('company_id', '=', company.id),
                                ('nmbrs_company_id', '=', company.partner_id.nmbrs_company_id)], order='year, period')
if not runs:
    raise SystemExit('No payroll run of %s was imported.' % nmbrs_company_name)
this_year = datetime.date(runs[-1].year, 1, 1)


def account(code):
    Account = env['account.account'].with_company(company)
    return Account.search([*Account._check_company_domain(company), ('code', '=', code)], limit=1)


# The sandbox's ledger codes have no account of the same code in the Dutch chart (six digits):
# mapped by meaning, code by code, as the accountant does. Pension premiums (1620) are left to map.
accounts = {'4000': account('400100'), '1600': account('163000'), '1610': account('162500')}
suspense = account('104000')  # Vraagposten
if not all(accounts.values()) or not suspense:
    raise SystemExit('The Dutch chart of accounts lacks the payroll accounts the demo maps to.')
journal = env['account.journal'].search([*env['account.journal']._check_company_domain(company),
                                         ('type', '=', 'general')], limit=1)
Mapping = env['nmbrs.ledger.mapping']
mappings = Mapping._nmbrs_mappings(company, {'ledger': {code: '' for code in ('4000', '1600', '1610', '1620')}})
for code, mapping in mappings.items():
    mapping.account_id = accounts.get(code[1], False)
# This year's runs book at once, the pension lines on a suspense account; the runs of the year
# before wait until the pension code has an account, with a To-Do for the accountant.
company.write({'nmbrs_book_journals': True, 'nmbrs_journal_id': journal.id, 'nmbrs_book_from': this_year,
               'nmbrs_unmapped_policy': 'suspense', 'nmbrs_suspense_account_id': suspense.id,
               'nmbrs_responsible_user_id': admin.id})
env.cr.commit()
booking = env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals')
booking.method_direct_trigger()
company.write({'nmbrs_book_from': runs[0]._nmbrs_entry_date(), 'nmbrs_unmapped_policy': 'block'})
env.cr.commit()
booking.method_direct_trigger()
# Journal entries show to accountants only ("Show Full Accounting Features" in Odoo Community).
admin.write({'group_ids': [(4, env.ref('account.group_account_user').id)]})
env.cr.commit()
env.invalidate_all()

entries = env['account.move'].search([('nmbrs_run_id', 'in', runs.ids)])
waiting = runs.filtered(lambda run: run.nmbrs_booking_state == 'blocked')
unmapped = Mapping.search([('company_id', '=', company.id), ('kind', '=', 'ledger'), ('is_mapped', '=', False)])
print('Payroll booked: %d draft entries in %s from %s (ledger code %s on the suspense account)' % (
    len(entries.filtered(lambda move: move.state == 'draft')), journal.name, this_year.isoformat(),
    ', '.join(unmapped.mapped('nmbrs_code'))))
print('%d ledger code unmapped: %d runs before %s wait for it; see the To-Do' % (
    len(unmapped), len(waiting), this_year.isoformat()))

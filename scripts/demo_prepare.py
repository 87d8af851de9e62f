# Run inside `odoo shell` by scripts/demo.sh: connects the demo company to Nmbrs
# (the local sandbox unless NMBRS_URL says otherwise), brings in its relations
# and imports their payroll documents, as an accountant would from the screens.
import os

admin = env.ref('base.user_admin')  # noqa: F821 (odoo shell provides env)
env = env(user=admin)  # noqa: F821
company = env.company
company.write({
    'name': 'Kantoor Voorbeeld',
    'nmbrs_username': os.environ['NMBRS_USERNAME'],
    'nmbrs_token': os.environ['NMBRS_TOKEN'],
    'nmbrs_tenant_key': os.environ['NMBRS_TENANT_KEY'],
    'nmbrs_tenant_name': 'Kantoor Voorbeeld',
    'nmbrs_environment': 'custom',
    'nmbrs_api_url': os.environ['NMBRS_URL'],
    # The demo imports at any hour; a real office keeps the default 07:00-20:00.
    'nmbrs_window_start': 0.0,
    'nmbrs_window_end': 24.0,
})
ok, message = company._nmbrs_connect()
print(message)
if not ok:
    raise SystemExit(1)
env.cr.commit()

company._nmbrs_sync_relations()
env.cr.commit()
relations = company._nmbrs_linked_relations()
print('Relations linked to Nmbrs: %d' % len(relations))

company._nmbrs_import_documents(relations)
env.cr.commit()

wizard = env['nmbrs.annual.documents.wizard'].with_context(
    active_model='res.partner', active_ids=relations.ids).create({})
wizard.action_fetch()
env.cr.commit()

counts = env['nmbrs.document']._read_group([], ['document_type'], ['__count'])
print('Payroll documents imported: %s' % ', '.join('%d %s' % (count, kind) for kind, count in counts))

# Run inside `odoo shell` by scripts/demo.sh: connects the demo company to Nmbrs
# (the local sandbox unless NMBRS_URL says otherwise) and brings in its data.
import os

company = env.company  # noqa: F821 (odoo shell provides env)
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
with company._nmbrs_client() as client:
    environment = client.environment_get()
company.write({'nmbrs_state': 'connected', 'nmbrs_connected_uid': env.ref('base.user_admin').id})  # noqa: F821
print('Connected to Nmbrs environment %s' % environment.subdomain)
env.cr.commit()  # noqa: F821

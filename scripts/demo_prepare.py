# Run inside `odoo shell` by scripts/demo.sh: connects the demo company to Nmbrs
# (the local sandbox unless NMBRS_URL says otherwise), brings in its relations,
# enters the REST app and gives the consents of all debtors but one (that one
# stays on SOAP: the hybrid), and imports their payroll documents, as an
# accountant would from the screens.
import os
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

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


def approve_on_consent_page(act_url, debtor_id):
    """What a person does on Nmbrs's consent page (the sandbox's): tick the debtor, approve; the callback URL."""
    page = requests.get(act_url, timeout=30)
    page.raise_for_status()
    form_action, request_id = (re.search(pattern, page.text).group(1) for pattern in (
        r'<form method="post" action="([^"]+)"', r'name="request" value="([^"]+)"'))
    answer = requests.post(urljoin(page.url, form_action), timeout=30, allow_redirects=False,
                           data={'request': request_id, 'debtor': str(debtor_id), 'decision': 'approve'})
    if answer.status_code not in (302, 303):
        raise SystemExit('The consent page did not send the browser back to Odoo (HTTP %s).' % answer.status_code)
    return answer.headers['Location']


if os.environ.get('NMBRS_REST_CLIENT_ID'):
    env['ir.config_parameter'].set_param('web.base.url', os.environ['ODOO_BASE_URL'])
    custom = bool(os.environ.get('NMBRS_REST_API_URL'))
    company.write({
        'nmbrs_rest_client_id': os.environ['NMBRS_REST_CLIENT_ID'],
        'nmbrs_rest_client_secret': os.environ['NMBRS_REST_CLIENT_SECRET'],
        'nmbrs_rest_subscription_key': os.environ['NMBRS_REST_SUBSCRIPTION_KEY'],
        'nmbrs_rest_environment': 'custom' if custom else 'production',
        'nmbrs_rest_identity_url': os.environ.get('NMBRS_REST_IDENTITY_URL') or False,
        'nmbrs_rest_api_url': os.environ.get('NMBRS_REST_API_URL') or False,
    })
    env.cr.commit()
    print('Nmbrs REST app entered; callback URL: %s' % company._nmbrs_rest_callback_url())
    if os.environ.get('DEMO_APPROVE_CONSENTS'):
        # One click per debtor from the debtors without a consent, as in Settings; the last stays on SOAP.
        waiting = env['nmbrs.debtor.without.consent'].search([('company_id', '=', company.id)])
        for row in waiting[:-1]:
            debtor_id = env['nmbrs.link'].search([('company_id', '=', company.id),
                                                  ('nmbrs_debtor_number', '=', row.debtor_number)],
                                                 limit=1).nmbrs_debtor_id
            callback_url = approve_on_consent_page(row.action_nmbrs_authorize()['url'], debtor_id)
            env.cr.commit()
            # What the callback controller does with the URL Nmbrs sent the browser to.
            state = parse_qs(urlsplit(callback_url).query).get('state', [''])[0]
            consent = env['nmbrs.consent']._nmbrs_of_oauth_state(state)
            if not consent:
                raise SystemExit('Nmbrs answered for a consent Odoo did not ask: %s' % callback_url)
            ok, message = consent._nmbrs_complete_authorization(callback_url)
            print(message)
            if not ok:
                raise SystemExit(1)
            env.cr.commit()
    on_rest, debtors = company._nmbrs_debtors_on_rest()
    print('Debtors on Nmbrs REST: %d of %d (the others stay on SOAP until they have a consent)' % (on_rest, debtors))

company._nmbrs_import_documents(relations)
env.cr.commit()
over = {protocol: len(relations.filtered(lambda relation: relation.nmbrs_protocol == protocol))
        for protocol in ('rest', 'soap')}
print('Imported over Nmbrs REST: %(rest)d relations; over SOAP: %(soap)d relations' % over)

wizard = env['nmbrs.annual.documents.wizard'].with_context(
    active_model='res.partner', active_ids=relations.ids).create({})
wizard.action_fetch()
env.cr.commit()

counts = env['nmbrs.document']._read_group([], ['document_type'], ['__count'])
print('Payroll documents imported: %s' % ', '.join('%d %s' % (count, kind) for kind, count in counts))

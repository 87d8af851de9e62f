import re

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..nmbrs import api_facts
from ..nmbrs.client import NmbrsClient
from .nmbrs_rate_limit import SharedRateLimiter
from .res_company_errors import NmbrsAddressMissing

DEFAULT_TIMEZONE = 'Europe/Amsterdam'
TENANT_KEY_PATTERN = re.compile(r'^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')
NMBRS_HOST_SUFFIXES = ('.nmbrs.nl', '.nmbrs-sandbox.nl', '.nmbrs.com')
# Client options a system parameter nmbrs_connector.<option> may set for every Nmbrs call,
# e.g. short timeouts for the tests or a longer read timeout for a slow network.
CLIENT_PARAMETERS = {'read_timeout': float, 'max_retries': int, 'max_response_bytes': int}


def normalize_tenant_key(value):
    """Turn a pasted URL or host (https://kantoor.nmbrs.nl/...) into the subdomain (kantoor)."""
    key = (value or '').strip().lower()
    key = re.sub(r'^[a-z]+://', '', key).split('/')[0].split(':')[0]
    for suffix in NMBRS_HOST_SUFFIXES:
        if key.endswith(suffix):
            return key[:-len(suffix)]
    return key


class ResCompany(models.Model):
    _inherit = 'res.company'

    # Connection
    nmbrs_username = fields.Char('Nmbrs login e-mail', help="The e-mail address you log in to Nmbrs with.")
    nmbrs_token = fields.Char(
        'Nmbrs API token', groups='base.group_system', copy=False,
        help="In Nmbrs: your user profile, tab 'API token', 'Activate API account'.")
    nmbrs_tenant_key = fields.Char(
        'Nmbrs tenant key',
        help="Optional: the part of your Nmbrs address before .nmbrs.nl: from kantoor.nmbrs.nl it is 'kantoor'. "
             "Without it, Nmbrs finds the environment from the login.")
    nmbrs_tenant_name = fields.Char(
        'Nmbrs tenant name',
        help="Optional: your own name for this Nmbrs environment, e.g. your office, named by the connection test.")
    nmbrs_environment = fields.Selection(
        [('production', 'Nmbrs'), ('sandbox', 'Nmbrs sandbox'), ('custom', 'Other address')],
        string='Nmbrs environment', default='production', required=True)
    nmbrs_api_url = fields.Char(
        'Nmbrs API address', help="Only for 'Other address', e.g. a local test server: http://127.0.0.1:8899/soap/v3/")
    nmbrs_state = fields.Selection(
        [('disconnected', 'Not connected'), ('connected', 'Connected')],
        string='Nmbrs connection', default='disconnected', required=True, copy=False)
    nmbrs_connected_date = fields.Datetime('Connected since', copy=False, readonly=True)
    nmbrs_connected_uid = fields.Many2one('res.users', 'Connected by', copy=False, readonly=True)
    # Beside the connection state: a company stays connected while its tests fail.
    nmbrs_last_test_result = fields.Selection(
        [('ok', 'Last test: works'), ('failed', 'Last test: failed')],
        string='Last connection test', copy=False, readonly=True)
    nmbrs_last_test_date = fields.Datetime('Last connection test on', copy=False, readonly=True)

    # Relation sync
    nmbrs_sync_direction = fields.Selection(
        [('incoming', 'Incoming: Nmbrs leads'), ('outgoing', 'Outgoing: Odoo leads')],
        string='Sync direction', default='incoming', required=True)
    nmbrs_direct_sync = fields.Boolean(
        'Direct sync', help="Send every change of a linked relation to Nmbrs as soon as it is saved.")
    nmbrs_numbers_must_match = fields.Boolean(
        'Numbers must match', help="Only link a relation to the Nmbrs company or debtor with the same number.")

    # Document import
    nmbrs_import_wage_tax = fields.Boolean('Import wage tax declarations', default=True)
    nmbrs_import_payslips = fields.Boolean('Import payslips', default=True)
    nmbrs_import_sepa = fields.Boolean('Import SEPA salary payment files', default=True)
    nmbrs_import_journals = fields.Boolean('Import payroll journals', default=True)
    nmbrs_wage_tax_rule = fields.Selection(
        [('locked', 'When every run of the period is locked'), ('status', 'When the status is one of')],
        string='Import declarations', default='locked', required=True)
    nmbrs_wage_tax_status_ids = fields.Many2many(
        'nmbrs.wage.tax.status', string='Accepted declaration statuses',
        domain="[('company_id', '=', id)]")
    nmbrs_window_start = fields.Float('Import from', default=7.0, help="Hour of the day, in the company's timezone.")
    nmbrs_window_end = fields.Float('Import until', default=20.0, help="Hour of the day, in the company's timezone.")
    nmbrs_first_day = fields.Integer(
        'First day of the month', help="Import from this day of the month on (1-31); 0: no limit.")
    nmbrs_last_day = fields.Integer(
        'Last day of the month', help="Import until this day of the month (1-31); 0: no limit.")
    nmbrs_responsible_user_id = fields.Many2one(
        'res.users', 'Responsible for Nmbrs errors', domain="[('share', '=', False)]",
        help="Gets a To-Do when an import or sync fails. Defaults to the user who connected.")

    @api.constrains('nmbrs_tenant_key')
    def _check_nmbrs_tenant_key(self):
        for company in self.filtered('nmbrs_tenant_key'):
            if not TENANT_KEY_PATTERN.match(company.nmbrs_tenant_key):
                raise ValidationError(self.env._(
                    "The Nmbrs tenant key '%(key)s' is not valid. It is the part of your Nmbrs address "
                    "before .nmbrs.nl: from kantoor.nmbrs.nl it is 'kantoor'.", key=company.nmbrs_tenant_key))

    @api.constrains('nmbrs_window_start', 'nmbrs_window_end', 'nmbrs_first_day', 'nmbrs_last_day')
    def _check_nmbrs_import_window(self):
        for company in self:
            if not 0 <= company.nmbrs_window_start < company.nmbrs_window_end <= 24:
                raise ValidationError(self.env._(
                    "The Nmbrs import hours must lie between 0:00 and 24:00, the start before the end."))
            if not (0 <= company.nmbrs_first_day <= 31 and 0 <= company.nmbrs_last_day <= 31):
                raise ValidationError(self.env._(
                    "The first and last import day must be a day of the month (1 to 31), or 0 for no limit."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._nmbrs_normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._nmbrs_normalize_vals(vals)
        return super().write(vals)

    @api.model
    def _nmbrs_normalize_vals(self, vals):
        if 'nmbrs_tenant_key' in vals:
            vals['nmbrs_tenant_key'] = normalize_tenant_key(vals['nmbrs_tenant_key']) or False
        for field in ('nmbrs_username', 'nmbrs_token', 'nmbrs_api_url', 'nmbrs_tenant_name'):
            if isinstance(vals.get(field), str):
                vals[field] = vals[field].strip() or False

    def _nmbrs_client(self, **options):
        """A client for this company's Nmbrs connection; close it (or use ``with``) when done.

        Every Nmbrs call goes through here: the client options that system
        parameters set (CLIENT_PARAMETERS) apply to all of them unless ``options``
        says otherwise, and all clients of one Nmbrs environment share one rate
        limit across the workers and servers of the database.
        """
        self.ensure_one()
        company = self.sudo()
        custom = company.nmbrs_environment == 'custom'
        if custom and not company.nmbrs_api_url:
            # Never fall back to production: 'Other address' is chosen on purpose, e.g. for a test server.
            raise NmbrsAddressMissing('No address is filled in for the Nmbrs server.')
        options = self._nmbrs_client_options(**options)
        # Nmbrs counts calls per environment: its address and tenant (or, without a tenant key, the login).
        environment = '%s %s' % (company.nmbrs_api_url if custom else company.nmbrs_environment,
                                 company.nmbrs_tenant_key or company.nmbrs_username or '')
        return NmbrsClient(
            company.nmbrs_username or '', company.nmbrs_token or '', company.nmbrs_tenant_key or '',
            environment=company.nmbrs_environment if not custom else 'production',
            base_url=company.nmbrs_api_url if custom else None,
            rate_limiter=SharedRateLimiter(self.env.cr.dbname, environment, api_facts.MAX_CALLS_PER_SECOND),
            **options)

    def _nmbrs_client_options(self, **options):
        """The client options system parameters set (CLIENT_PARAMETERS), overridden by ``options``."""
        get_param = self.env['ir.config_parameter'].sudo().get_param
        parameters = {option: get_param('nmbrs_connector.%s' % option) for option in CLIENT_PARAMETERS}
        return {**{option: CLIENT_PARAMETERS[option](value) for option, value in parameters.items() if value},
                **options}

    def _nmbrs_stored_lang(self):
        """The language of what is stored for this company (chatter notes, sync errors): its partner's."""
        self.ensure_one()
        return self.partner_id.lang or 'en_US'

    def _nmbrs_in_stored_lang(self):
        """This company in the language of the texts the sync stores, whoever triggered the work."""
        return self.with_context(lang=self._nmbrs_stored_lang())

    def _nmbrs_timezone(self):
        self.ensure_one()
        return pytz.timezone(self.partner_id.tz or DEFAULT_TIMEZONE)

    def _nmbrs_in_import_window(self, now=None):
        """Whether ``now`` (UTC, default: now) lies in the company's import hours and days."""
        self.ensure_one()
        local = pytz.utc.localize(now or fields.Datetime.now()).astimezone(self._nmbrs_timezone())
        hour = local.hour + local.minute / 60.0
        if not self.nmbrs_window_start <= hour < self.nmbrs_window_end:
            return False
        if self.nmbrs_first_day and local.day < self.nmbrs_first_day:
            return False
        if self.nmbrs_last_day and local.day > self.nmbrs_last_day:
            return False
        return True

    def _nmbrs_responsible_user(self):
        self.ensure_one()
        return self.nmbrs_responsible_user_id or self.nmbrs_connected_uid or self.env.ref('base.user_admin')

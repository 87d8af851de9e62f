from odoo import api, fields, models
from odoo.exceptions import UserError

from ..nmbrs import api_facts
from ..nmbrs.oauth import NmbrsIdentity
from ..nmbrs.rest import NmbrsRestClient
from .nmbrs_rate_limit import SharedRateLimiter
from .res_company_errors import NmbrsAddressMissing

CALLBACK_PATH = '/nmbrs/oauth/callback'
REST_SECRET_FIELDS = ('nmbrs_rest_client_id', 'nmbrs_rest_client_secret', 'nmbrs_rest_subscription_key')


class ResCompany(models.Model):
    """The company's Nmbrs REST app (registered in the Nmbrs partner portal) and where Nmbrs answers REST."""
    _inherit = 'res.company'

    nmbrs_rest_client_id = fields.Char(
        'Nmbrs app client ID', groups='base.group_system', copy=False,
        help="Of the app registered in the Nmbrs partner portal.")
    nmbrs_rest_client_secret = fields.Char(
        'Nmbrs app client secret', groups='base.group_system', copy=False,
        help="Of the app registered in the Nmbrs partner portal.")
    nmbrs_rest_subscription_key = fields.Char(
        'Nmbrs subscription key', groups='base.group_system', copy=False,
        help="From the Nmbrs developer portal (the primary key).")
    nmbrs_rest_environment = fields.Selection(
        [('production', 'Nmbrs'), ('custom', 'Other addresses')], string='Nmbrs REST server',
        default='production', required=True)
    nmbrs_rest_identity_url = fields.Char(
        'Nmbrs identity service address',
        help="Only for 'Other addresses', e.g. a local test server: http://127.0.0.1:8899/identity")
    nmbrs_rest_api_url = fields.Char(
        'Nmbrs REST API address', help="Only for 'Other addresses', e.g. a local test server: http://127.0.0.1:8899/rest")
    nmbrs_consent_ids = fields.One2many('nmbrs.consent', 'company_id', 'Nmbrs consents')

    @api.model
    def _nmbrs_normalize_vals(self, vals):
        super()._nmbrs_normalize_vals(vals)
        for field in (*REST_SECRET_FIELDS, 'nmbrs_rest_identity_url', 'nmbrs_rest_api_url'):
            if isinstance(vals.get(field), str):
                vals[field] = vals[field].strip() or False

    def _nmbrs_rest_callback_url(self):
        """The address Nmbrs sends the user back to after consent: to register with the app in Nmbrs."""
        return self.env['ir.config_parameter'].sudo().get_param('web.base.url', '').rstrip('/') + CALLBACK_PATH

    def _nmbrs_rest_app_ready(self):
        """Whether client id, client secret and subscription key are filled in."""
        self.ensure_one()
        company = self.sudo()
        return all(company[field] for field in REST_SECRET_FIELDS)

    def _nmbrs_rest_check_app(self):
        """Raise a clear error when the REST app is not filled in yet."""
        if not self._nmbrs_rest_app_ready():
            raise UserError(self.env._(
                "Fill in the Nmbrs app's client ID, client secret and subscription key under Settings > Nmbrs "
                "first."))

    def _nmbrs_rest_addresses(self):
        """(identity service, REST API) of this company's Nmbrs; never production when 'Other addresses' is chosen."""
        self.ensure_one()
        if self.nmbrs_rest_environment != 'custom':
            return api_facts.IDENTITY_URL, api_facts.REST_API_URL
        if not (self.nmbrs_rest_identity_url and self.nmbrs_rest_api_url):
            raise NmbrsAddressMissing('No address is filled in for the Nmbrs identity service or REST API.')
        return self.nmbrs_rest_identity_url, self.nmbrs_rest_api_url

    def _nmbrs_identity(self):
        """The Nmbrs identity service for this company's app."""
        self.ensure_one()
        company = self.sudo()
        identity_url, _api_url = self._nmbrs_rest_addresses()
        read_timeout = self._nmbrs_client_options().get('read_timeout')
        return NmbrsIdentity(company.nmbrs_rest_client_id or '', company.nmbrs_rest_client_secret or '',
                             self._nmbrs_rest_callback_url(), identity_url=identity_url,
                             **({'read_timeout': read_timeout} if read_timeout else {}))

    def _nmbrs_rest_client(self, tokens, **options):
        """A REST client for one consent's ``tokens``; close it (or use ``with``) when done.

        All REST clients of one API address share one rate limit across the
        workers of the database, as the SOAP clients do (see _nmbrs_client).
        """
        self.ensure_one()
        _identity_url, api_url = self._nmbrs_rest_addresses()
        options = self._nmbrs_client_options(**options)
        return NmbrsRestClient(
            self.sudo().nmbrs_rest_subscription_key or '', tokens, api_url=api_url,
            rate_limiter=SharedRateLimiter(self.env.cr.dbname, 'rest %s' % api_url,
                                           api_facts.REST_MAX_CALLS_PER_SECOND),
            **options)

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..nmbrs import api_facts
from ..nmbrs.errors import NmbrsError
from ..nmbrs.oauth import TokenPair

_logger = logging.getLogger(__name__)

# How long the user may take on Nmbrs's consent page before the answer is refused as too late.
AUTHORIZATION_MINUTES = 15
# The token fields: Settings administrators only, never shown in a view, never logged.
TOKEN_FIELDS = ('access_token', 'refresh_token', 'access_expires_at', 'oauth_state', 'oauth_code_verifier')


class NmbrsConsent(models.Model):
    """A consent a person gave in Nmbrs for Odoo to read (and write) one or more Nmbrs debtors over REST.

    Nmbrs asks consent per debtor, from a login of that debtor; the consent's
    refresh token lives 30 days and rotates on every refresh. The tokens and
    the state of a consent request in progress (its OAuth state and PKCE
    verifier) are stored here, for Settings administrators only.
    """
    _name = 'nmbrs.consent'
    _description = 'Nmbrs consent'
    _order = 'state, create_date desc, id desc'

    name = fields.Char('Consent', compute='_compute_name')
    company_id = fields.Many2one('res.company', 'Company', required=True, index=True, ondelete='cascade',
                                 default=lambda self: self.env.company)
    state = fields.Selection(
        [('pending', 'Waiting for Nmbrs'), ('active', 'Active'), ('renew', 'Must be renewed'),
         ('revoked', 'Revoked')], string='State', default='pending', required=True, readonly=True, copy=False)
    user_id = fields.Many2one('res.users', 'Given by', readonly=True, copy=False,
                              help="The Odoo user who asked Nmbrs for this consent.")
    nmbrs_user_name = fields.Char('Nmbrs login', readonly=True, copy=False,
                                  help="The Nmbrs login that gave the consent.")
    debtor_ids = fields.One2many('nmbrs.consent.debtor', 'consent_id', 'Debtors', readonly=True)
    debtor_names = fields.Char('Debtors covered', compute='_compute_name')
    scopes = fields.Char('Permissions granted', readonly=True, copy=False)
    given_date = fields.Datetime('Given on', readonly=True, copy=False)
    refresh_expires_at = fields.Datetime(
        'Lapses', readonly=True, copy=False,
        help="Odoo renews the consent before then; if it lapses, someone with a Nmbrs login of the debtor must "
             "give consent again.")
    expected_debtor_number = fields.Char(
        'For debtor', readonly=True, copy=False, help="The debtor this consent was asked for.")
    message = fields.Text('Problem', readonly=True, copy=False)

    access_token = fields.Char(groups='base.group_system', copy=False)
    refresh_token = fields.Char(groups='base.group_system', copy=False)
    access_expires_at = fields.Float(groups='base.group_system', copy=False)
    oauth_state = fields.Char(groups='base.group_system', copy=False, index=True)
    oauth_code_verifier = fields.Char(groups='base.group_system', copy=False)
    oauth_user_id = fields.Many2one('res.users', groups='base.group_system', copy=False)
    oauth_started_at = fields.Datetime(groups='base.group_system', copy=False)

    @api.depends('debtor_ids.name', 'debtor_ids.number', 'expected_debtor_number')
    def _compute_name(self):
        for consent in self:
            names = ', '.join(debtor.display_name for debtor in consent.debtor_ids)
            consent.debtor_names = names
            consent.name = names or (consent.expected_debtor_number and self.env._(
                "Consent for debtor %(number)s", number=consent.expected_debtor_number)) or self.env._("New consent")

    # ------------------------------------------------------------ asking consent

    @api.model
    def action_nmbrs_add_consent(self):
        """A new consent of the current company: off to Nmbrs's consent page."""
        self.env.company._nmbrs_rest_check_app()
        return self.create({'company_id': self.env.company.id}).action_nmbrs_authorize()

    def action_nmbrs_authorize(self):
        """Open Nmbrs's consent page for this consent (new, or to renew it).

        The OAuth state and PKCE verifier are kept on this row with the user
        who asked: the callback accepts the answer only for that row and user.
        """
        self.ensure_one()
        company = self.company_id
        company._nmbrs_rest_check_app()
        try:
            request = company._nmbrs_identity().authorization_request()
        except NmbrsError as error:
            raise UserError(company._nmbrs_error_message(error)) from None
        self.sudo().write({'oauth_state': request.state, 'oauth_code_verifier': request.code_verifier,
                           'oauth_user_id': self.env.uid, 'oauth_started_at': fields.Datetime.now()})
        return {'type': 'ir.actions.act_url', 'url': request.url, 'target': 'self'}

    @api.model
    def _nmbrs_of_oauth_state(self, state):
        """The consent waiting for the answer with ``state``, when the current user asked it lately; else empty."""
        if not state:
            return self.browse()
        consent = self.sudo().search([('oauth_state', '=', state)], limit=1)
        started = consent.oauth_started_at
        if (not consent or consent.oauth_user_id.id != self.env.uid
                or consent.company_id not in self.env.user.company_ids
                or not started or started < fields.Datetime.now() - timedelta(minutes=AUTHORIZATION_MINUTES)):
            return self.browse()
        return consent.with_env(self.env).with_company(consent.company_id)

    def _nmbrs_complete_authorization(self, callback_url):
        """Take Nmbrs's answer: exchange the code at once, then learn the debtors; ``(ok, message)``.

        The state and verifier are forgotten first: an answer works once.
        """
        self.ensure_one()
        consent = self.sudo()
        company = self.company_id
        state, verifier = consent.oauth_state, consent.oauth_code_verifier
        consent.write({'oauth_state': False, 'oauth_code_verifier': False})
        try:
            identity = company._nmbrs_identity()
            tokens = identity.exchange_code(identity.code_from_callback(callback_url, state), verifier)
        except NmbrsError as error:
            company._nmbrs_log_error(error, 'consent', self)
            message = company._nmbrs_error_message(error)
            self.write({'message': message})
            return False, message
        consent.refresh_expires_at = False  # a new consent: a new lifetime
        consent._nmbrs_store_tokens(tokens)
        for failure in ('consent', 'consent_lapsing'):
            company._nmbrs_resolve_failure(self, failure)
        self.write({'state': 'active', 'user_id': self.env.uid, 'given_date': fields.Datetime.now(),
                    'scopes': ' '.join(sorted(tokens.scopes)), 'message': False})
        return self._nmbrs_read_debtors()

    def _nmbrs_store_tokens(self, tokens):
        """Keep a token pair; the consent lapses 30 days after the refresh token was handed out (or the first)."""
        self.sudo().write({
            'access_token': tokens.access_token, 'refresh_token': tokens.refresh_token or False,
            'access_expires_at': tokens.expires_at,
            **({'refresh_expires_at': fields.Datetime.now() + timedelta(seconds=api_facts.REFRESH_TOKEN_SECONDS)}
               if api_facts.REFRESH_TOKEN_LIFETIME_SLIDES or not self.refresh_expires_at else {})})

    def _nmbrs_tokens(self):
        consent = self.sudo()
        if not consent.access_token:
            return None
        return TokenPair(consent.access_token, consent.refresh_token or None, consent.access_expires_at)

    # ------------------------------------------------------------ debtors

    def action_nmbrs_read_debtors(self):
        self.ensure_one()
        ok, message = self._nmbrs_read_debtors()
        return self.company_id._nmbrs_notification(ok, message)

    def _nmbrs_read_debtors(self):
        """Ask Nmbrs which debtors this consent covers, keep them and link their relations: ``(ok, message)``."""
        self.ensure_one()
        company = self.company_id
        try:
            with self._nmbrs_client(max_retries=0) as client:
                user = client.user_info()
                debtors = client.debtors()
                self.debtor_ids.unlink()
                self.write({
                    'nmbrs_user_name': user and (user.name or user.email) or False,
                    'debtor_ids': [fields.Command.create({
                        'nmbrs_debtor_guid': debtor.id, 'number': debtor.number, 'name': debtor.name})
                        for debtor in debtors],
                })
                self.debtor_ids._nmbrs_link_relations(client)
        except NmbrsError as error:
            company._nmbrs_log_error(error, 'consent debtors', self)
            message = self.env._("The consent is given, but Nmbrs did not say which debtors it covers: "
                                 "%(reason)s Click 'Read debtors' to ask again.",
                                 reason=company._nmbrs_error_message(error))
            self.write({'message': message})
            return False, message
        message = self.env._("Nmbrs consent given for %(debtors)s.", debtors=self.debtor_names or '-')
        if self.expected_debtor_number and self.expected_debtor_number not in self.debtor_ids.mapped('number'):
            message = self.env._(
                "This consent covers %(debtors)s, not debtor %(number)s it was asked for: log in to Nmbrs with a "
                "login of that debtor and give consent again.",
                debtors=self.debtor_names or '-', number=self.expected_debtor_number)
            self.write({'message': message})
            return False, message
        company._nmbrs_connect_by_consent()
        return True, message

    # ------------------------------------------------------------ testing

    def action_nmbrs_test(self):
        """Ask Nmbrs whether each consent works, and say so in one notification."""
        results = [consent._nmbrs_test() for consent in self]
        return self.env.company._nmbrs_notification(
            all(ok for ok, _message in results), '\n'.join(message for _ok, message in results))

    def _nmbrs_test(self):
        """Whether this consent works: Nmbrs names its user and the companies of its debtors. ``(ok, message)``.

        A consent Nmbrs no longer accepts is marked to renew, with its To-Do, on the way.
        """
        self.ensure_one()
        _ = self.env._
        if self.state != 'active':
            return False, _("The consent for %(debtors)s is not active: give or renew it first.", debtors=self.name)
        try:
            with self._nmbrs_client(max_retries=0) as client:
                client.user_info()
                companies = [company for debtor in self.debtor_ids
                             for company in client.companies_by_debtor(debtor.nmbrs_debtor_guid)]
        except NmbrsError as error:
            return False, _("The consent for %(debtors)s does not work: %(reason)s",
                            debtors=self.name, reason=self.company_id._nmbrs_error_message(error))
        return True, _("The consent for %(debtors)s works: Nmbrs shows %(count)s companies.",
                       debtors=self.name, count=len(companies))

    # ------------------------------------------------------------ revoking

    def action_nmbrs_revoke(self):
        """Withdraw the consent at Nmbrs, then here; when Nmbrs cannot be reached nothing changes."""
        for consent in self:
            refresh_token = consent.sudo().refresh_token
            if refresh_token:
                try:
                    consent.company_id._nmbrs_identity().revoke(refresh_token)
                except NmbrsError as error:
                    consent.company_id._nmbrs_log_error(error, 'consent revocation', consent)
                    raise UserError(self.env._(
                        "Nmbrs did not withdraw the consent, so it stays active here too: %(reason)s",
                        reason=consent.company_id._nmbrs_error_message(error))) from None
            consent.sudo().write({field: False for field in TOKEN_FIELDS})
            consent.write({'state': 'revoked', 'message': False})
        return True


class NmbrsConsentDebtor(models.Model):
    """A Nmbrs debtor a consent covers, with the relations of that debtor in the consent's Odoo company."""
    _name = 'nmbrs.consent.debtor'
    _description = 'Debtor of a Nmbrs consent'
    _order = 'number, id'

    consent_id = fields.Many2one('nmbrs.consent', 'Consent', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='consent_id.company_id', store=True, index=True)
    nmbrs_debtor_guid = fields.Char('Nmbrs debtor ID (REST)', required=True)
    number = fields.Char('Debtor number')
    name = fields.Char('Debtor')
    link_ids = fields.One2many('nmbrs.link', compute='_compute_link_ids', string='Relations')
    relation_count = fields.Integer('Number of relations', compute='_compute_link_ids')

    @api.depends('number', 'nmbrs_debtor_guid')
    def _compute_display_name(self):
        for debtor in self:
            debtor.display_name = '%s (%s)' % (debtor.name, debtor.number) if debtor.number else debtor.name

    @api.depends('number', 'company_id')
    def _compute_link_ids(self):
        for debtor in self:
            debtor.link_ids = debtor._nmbrs_links()
            debtor.relation_count = len(debtor.link_ids)

    def _nmbrs_links(self):
        """The links of relations to this debtor in the consent's company, found by debtor number."""
        self.ensure_one()
        if not self.number:
            return self.env['nmbrs.link']
        return self.env['nmbrs.link'].search([('company_id', '=', self.company_id.id),
                                              ('nmbrs_debtor_number', '=', self.number)])

import logging
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, models
from odoo.orm.environments import Transaction
from odoo.tools import LazyTranslate

from ..nmbrs import api_facts
from ..nmbrs.errors import NmbrsConsentError, NmbrsError, NmbrsTimeout
from ..nmbrs.oauth import CONSENT_RENEW, TokenPair
from .nmbrs_consent import TOKEN_FIELDS

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# The responsible user hears this long before a consent lapses.
LAPSE_WARNING_DAYS = 7
# How long a worker waits for another one that is refreshing the same consent.
REFRESH_LOCK_TIMEOUT = '60s'


class NmbrsConsent(models.Model):
    """Keeping consents alive: refreshes serialised per consent across workers, a regular refresh, warnings.

    Refresh tokens work once and rotate. Whoever refreshes holds the consent's
    row lock (SELECT ... FOR UPDATE, in a cursor of its own) and commits the new
    pair before anyone uses it; a worker that waited finds the new pair and
    uses it instead of refreshing again.
    """
    _name = 'nmbrs.consent'
    _inherit = ['nmbrs.consent', 'mail.thread', 'mail.activity.mixin']

    def _nmbrs_client(self, **options):
        """A REST client of this consent; close it (or use ``with``) when done.

        Its refreshes go through _nmbrs_refresh_locked. Do not write this
        consent in the caller's transaction before using the client: the
        refresh would wait for that transaction's row lock.
        """
        self.ensure_one()
        return self.company_id._nmbrs_rest_client(self._nmbrs_tokens(), refresh_tokens=self._nmbrs_refresher(),
                                                  **options)

    def _nmbrs_refresher(self):
        """``refresh_tokens(stale)`` for the REST client; safe in its threads: it uses a cursor of its own."""
        self.ensure_one()
        identity = self.company_id._nmbrs_identity()
        registry, consent_id, context = self.env.registry, self.id, dict(self.env.context)

        def refresh_tokens(stale):
            with registry.cursor() as cr:
                # The registry is known: looking it up by name would wait for the registry lock, which Odoo
                # holds while it loads modules (tests at install).
                cr.transaction = Transaction(registry)
                consent = api.Environment(cr, SUPERUSER_ID, context)['nmbrs.consent'].browse(consent_id)
                return consent._nmbrs_refresh_locked(identity, stale)
        return refresh_tokens

    def _nmbrs_refresh_locked(self, identity, stale):
        """Lock the row, refresh unless another worker did since ``stale`` (None: refresh anyway), commit.

        Runs in its own cursor, which it commits: the new pair is stored
        before it is returned, and a refused refresh marks the consent (with
        its To-Do) even when the caller's transaction rolls back.
        """
        cr = self.env.cr
        state, access_token, refresh_token, expires_at = self._nmbrs_lock_row()
        if state != 'active' or not refresh_token:
            raise NmbrsConsentError('There is no working Nmbrs consent for these debtors. ' + CONSENT_RENEW,
                                    reason='not_connected', operation='refresh')
        current = TokenPair(access_token, refresh_token, expires_at or 0.0)
        if stale is not None and current.refresh_token != stale.refresh_token \
                and not current.expires_within(api_facts.ACCESS_TOKEN_LEEWAY_SECONDS):
            return current  # another worker refreshed while this one waited for the lock
        try:
            fresh = identity.refresh(current.refresh_token)
        except NmbrsConsentError as error:
            self._nmbrs_lapsed(error)
            cr.commit()
            raise
        self._nmbrs_store_tokens(fresh)
        cr.commit()
        _logger.info('Nmbrs consent %s renewed', self.id)
        return fresh

    def _nmbrs_lock_row(self):
        """Lock this consent's row and read its tokens as last committed: (state, access, refresh, expires_at).

        A worker that waited for the lock while another refreshed gets a
        serialization failure (repeatable read): it starts a new transaction,
        which sees the new pair.
        """
        cr = self.env.cr
        for _attempt in range(3):
            cr.execute("SET LOCAL lock_timeout = '%s'" % REFRESH_LOCK_TIMEOUT)
            try:
                # An expected outcome, not a bad query: keep it out of the error log.
                cr.execute('SELECT state, access_token, refresh_token, access_expires_at FROM nmbrs_consent '
                           'WHERE id = %s FOR UPDATE', [self.id], log_exceptions=False)
                return cr.fetchone() or (None, None, None, 0.0)
            except psycopg2.errors.SerializationFailure:
                cr.rollback()
            except psycopg2.errors.LockNotAvailable:
                break
        raise NmbrsTimeout('Another process is renewing the Nmbrs consent and did not finish in time. '
                           'Nothing was lost: the next run tries again.', operation='refresh')

    def _nmbrs_lapsed(self, error):
        """Nmbrs refused the refresh: the consent must be renewed; one To-Do names its debtors."""
        self.ensure_one()
        company = self.company_id
        company._nmbrs_log_error(error, 'consent refresh', self)
        self.sudo().write({field: False for field in TOKEN_FIELDS})
        self.write({'state': 'renew'})
        stored = self.with_env(company._nmbrs_in_stored_lang().env)
        stored.company_id._nmbrs_report_failure(self, 'consent', stored.env._(
            "Nmbrs no longer accepts the consent for %(debtors)s: it lapsed, was withdrawn in Nmbrs, or its refresh "
            "token was used twice. Until someone with a Nmbrs login of that debtor gives consent again (open the "
            "consent and click 'Renew consent'), Odoo cannot read it over REST; the other debtors carry on.",
            debtors=self.name))

    @api.model
    def _cron_nmbrs_refresh_consents(self):
        """Renew every active consent, so none lapses unnoticed, and warn a week before one lapses.

        Each consent on its own: one that Nmbrs refuses gets its To-Do and the others carry on.
        """
        for consent in self.search([('state', '=', 'active')]):
            company = consent.company_id
            try:
                consent._nmbrs_refresher()(None)
                renewed = True
            except NmbrsError as error:
                if isinstance(error, NmbrsConsentError):
                    continue  # _nmbrs_lapsed gave it its To-Do
                company._nmbrs_log_error(error, 'consent refresh', consent)
                renewed = False
            except Exception as error:  # noqa: BLE001 - one consent never stops the others
                company._nmbrs_log_error(error, 'consent refresh', consent)
                renewed = False
            if renewed:
                company._nmbrs_resolve_failure(consent, 'consent_lapsing')
            lapses = consent._nmbrs_lapse_after_refresh(renewed)
            if lapses and lapses - fields.Datetime.now() < timedelta(days=LAPSE_WARNING_DAYS):
                consent._nmbrs_warn_lapsing(lapses)

    def _nmbrs_lapse_after_refresh(self, renewed):
        """When the consent lapses, as known after a refresh that worked (``renewed``) or not.

        Read before this transaction's snapshot could see the refresh: a
        refresh that worked starts a new lifetime when refresh tokens slide.
        """
        if renewed and api_facts.REFRESH_TOKEN_LIFETIME_SLIDES:
            return fields.Datetime.now() + timedelta(seconds=api_facts.REFRESH_TOKEN_SECONDS)
        return self.refresh_expires_at

    def _nmbrs_warn_lapsing(self, lapses):
        company = self.company_id
        stored = self.with_env(company._nmbrs_in_stored_lang().env)
        company._nmbrs_report_failure(self, 'consent_lapsing', stored.env._(
            "The Nmbrs consent for %(debtors)s lapses on %(date)s and Odoo could not renew it. Open the consent and "
            "click 'Renew consent' before then, or check the connection to Nmbrs.",
            debtors=self.name, date=fields.Date.to_string(lapses.date())))

import logging
import re

from markupsafe import Markup

from odoo import models
from odoo.tools import LazyTranslate

from ..nmbrs import api_facts, errors

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# The To-Do titles of each kind of failure: one open To-Do per kind and record.
FAILURE_SUMMARIES = {
    'connection': _lt("Nmbrs connection failed"),
    'document_import': _lt("Nmbrs document import failed"),
    'relation_sync': _lt("Nmbrs sync failed"),
    'company_sync': _lt("Nmbrs relation sync failed"),
    'annual_documents': _lt("Nmbrs annual documents failed"),
    'consent': _lt("Nmbrs consent must be renewed"),
    'consent_lapsing': _lt("Nmbrs consent lapses soon"),
}
# Errors that every relation of the Odoo company would meet: reported once, on the company.
CONNECTION_ERRORS = (errors.NmbrsAuthenticationError, errors.NmbrsPermissionError,
                     errors.NmbrsSubscriptionError, errors.NmbrsConnectionError)
# The calls to the Nmbrs identity service (nmbrs/oauth.py): a refused login there is the REST app's.
IDENTITY_OPERATIONS = ('authorize', 'exchange', 'refresh', 'revoke', 'discovery')
# Longest part of a fault text of Nmbrs shown to the user: ASMX may append a whole stack trace.
MAX_FAULT_TEXT = 300


class NmbrsAddressMissing(errors.NmbrsConnectionError):
    """*Other address* is chosen but no address is filled in: nothing is sent anywhere."""

    transient = False


class NmbrsNoRoute(errors.NmbrsError):
    """No active consent covers a relation's debtor and the company has no SOAP login: nothing can answer for it."""


class NmbrsNoConnection(errors.NmbrsError):
    """The company has neither a SOAP login nor an active consent: nothing can answer for any relation."""


def nmbrs_fault_text(error):
    """The first line of Nmbrs's own text of a fault, without the .NET exception before '--->'."""
    text = error.detail or ''
    match = re.search(api_facts.FAULT_CODE_PATTERN, text)
    text = (match.group(2) if match else text).strip()
    return text.splitlines()[0][:MAX_FAULT_TEXT] if text else ''


class ResCompany(models.Model):
    """What the accountant reads when Nmbrs fails, and the To-Do they get for it."""
    _inherit = 'res.company'

    def _nmbrs_error_message(self, error):
        """A translated message for an error, saying what to do about it.

        The text of an unexpected (non-Nmbrs) exception is never part of it:
        the message may end up in a To-Do that every reader of the relation sees.
        """
        _ = self.env._
        if not isinstance(error, errors.NmbrsError):
            return _("The Nmbrs sync stopped on an unexpected error; the server log has the details. The next run "
                     "tries again; if this persists, contact your Odoo partner.")
        if isinstance(error, (errors.NmbrsConsentError, errors.NmbrsSubscriptionKeyError, errors.NmbrsScopeError)) \
                or (isinstance(error, errors.NmbrsAuthenticationError) and error.operation in IDENTITY_OPERATIONS):
            return self._nmbrs_rest_error_message(error)
        if isinstance(error, errors.NmbrsAuthenticationError):
            return _("Nmbrs refused the login. Check the login e-mail, the API token and the tenant key "
                     "(the part of your Nmbrs address before .nmbrs.nl).")
        if isinstance(error, errors.NmbrsPermissionError):
            return _("The Nmbrs API user template does not allow %(right)s. In Nmbrs, go to Settings > "
                     "User templates, open the template of this user, click the gears in the API column and "
                     "switch on %(right)s.", right=error.right)
        if isinstance(error, errors.NmbrsAccessError):
            kinds = {'employee': _("employee"), 'company': _("company"), 'debtor': _("debtor")}
            return _("Nmbrs does not let this user see %(kind)s %(id)s: it does not exist or lies outside "
                     "the user's rights in Nmbrs. Check the link of the relation and the user's access in Nmbrs.",
                     kind=kinds.get(error.record_kind, _("this data")), id=error.record_id or '')
        if isinstance(error, errors.NmbrsSubscriptionError):
            return _("This Nmbrs environment has no valid subscription. Contact Nmbrs.")
        if isinstance(error, NmbrsAddressMissing):
            return _("No Nmbrs address is filled in for 'Other address'. Fill it in under Settings > Nmbrs, "
                     "or choose Nmbrs as server.")
        if isinstance(error, NmbrsNoConnection):
            return _("This company has neither a Nmbrs login nor an active consent. Fill in the login e-mail and "
                     "API token under Settings > Nmbrs, or give the consent of each debtor there.")
        if isinstance(error, NmbrsNoRoute):
            return _("No active Nmbrs consent covers the debtor of this relation, and this company has no Nmbrs "
                     "SOAP login. Give the consent of its debtor under Settings > Nmbrs, Debtors still on SOAP.")
        if isinstance(error, errors.NmbrsUncertainWriteError):
            return _("Nmbrs did not confirm the change (%(operation)s): it may not have arrived. It was not sent "
                     "again, so that Nmbrs never gets it twice; the next sync reads Nmbrs back and sends only "
                     "what is missing.", operation=error.operation)
        if isinstance(error, errors.NmbrsTimeout):
            return _("Nmbrs did not answer in time. Nothing was lost: the next run tries again.")
        if isinstance(error, errors.NmbrsConnectionError):
            return _("Nmbrs cannot be reached. Check the Nmbrs environment or address in the settings and the "
                     "internet connection of the Odoo server. Nothing was lost: the next run tries again.")
        if isinstance(error, errors.NmbrsHTTPError) and error.status == 404:
            return _("Nmbrs answered 'not found' (HTTP 404): the Nmbrs server address is wrong. Check the Nmbrs "
                     "server in Settings > Nmbrs.")
        if isinstance(error, errors.NmbrsHTTPError):
            return _("Nmbrs answered with an error (HTTP %(status)s). Nothing was lost: the next run tries again.",
                     status=error.status)
        if isinstance(error, errors.NmbrsResponseError):
            return _("Nmbrs sent an answer that cannot be read. Nothing was lost: the next run tries again; "
                     "if this persists, contact your Odoo partner.")
        text = nmbrs_fault_text(error)
        if text and text != api_facts.FAULT_TEXTS[api_facts.ERROR_UNKNOWN]:
            return _("Nmbrs reported an error (%(code)s): %(text)s. Try again later; if this persists, contact "
                     "Nmbrs support.", code=error.code or '-', text=text)
        return _("Nmbrs reported an error it does not explain (%(detail)s). Try again later; if this "
                 "persists, contact Nmbrs support.", detail=error.code or '-')

    def _nmbrs_rest_error_message(self, error):
        """What to do when the REST app, its subscription key or a consent is refused."""
        _ = self.env._
        if isinstance(error, errors.NmbrsScopeError):
            return _("The Nmbrs consent or app does not allow %(scope)s. Check the permissions of the app in the "
                     "Nmbrs partner portal, then ask for the consent again.", scope=error.scope or '-')
        if isinstance(error, errors.NmbrsSubscriptionKeyError):
            return _("Nmbrs refused the subscription key. Check it under Settings > Nmbrs against the Nmbrs "
                     "developer portal.")
        if not isinstance(error, errors.NmbrsConsentError):
            return _("Nmbrs refused the app's client ID or client secret. Check both under Settings > Nmbrs "
                     "against the app registered in the Nmbrs partner portal.")
        if error.reason == 'state':
            return _("The answer from Nmbrs does not belong to the consent asked for here. Ask for the consent "
                     "again.")
        if error.reason == 'invalid_grant' and error.operation == 'exchange':
            return _("Nmbrs did not accept the consent code: it was used already or is older than five minutes. "
                     "Ask for the consent again.")
        if error.operation == 'authorize':
            return _("Nmbrs did not give consent (%(reason)s). Ask for the consent again and approve it in Nmbrs.",
                     reason=error.reason)
        return _("Nmbrs no longer accepts this consent: it lapsed, was withdrawn in Nmbrs, or was used by another "
                 "process. Someone with a Nmbrs login of the debtor must give consent again.")

    def _nmbrs_log_error(self, error, what, record=None):
        """Write ``error`` to the server log with the operation and its detail, never the token.

        An unexpected exception gets its traceback (call this from its except block).
        """
        subject = '%s of %s' % (what, record.display_name if record else 'company %s' % self.id)
        if isinstance(error, errors.NmbrsError):
            _logger.warning('Nmbrs %s failed in %s: %s (%s)', subject, error.operation or '-',
                            error.detail or error.message, type(error).__name__)
        else:
            _logger.exception('Nmbrs %s failed on an unexpected error', subject)

    @staticmethod
    def _nmbrs_error_details(error):
        """The sync log's technical fields for ``error``: which call, and what exactly went wrong."""
        if isinstance(error, errors.NmbrsError):
            return {'error_operation': error.operation or False,
                    'error_detail': error.detail or error.message}
        return {'error_operation': False, 'error_detail': '%s: %s' % (type(error).__name__, error)}

    def _nmbrs_failure_todos(self, record, failure):
        """The open To-Dos about ``failure`` (a key of FAILURE_SUMMARIES) on ``record``.

        Found by the failure they are about, not by their title: titles are
        translated, and the language may have changed since.
        """
        # Done activities stay on the record, archived.
        return record.sudo().activity_ids.filtered(
            lambda activity: activity.active and activity.nmbrs_failure == failure)

    def _nmbrs_report_failure(self, record, failure, message):
        """Give the responsible user one open To-Do about ``failure`` on ``record``.

        While that To-Do is still open, the same failure adds nothing: an import
        that fails every hour must not bury the user in activities. Its title
        is in the company's language, like every text the sync stores.
        """
        self.ensure_one()
        open_todo = self._nmbrs_failure_todos(record, failure)
        if open_todo:
            return open_todo[:1]
        summary = self._nmbrs_in_stored_lang().env._(FAILURE_SUMMARIES[failure])
        return record.sudo().activity_schedule(
            'mail.mail_activity_data_todo', summary=summary, note=Markup('<p>%s</p>') % message,
            user_id=self._nmbrs_responsible_user().id, nmbrs_failure=failure)

    def _nmbrs_resolve_failure(self, record, failure):
        """Mark the open To-Do about ``failure`` done once the failure is gone."""
        self.ensure_one()
        open_todo = self._nmbrs_failure_todos(record, failure)
        if open_todo:
            open_todo.action_feedback(
                feedback=self._nmbrs_in_stored_lang().env._("Solved: the next Nmbrs run succeeded."))

from markupsafe import Markup

from odoo import models
from odoo.tools import LazyTranslate

from ..nmbrs import errors

_lt = LazyTranslate(__name__)

# The To-Do titles of each kind of failure: one open To-Do per kind and record.
FAILURE_SUMMARIES = {
    'connection': _lt("Nmbrs connection failed"),
    'document_import': _lt("Nmbrs document import failed"),
    'relation_sync': _lt("Nmbrs sync failed"),
    'company_sync': _lt("Nmbrs relation sync failed"),
}


class ResCompany(models.Model):
    """What the accountant reads when Nmbrs fails, and the To-Do they get for it."""
    _inherit = 'res.company'

    def _nmbrs_error_message(self, error):
        """A translated message for a Nmbrs client error, saying what to do about it."""
        _ = self.env._
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
        if isinstance(error, errors.NmbrsUncertainWriteError):
            return _("Nmbrs did not confirm the change (%(operation)s): it may not have arrived. It was not sent "
                     "again, so that Nmbrs never gets it twice; the next sync reads Nmbrs back and sends only "
                     "what is missing.", operation=error.operation)
        if isinstance(error, errors.NmbrsTimeout):
            return _("Nmbrs did not answer in time. Nothing was lost: the next run tries again.")
        if isinstance(error, errors.NmbrsConnectionError):
            return _("Nmbrs cannot be reached. Check the Nmbrs environment or address in the settings and the "
                     "internet connection of the Odoo server. Nothing was lost: the next run tries again.")
        if isinstance(error, errors.NmbrsHTTPError):
            return _("Nmbrs answered with an error (HTTP %(status)s). Nothing was lost: the next run tries again.",
                     status=error.status)
        if isinstance(error, errors.NmbrsResponseError):
            return _("Nmbrs sent an answer that cannot be read. Nothing was lost: the next run tries again; "
                     "if this persists, contact your Odoo partner.")
        return _("Nmbrs reported an error it does not explain (%(detail)s). Try again later; if this "
                 "persists, contact Nmbrs support.", detail=error.code or '-')

    def _nmbrs_failure_todo(self, record, failure):
        """The open To-Do about ``failure`` (a key of FAILURE_SUMMARIES) on ``record``, and its title.

        The title is in the responsible user's language, whoever ran the sync,
        so a scheduled run and a "Sync now" find the same To-Do.
        """
        user = self._nmbrs_responsible_user()
        summary = self.with_context(lang=user.lang).env._(FAILURE_SUMMARIES[failure])
        todo = self.env.ref('mail.mail_activity_data_todo')
        # Done activities stay on the record, archived.
        open_todo = record.sudo().activity_ids.filtered(
            lambda activity: activity.active and activity.activity_type_id == todo and activity.summary == summary)
        return open_todo, summary, user

    def _nmbrs_report_failure(self, record, failure, message):
        """Give the responsible user one open To-Do about ``failure`` on ``record``.

        While that To-Do is still open, the same failure adds nothing: an import
        that fails every hour must not bury the user in activities.
        """
        self.ensure_one()
        open_todo, summary, user = self._nmbrs_failure_todo(record, failure)
        if open_todo:
            return open_todo[:1]
        return record.sudo().activity_schedule(
            'mail.mail_activity_data_todo', summary=summary, note=Markup('<p>%s</p>') % message, user_id=user.id)

    def _nmbrs_resolve_failure(self, record, failure):
        """Mark the open To-Do about ``failure`` done once the failure is gone."""
        self.ensure_one()
        open_todo, _summary, _user = self._nmbrs_failure_todo(record, failure)
        open_todo.action_feedback(feedback=self.env._("Solved: the next Nmbrs run succeeded."))

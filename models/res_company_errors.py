from markupsafe import Markup

from odoo import models

from ..nmbrs import errors


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

    def _nmbrs_report_failure(self, record, summary, message):
        """Give the responsible user one open To-Do about ``summary`` on ``record``.

        While that To-Do is still open, the same failure adds nothing: an import
        that fails every hour must not bury the user in activities.
        """
        self.ensure_one()
        todo = self.env.ref('mail.mail_activity_data_todo')
        record = record.sudo()
        # Done activities stay on the record, archived.
        open_todo = record.activity_ids.filtered(
            lambda activity: activity.active and activity.activity_type_id == todo and activity.summary == summary)
        if open_todo:
            return open_todo[:1]
        return record.activity_schedule(
            'mail.mail_activity_data_todo', summary=summary, note=Markup('<p>%s</p>') % message,
            user_id=self._nmbrs_responsible_user().id)

    def _nmbrs_resolve_failure(self, record, summary):
        """Mark the open To-Do about ``summary`` done once the failure is gone."""
        todo = self.env.ref('mail.mail_activity_data_todo')
        record.sudo().activity_ids.filtered(
            lambda activity: activity.active and activity.activity_type_id == todo and activity.summary == summary
        ).action_feedback(feedback=self.env._("Solved: the next Nmbrs run succeeded."))

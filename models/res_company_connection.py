from odoo import fields, models

from ..nmbrs import errors

SOFT_RELOAD = {'type': 'ir.actions.client', 'tag': 'soft_reload'}


class ResCompany(models.Model):
    """Testing, connecting and disconnecting a company's Nmbrs connection."""
    _inherit = 'res.company'

    def _nmbrs_test_connection(self):
        """Ask Nmbrs whether this company's connection works: ``(ok, message)``; Settings shows the outcome."""
        self.ensure_one()
        ok, message = self._nmbrs_ask_connection()
        self.write({'nmbrs_last_test_result': 'ok' if ok else 'failed',
                    'nmbrs_last_test_date': fields.Datetime.now()})
        return ok, message

    def _nmbrs_ask_connection(self):
        """Test what this company reaches Nmbrs with: its SOAP login, its active consents (REST), or both.

        ``(ok, message)``: ok when every one works; the message names each outcome.
        """
        _ = self.env._
        consents = self._nmbrs_active_consents()
        soap = self._nmbrs_has_soap_login()
        if not (soap or consents):
            return False, _("Fill in the Nmbrs login e-mail and API token, or enter the Nmbrs app and give a "
                            "consent, first.")
        results = [self._nmbrs_ask_soap()] if soap else []
        results += [consent.with_env(self.env)._nmbrs_test() for consent in consents]
        return all(ok for ok, _message in results), '\n'.join(message for _ok, message in results)

    def _nmbrs_ask_soap(self):
        """Environment_Get checks the login, token and tenant key; listing the
        companies checks the API user template allows the sync's first call.
        """
        _ = self.env._
        try:
            with self._nmbrs_client(max_retries=0) as client:
                environment = client.environment_get()
                client.companies()
        except errors.NmbrsAuthenticationError:
            return False, self._nmbrs_login_refused_message()
        except errors.NmbrsError as error:
            return False, self._nmbrs_error_message(error)
        name = self.nmbrs_tenant_name or (environment and environment.subdomain) or self.nmbrs_tenant_key
        return True, _("Connected to the Nmbrs environment %(name)s.", name=name)

    def _nmbrs_login_refused_message(self):
        """Why Nmbrs refused the login: the tenant key (naming the right one when Nmbrs tells) or the credentials."""
        _ = self.env._
        wrong_login = _("Nmbrs refused the login e-mail or the API token. The e-mail is the one you log in to "
                        "Nmbrs with; the token is on your Nmbrs user profile, tab 'API token'.")
        if not self.nmbrs_tenant_key:
            return wrong_login
        # Without a tenant key Nmbrs accepts the credentials alone and names their environment.
        try:
            with self._nmbrs_client(max_retries=0) as client:
                client.domain = ''
                environment = client.environment_get()
        except errors.NmbrsAuthenticationError:
            return wrong_login
        except errors.NmbrsError as error:
            return self._nmbrs_error_message(error)
        if environment and environment.subdomain:
            return _("Nmbrs does not know the tenant key '%(key)s' for this login. The login e-mail and API "
                     "token belong to the Nmbrs environment '%(subdomain)s': enter '%(subdomain)s' as tenant key.",
                     key=self.nmbrs_tenant_key, subdomain=environment.subdomain)
        return _("Nmbrs does not know the tenant key '%(key)s'. It is the part of your Nmbrs address before "
                 ".nmbrs.nl: from kantoor.nmbrs.nl it is 'kantoor'.", key=self.nmbrs_tenant_key)

    def _nmbrs_connect(self):
        """Test the connection and, when it works, mark the company connected: ``(ok, message)``."""
        self.ensure_one()
        ok, message = self._nmbrs_test_connection()
        if ok:
            self._nmbrs_mark_connected()
        return ok, message

    def _nmbrs_mark_connected(self):
        self.write({
            'nmbrs_state': 'connected',
            'nmbrs_connected_date': fields.Datetime.now(),
            'nmbrs_connected_uid': self.env.uid,
            'nmbrs_responsible_user_id': self.nmbrs_responsible_user_id.id or self.env.uid,
        })

    def _nmbrs_connect_by_consent(self):
        """A company that was never connected and has no SOAP login is connected by its first working consent:
        REST is then all it has, and its crons, Sync now and the import start at once."""
        self.ensure_one()
        if self.nmbrs_state != 'connected' and not self.nmbrs_connected_date and not self._nmbrs_has_soap_login():
            self._nmbrs_mark_connected()

    def _nmbrs_disconnect(self):
        """Stop syncing and importing; imported documents and relation links stay."""
        self.write({'nmbrs_state': 'disconnected'})

    def _nmbrs_notification(self, ok, message, next_action=None):
        """A client action showing ``message`` as a success or error notification, then ``next_action``.

        No title: the messages name Nmbrs themselves, and a title "Nmbrs" read as "Nmbrs. Nmbrs refused...".
        """
        params = {'message': message, 'type': 'success' if ok else 'danger', 'sticky': not ok}
        if next_action:
            params['next'] = next_action
        return {'type': 'ir.actions.client', 'tag': 'display_notification', 'params': params}

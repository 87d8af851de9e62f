from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..nmbrs.errors import NmbrsError
from . import counted_words
from .res_company_errors import CONNECTION_ERRORS, NmbrsNoConnection, NmbrsNoRoute

# The daily relation sync takes each company again once this long has passed since its last sync.
RESYNC_AFTER = timedelta(hours=20)


class ResCompany(models.Model):
    """The relation sync of a whole Odoo company, by hand or by the scheduled action."""
    _inherit = 'res.company'

    nmbrs_relation_sync_date = fields.Datetime('Last relation sync', copy=False, readonly=True)

    def _nmbrs_companies_with_debtors(self, client):
        """Every Nmbrs company the connection sees, with its debtor: a list of (company, debtor)."""
        return [(company, debtor)
                for debtor in client.debtors()
                for company in client.companies_by_debtor(debtor.id)]

    def _nmbrs_sync_relations(self, partners=None, trigger='manual', commit=None):
        """Sync this company's relations (or only ``partners``) in its sync direction, relation by relation.

        Incoming: create or update relations from Nmbrs. Outgoing: send every
        linked relation to Nmbrs. Each relation is a unit of its own: its
        failure is logged and marked on it, the others go on, and ``commit``
        (the cron's) is called after each. Returns the sync log lines. Raises
        NmbrsError when Nmbrs cannot be used at all (e.g. a refused login).
        """
        self.ensure_one()
        # Notes, To-Dos and log lines are stored texts: in the company's language.
        company = self.with_company(self)._nmbrs_in_stored_lang()
        Partner = company.env['res.partner']
        commit = commit or (lambda: None)
        logs = company.env['nmbrs.sync.log']
        if company.nmbrs_sync_direction == 'incoming' and partners is None:
            logs = company._nmbrs_sync_every_company(trigger, commit)
        elif company.nmbrs_sync_direction == 'incoming':
            for consent, relations in company._nmbrs_routes(partners.with_env(company.env)):
                logs |= company._nmbrs_sync_over(consent, relations, trigger, commit, lambda client, partner: (
                    partner._nmbrs_refresh_from_nmbrs(client) or partner))
        else:
            linked = (partners if partners is not None else Partner.search([('nmbrs_linked', '=', True)]))
            # A relation held for a check (a portal or website change) is not sent.
            linked = linked.with_env(company.env)._nmbrs_linked_records().filtered(
                lambda partner: partner.nmbrs_sync_state != 'held')
            for consent, relations in company._nmbrs_routes(linked):
                logs |= company._nmbrs_sync_over(consent, relations, trigger, commit, lambda client, partner: (
                    partner._nmbrs_push_over(client) or partner), check_login=True)
        company.nmbrs_relation_sync_date = fields.Datetime.now()
        return logs

    def _nmbrs_sync_every_company(self, trigger, commit):
        """Incoming: every Nmbrs company becomes or updates a relation, with its employees.

        The debtors an active consent covers are read over REST, the others
        over SOAP (when the company has a SOAP login); a consent that fails
        stops only its own debtors.
        """
        consents = self._nmbrs_active_consents()
        covered = set(consents.debtor_ids.mapped('number'))
        sources = list(consents) + ([consents.browse()] if self._nmbrs_has_soap_login() else [])
        if not sources:
            raise NmbrsNoConnection('Neither a SOAP login nor an active consent.')
        logs = self.env['nmbrs.sync.log']
        for consent in sources:
            def sync_all(client, consent=consent):
                found = self.env['nmbrs.sync.log']
                for nmbrs_company, debtor in self._nmbrs_companies_with_debtors(client):
                    if not consent and debtor.number in covered:
                        continue  # read over the consent
                    relation = self.env['res.partner']._nmbrs_company_relation(client, nmbrs_company)
                    found |= self._nmbrs_sync_unit(
                        lambda: self.env['res.partner']._nmbrs_import_company(client, nmbrs_company, debtor),
                        relation, trigger, nmbrs_company.name)
                    commit()
                return found
            logs |= self._nmbrs_sync_source(consent, trigger, sync_all)
        return logs

    def _nmbrs_sync_over(self, consent, relations, trigger, commit, sync, check_login=False):
        """Sync ``relations`` one by one with ``sync(client, relation)`` over ``consent`` (empty: SOAP).

        ``check_login``: ask Nmbrs once first, so a refused login is one failure, not one per relation.
        """
        def sync_each(client):
            if check_login and client.has_environment:
                client.environment_get()
            elif check_login:
                client.user_info()
            logs = self.env['nmbrs.sync.log']
            for partner in relations:
                logs |= self._nmbrs_sync_unit(lambda partner=partner: sync(client, partner), partner, trigger)
                commit()
            return logs
        if not consent and not self._nmbrs_has_soap_login():
            # A REST-only company: each relation no consent covers says so (its debtor's consent is missing).
            return self._nmbrs_sync_without_route(relations, trigger)
        return self._nmbrs_sync_source(consent, trigger, sync_each)

    def _nmbrs_sync_source(self, consent, trigger, sync):
        """``sync(client)`` over ``consent``; the SOAP connection failing stops the company's sync (raised),
        a consent failing only its own debtors (a failed log line)."""
        try:
            with self._nmbrs_client_over(consent) as client:
                return sync(client)
        except CONNECTION_ERRORS as error:
            if not consent:
                raise
            return self._nmbrs_consent_sync_failed(consent, error, trigger)

    def _nmbrs_consent_sync_failed(self, consent, error, trigger):
        self._nmbrs_log_error(error, 'relation sync')
        message = '%s: %s' % (consent.name, self._nmbrs_error_message(error))
        self._nmbrs_report_failure(self.partner_id, 'company_sync', message)
        return self.env['nmbrs.sync.log'].create({
            'company_id': self.id, 'kind': 'relations', 'trigger': trigger, 'state': 'failed', 'error': message,
            **self._nmbrs_error_details(error)})

    def _nmbrs_sync_without_route(self, relations, trigger):
        """The relations of a REST-only company that no consent covers: each fails, saying which consent is missing."""
        error = NmbrsNoRoute('No consent covers the debtor and there is no SOAP login.')
        logs = self.env['nmbrs.sync.log']
        for partner in relations:
            partner._nmbrs_mark_sync_failed(error)
            logs |= logs.create({'company_id': self.id, 'partner_id': partner.id, 'kind': 'relations',
                                 'trigger': trigger, 'state': 'failed', 'error': partner.nmbrs_sync_error})
        return logs

    def _nmbrs_sync_unit(self, sync, partner, trigger, name=None):
        """Run ``sync`` (one relation's sync, returning the relations it synced) isolated; its log line.

        A failure that every relation would meet (e.g. a refused login) is
        raised: the company's sync stops. Any other failure is this relation's alone.
        """
        log_values = {'company_id': self.id, 'partner_id': partner.id, 'kind': 'relations', 'trigger': trigger}
        try:
            with self.env.cr.savepoint():
                synced = sync()
        except CONNECTION_ERRORS:
            raise
        except Exception as error:  # noqa: BLE001 - one relation must never stop the others
            if not (partner and isinstance(error, NmbrsError)):  # _nmbrs_mark_sync_failed logs those
                self._nmbrs_log_error(error, 'relation sync', partner or None)
            message = self._nmbrs_error_message(error)
            if partner:
                partner._nmbrs_mark_sync_failed(error)
            else:
                message = '%s: %s' % (name, message)
                self._nmbrs_report_failure(self.partner_id, 'company_sync', message)
            return self.env['nmbrs.sync.log'].create({
                **log_values, 'state': 'failed', 'error': message, **self._nmbrs_error_details(error)})
        failed = synced.filtered(lambda relation: relation.nmbrs_sync_state == 'error')
        # A successful sync closes the open To-Dos of what it synced, whoever started it.
        for relation in synced - failed:
            self._nmbrs_resolve_failure(relation, 'relation_sync')
        return self.env['nmbrs.sync.log'].create({
            **log_values, 'partner_id': (partner or synced[:1]).id,
            'state': 'failed' if failed else 'done', 'error': failed[:1].nmbrs_sync_error or False})

    def _nmbrs_sync_relations_isolated(self, partners=None, trigger='cron'):
        """The relation sync of this company in the cron: nothing it raises stops the cron.

        Returns (sync log lines, None) or (failure log line, error).
        """
        self.ensure_one()
        company = self.with_company(self)
        cr = self.env.cr
        try:
            logs = company._nmbrs_sync_relations(partners, trigger=trigger, commit=cr.commit)
        except Exception as error:  # noqa: BLE001 - one company must never stop the others
            cr.rollback()
            company = company._nmbrs_in_stored_lang()
            company._nmbrs_log_error(error, 'relation sync')
            message = company._nmbrs_error_message(error)
            company._nmbrs_report_failure(company.partner_id, 'company_sync', message)
            # Given a date all the same, so it is not first in line again every day.
            company.nmbrs_relation_sync_date = fields.Datetime.now()
            log = company.env['nmbrs.sync.log'].create({
                'company_id': company.id, 'kind': 'relations', 'trigger': trigger, 'state': 'failed',
                'error': message, **company._nmbrs_error_details(error)})
            cr.commit()
            return log, error
        # A Nmbrs company that could not become a relation keeps the company's To-Do open.
        if partners is None and not logs.filtered(lambda log: log.state == 'failed' and not log.partner_id):
            company._nmbrs_resolve_failure(company.partner_id, 'company_sync')
        cr.commit()
        return logs, None

    @api.model
    def _cron_nmbrs_sync_relations(self):
        """The relation syncs users asked for, then the daily sync of every connected company.

        One company's failure, expected or not, never stops the others.
        """
        cron = self.env['ir.cron']
        requests = self.env['nmbrs.sync.request'].search([('kind', '=', 'relations'), ('state', '=', 'queued')])
        due = self.search([
            ('nmbrs_state', '=', 'connected'), '|', ('nmbrs_relation_sync_date', '=', False),
            ('nmbrs_relation_sync_date', '<', fields.Datetime.now() - RESYNC_AFTER),
        ], order='nmbrs_relation_sync_date asc nulls first')
        cron._commit_progress(remaining=len(requests) + len(due))
        for request in requests:
            request._nmbrs_sync_relations()
            if not cron._commit_progress(1):
                return
        for company in due:
            company._nmbrs_sync_relations_isolated()
            if not cron._commit_progress(1):
                break

    def _nmbrs_relation_sync_report(self, logs, error):
        """The inbox message about a relation sync a user asked for."""
        _ = self.env._
        if error:
            return Markup('<p>%s</p>') % _("The Nmbrs relation sync failed: %(reason)s",
                                           reason=self._nmbrs_error_message(error))
        failed = logs.filtered(lambda log: log.state == 'failed')
        body = Markup('<p>%s</p>') % _("Nmbrs relation sync done: %(relations)s in step with Nmbrs.",
                                       relations=counted_words.relations(self.env, len(logs - failed)))
        if failed:
            body += Markup('<p>%s</p>') % _("These relations could not be synced:")
            body += self.env['nmbrs.sync.request']._nmbrs_table(
                (log.partner_id.display_name or '-', log.error) for log in failed)
        return body

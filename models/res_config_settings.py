from odoo import fields, models

from . import counted_words
from .res_company_connection import SOFT_RELOAD


class ResConfigSettings(models.TransientModel):
    """The Nmbrs settings of the company chosen in the company switcher."""
    _inherit = 'res.config.settings'

    nmbrs_username = fields.Char(related='company_id.nmbrs_username', readonly=False)
    nmbrs_token = fields.Char(related='company_id.nmbrs_token', readonly=False)
    nmbrs_tenant_key = fields.Char(related='company_id.nmbrs_tenant_key', readonly=False)
    nmbrs_tenant_name = fields.Char(related='company_id.nmbrs_tenant_name', readonly=False)
    nmbrs_environment = fields.Selection(related='company_id.nmbrs_environment', readonly=False)
    nmbrs_api_url = fields.Char(related='company_id.nmbrs_api_url', readonly=False)
    nmbrs_state = fields.Selection(related='company_id.nmbrs_state')
    nmbrs_connected_date = fields.Datetime(related='company_id.nmbrs_connected_date')
    nmbrs_connected_uid = fields.Many2one(related='company_id.nmbrs_connected_uid')
    nmbrs_last_test_result = fields.Selection(related='company_id.nmbrs_last_test_result')
    nmbrs_last_test_date = fields.Datetime(related='company_id.nmbrs_last_test_date')
    nmbrs_sync_direction = fields.Selection(related='company_id.nmbrs_sync_direction', readonly=False)
    nmbrs_direct_sync = fields.Boolean(related='company_id.nmbrs_direct_sync', readonly=False)
    nmbrs_numbers_must_match = fields.Boolean(related='company_id.nmbrs_numbers_must_match', readonly=False)
    nmbrs_relation_sync_date = fields.Datetime(related='company_id.nmbrs_relation_sync_date')
    nmbrs_import_wage_tax = fields.Boolean(related='company_id.nmbrs_import_wage_tax', readonly=False)
    nmbrs_import_payslips = fields.Boolean(related='company_id.nmbrs_import_payslips', readonly=False)
    nmbrs_import_sepa = fields.Boolean(related='company_id.nmbrs_import_sepa', readonly=False)
    nmbrs_import_journals = fields.Boolean(related='company_id.nmbrs_import_journals', readonly=False)
    nmbrs_wage_tax_rule = fields.Selection(related='company_id.nmbrs_wage_tax_rule', readonly=False)
    nmbrs_wage_tax_status_ids = fields.Many2many(related='company_id.nmbrs_wage_tax_status_ids', readonly=False)
    nmbrs_window_start = fields.Float(related='company_id.nmbrs_window_start', readonly=False)
    nmbrs_window_end = fields.Float(related='company_id.nmbrs_window_end', readonly=False)
    nmbrs_first_day = fields.Integer(related='company_id.nmbrs_first_day', readonly=False)
    nmbrs_last_day = fields.Integer(related='company_id.nmbrs_last_day', readonly=False)
    nmbrs_responsible_user_id = fields.Many2one(related='company_id.nmbrs_responsible_user_id', readonly=False)
    nmbrs_rest_client_id = fields.Char(related='company_id.nmbrs_rest_client_id', readonly=False)
    nmbrs_rest_client_secret = fields.Char(related='company_id.nmbrs_rest_client_secret', readonly=False)
    nmbrs_rest_subscription_key = fields.Char(related='company_id.nmbrs_rest_subscription_key', readonly=False)
    nmbrs_rest_environment = fields.Selection(related='company_id.nmbrs_rest_environment', readonly=False)
    nmbrs_rest_identity_url = fields.Char(related='company_id.nmbrs_rest_identity_url', readonly=False)
    nmbrs_rest_api_url = fields.Char(related='company_id.nmbrs_rest_api_url', readonly=False)
    nmbrs_rest_callback_url = fields.Char(
        'Callback URL', compute='_compute_nmbrs_rest_callback_url',
        help="Register this address with the app in the Nmbrs partner portal: Nmbrs sends the user back here "
             "after consent.")
    nmbrs_debtors_without_consent_count = fields.Integer(
        'Debtors without a consent', compute='_compute_nmbrs_consent_counts')
    nmbrs_rest_progress = fields.Char('Move to REST', compute='_compute_nmbrs_consent_counts')
    nmbrs_has_rest_relations = fields.Boolean(
        'Relations on Nmbrs REST', compute='_compute_nmbrs_has_rest_relations',
        help="Some relations are synced over Nmbrs REST, which cannot change a company's address or a debtor's name.")
    nmbrs_pairing_count = fields.Integer('Relations that need a choice', compute='_compute_nmbrs_consent_counts')
    nmbrs_pairing_text = fields.Char('Relations to pair', compute='_compute_nmbrs_consent_counts')

    def _compute_nmbrs_rest_callback_url(self):
        for settings in self:
            settings.nmbrs_rest_callback_url = settings.company_id._nmbrs_rest_callback_url()

    def _compute_nmbrs_consent_counts(self):
        for settings in self:
            company = [('company_id', '=', settings.company_id.id)]
            settings.nmbrs_debtors_without_consent_count = self.env['nmbrs.debtor.without.consent'].search_count(
                company)
            settings.nmbrs_rest_progress = settings.company_id._nmbrs_rest_progress()
            settings.nmbrs_pairing_count = self.env['nmbrs.pairing'].search_count(
                company + self.env['nmbrs.pairing']._nmbrs_waiting())
            settings.nmbrs_pairing_text = counted_words.relations_need_a_choice(
                self.env, settings.nmbrs_pairing_count)

    def _compute_nmbrs_has_rest_relations(self):
        for settings in self:
            company = settings.company_id
            covered = company._nmbrs_active_consents().debtor_ids.mapped('number')
            settings.nmbrs_has_rest_relations = bool(covered) and bool(self.env['nmbrs.link'].sudo().search_count([
                ('company_id', '=', company.id), ('nmbrs_company_guid', '!=', False),
                ('nmbrs_debtor_number', 'in', covered)], limit=1))

    def action_nmbrs_test_connection(self):
        """Save the settings and test the connection: one click.

        The button skips the "save your changes?" dialog (noSaveDialog), which
        saved without testing: the web client stores this record, and execute()
        applies it as Save does. The soft reload shows the outcome beside the
        connection state.
        """
        self.ensure_one()
        self.execute()
        ok, message = self.company_id._nmbrs_test_connection()
        return self.company_id._nmbrs_notification(ok, message, next_action=SOFT_RELOAD)

    def action_nmbrs_connect(self):
        """Save the settings, then test and connect: one click, as "Test connection"."""
        self.ensure_one()
        self.execute()
        ok, message = self.company_id._nmbrs_connect()
        return self.company_id._nmbrs_notification(ok, message, next_action=SOFT_RELOAD)

    def action_nmbrs_disconnect(self):
        self.ensure_one()
        self.company_id._nmbrs_disconnect()
        return self.company_id._nmbrs_notification(
            True, self.env._("Disconnected from Nmbrs. Imported documents and relation links are kept."),
            next_action=SOFT_RELOAD)

    def action_nmbrs_add_consent(self):
        self.ensure_one()
        return self.env['nmbrs.consent'].with_company(self.company_id).action_nmbrs_add_consent()

    def action_nmbrs_pairings(self):
        self.ensure_one()
        return self.env['nmbrs.pairing']._nmbrs_action([('company_id', '=', self.company_id.id)])

    def action_nmbrs_sync_relations(self):
        """Start this company's relation sync in the background, once a quick check says Nmbrs lets us in."""
        self.ensure_one()
        company = self.company_id
        ok, message = company._nmbrs_test_connection()
        if not ok:
            return company._nmbrs_notification(False, message)
        self.env['nmbrs.sync.request']._nmbrs_start(company, 'relations')
        return company._nmbrs_notification(True, self.env._(
            "The relation sync started in the background. You get a message in your inbox when it is done."))

    def action_nmbrs_import_documents(self):
        """Start the import of every linked relation's payroll documents in the background.

        A quick connection check first, so a wrong login or tenant key is told at once.
        """
        self.ensure_one()
        company = self.company_id
        if not company._nmbrs_wanted_document_types():
            return company._nmbrs_notification(False, self.env._(
                "Switch on at least one kind of document to import first."))
        relations = company._nmbrs_linked_relations()
        if not relations:
            return company._nmbrs_notification(False, self.env._(
                "No relation is linked to a Nmbrs company yet. Link relations first, or sync the relations."))
        ok, message = company._nmbrs_test_connection()
        if not ok:
            return company._nmbrs_notification(False, message)
        self.env['nmbrs.sync.request']._nmbrs_start(company, 'documents')
        return company._nmbrs_notification(True, self.env._(
            "The import of the payroll documents of %(relations)s started in the background. You get a "
            "message in your inbox when it is done.", relations=counted_words.relations(self.env, len(relations))))

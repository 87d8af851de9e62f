from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models import counted_words
from ..nmbrs import api_facts

# Up to this many relations are fetched while the user waits; more go to the background.
INTERACTIVE_RELATION_LIMIT = 5


class NmbrsAnnualDocumentsWizard(models.TransientModel):
    """Fetch the annual documents (jaarwerk) of a year from Nmbrs for many relations at once."""
    _name = 'nmbrs.annual.documents.wizard'
    _description = 'Fetch Nmbrs annual documents'

    all_relations = fields.Boolean(
        'All linked relations', help="Every relation of this company that is linked to a Nmbrs company.")
    partner_ids = fields.Many2many(
        'res.partner', 'nmbrs_annual_wizard_partner_rel', 'wizard_id', 'partner_id', string='Relations')
    relation_count = fields.Integer('Number of relations', compute='_compute_relation_count')
    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year - 1)
    kind_ids = fields.Many2many(
        'nmbrs.annual.document.kind', 'nmbrs_annual_wizard_kind_rel', 'wizard_id', 'kind_id',
        string='Documents', domain=lambda self: self._nmbrs_offered_kinds_domain(),
        default=lambda self: self.env['nmbrs.annual.document.kind'].search(
            self._nmbrs_offered_kinds_domain() + [('default_selected', '=', True)]))
    soap_ended = fields.Boolean('Nmbrs SOAP ended', compute='_compute_soap_ended')
    state = fields.Selection([('choose', 'Choose'), ('result', 'Result')], default='choose', required=True)
    request_id = fields.Many2one('nmbrs.annual.request', readonly=True)
    line_ids = fields.One2many(related='request_id.line_ids', string='Results')
    summary = fields.Char(compute='_compute_summary')

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get('active_model') == 'res.partner' and context.get('active_ids') and 'partner_ids' in fields_list:
            values['partner_ids'] = [Command.set(context['active_ids'])]
        return values

    @api.model
    def _nmbrs_soap_ended(self):
        return fields.Date.context_today(self) >= api_facts.SOAP_END_DATE

    @api.model
    def _nmbrs_offered_kinds_domain(self):
        """Once SOAP has ended, only the employees' annual statements: Nmbrs has no company ones over REST."""
        return [('per_employee', '=', True)] if self._nmbrs_soap_ended() else []

    def _compute_soap_ended(self):
        self.soap_ended = self._nmbrs_soap_ended()

    @api.depends('all_relations', 'partner_ids')
    def _compute_relation_count(self):
        for wizard in self:
            wizard.relation_count = len(wizard._nmbrs_relations())

    @api.depends('request_id.line_ids.state')
    def _compute_summary(self):
        for wizard in self:
            lines = wizard.request_id.line_ids
            wizard.summary = self.env._(
                "Fetched from Nmbrs: %(documents)s. Already in Odoo: %(existing)s.",
                documents=counted_words.documents(self.env, sum(lines.mapped('fetched_count'))),
                existing=sum(lines.mapped('existing_count')))

    def _nmbrs_relations(self):
        self.ensure_one()
        if self.all_relations:
            return self.env.company._nmbrs_linked_relations()
        return self.partner_ids

    def action_fetch(self):
        """Fetch now for a few relations and show the result; queue a larger selection for the cron."""
        self.ensure_one()
        self.env['res.partner']._nmbrs_check_sync_allowed()
        relations = self._nmbrs_relations()
        if not relations:
            raise UserError(self.env._("Select at least one relation that is linked to Nmbrs."))
        if not self.kind_ids:
            raise UserError(self.env._("Select at least one kind of annual document."))
        if self._nmbrs_soap_ended() and not all(self.kind_ids.mapped('per_employee')):
            raise UserError(self.env._(
                "Since 1 March 2027 Nmbrs no longer offers the company annual documents through its API. Choose "
                "the employees' annual statements, or download the company documents in Nmbrs itself."))
        if not 2000 <= self.year <= fields.Date.context_today(self).year:
            raise UserError(self.env._("Choose a year between 2000 and this year."))
        request = self.env['nmbrs.annual.request'].create({
            'year': self.year,
            'kind_ids': [Command.set(self.kind_ids.ids)],
            'line_ids': [Command.create({'partner_id': partner.id}) for partner in relations],
        })
        if len(relations) <= INTERACTIVE_RELATION_LIMIT:
            request._nmbrs_process()
            self.write({'state': 'result', 'request_id': request.id})
            return {
                'type': 'ir.actions.act_window',
                'res_model': self._name,
                'res_id': self.id,
                'view_mode': 'form',
                'target': 'new',
                'name': self.env._("Annual documents %(year)s", year=self.year),
            }
        self.env.ref('nmbrs_connector.ir_cron_nmbrs_annual_documents')._trigger()
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'title': self.env._("Annual documents %(year)s", year=self.year),
                'message': self.env._(
                    "Fetching the annual documents of %(relations)s in the background. "
                    "You get a message in your inbox when it is done.",
                    relations=counted_words.relations(self.env, len(relations))),
                'type': 'info',
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }

    def action_open_documents(self):
        """The annual documents of the relations in the result, as stored in Odoo."""
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Annual documents %(year)s", year=self.year),
            'res_model': 'nmbrs.document',
            'view_mode': 'list,form',
            'domain': [('document_type', '=', 'annual'), ('year', '=', self.year),
                       ('partner_id', 'in', self.request_id.line_ids.partner_id.ids)],
        }

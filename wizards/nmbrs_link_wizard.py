from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.nmbrs_relation_values import name_similarity, normalize_kvk, same_email
from ..nmbrs.errors import NmbrsError
from ..nmbrs.records import Company, Debtor, Employee

# A score from this on is a strong match: proposed ticked. Anything weaker waits for the user.
STRONG_SCORE = 90
# Below this name similarity two names are not worth proposing on their name alone.
MIN_NAME_SIMILARITY = 0.6
CANDIDATES_PER_RELATION = 5


class NmbrsLinkWizard(models.TransientModel):
    """Proposes, for each relation, the Nmbrs company or employee it most likely is.

    Company relations are matched with Nmbrs companies, persons with the employees
    of the Nmbrs company their company relation is linked to. Only strong matches
    are ticked; nothing is linked before the user confirms.
    """
    _name = 'nmbrs.link.wizard'
    _description = 'Link relations to Nmbrs'

    partner_ids = fields.Many2many('res.partner', string='Relations')
    line_ids = fields.One2many('nmbrs.link.wizard.line', 'wizard_id', string='Proposed links')
    single = fields.Boolean(compute='_compute_single')
    unmatched = fields.Text('Relations without a proposal', readonly=True)

    @api.depends('partner_ids')
    def _compute_single(self):
        for wizard in self:
            wizard.single = len(wizard.partner_ids) == 1

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get('active_model') != 'res.partner' or not context.get('active_ids'):
            return values
        partners = self.env['res.partner'].browse(context['active_ids'])
        self.env['res.partner']._nmbrs_check_sync_allowed()
        try:
            lines, unmatched = self._nmbrs_proposals(partners)
        except NmbrsError as error:
            raise UserError(self.env.company._nmbrs_error_message(error)) from None
        values.update({
            'partner_ids': [Command.set(partners.ids)],
            'line_ids': [Command.create(line) for line in lines],
            'unmatched': '\n'.join(unmatched.mapped('display_name')) or False,
        })
        return values

    @api.model
    def _nmbrs_proposals(self, partners):
        """The proposed lines (dicts, best first) and the relations nothing was found for."""
        company = self.env.company
        per_relation = CANDIDATES_PER_RELATION if len(partners) == 1 else 1
        taken = self._nmbrs_taken_ids(partners)
        candidates = _Candidates(company)
        lines, unmatched, ticked = [], self.env['res.partner'], set()
        with company._nmbrs_client() as client:
            for partner in partners:
                ranked = sorted(
                    (match for match in (self._nmbrs_score(partner, candidate, company.nmbrs_numbers_must_match)
                                         for candidate in candidates.for_partner(client, partner)
                                         if (candidate['kind'], candidate['nmbrs_id']) not in taken)
                     if match),
                    key=lambda match: -match['score'])[:per_relation]
                if not ranked:
                    unmatched |= partner
                for index, match in enumerate(ranked):
                    key = (match['kind'], match['nmbrs_id'])
                    match['selected'] = index == 0 and match['score'] >= STRONG_SCORE and key not in ticked
                    if match['selected']:
                        ticked.add(key)
                    lines.append(dict(match, partner_id=partner.id))
        return lines, unmatched

    @api.model
    def _nmbrs_taken_ids(self, partners):
        """(kind, id) of the Nmbrs records already linked to other relations of this company."""
        others = self.env['res.partner'].search([('nmbrs_linked', '=', True), ('id', 'not in', partners.ids)])
        return ({('company', nmbrs_id) for nmbrs_id in others.mapped('nmbrs_company_id') if nmbrs_id}
                | {('employee', nmbrs_id) for nmbrs_id in others.mapped('nmbrs_employee_id') if nmbrs_id})

    @api.model
    def _nmbrs_score(self, partner, candidate, numbers_must_match):
        """A proposal dict with a score (0-100) and the reasons for it, or None when nothing matches."""
        _ = self.env._
        signals = []
        reference = (partner.ref or '').strip()
        number = next((number for number in candidate['numbers'] if number and str(number) == reference), None)
        if number:
            signals.append((100, _("same number %(number)s", number=number)))
        elif numbers_must_match:
            return None
        kvk = normalize_kvk(partner.company_registry)
        if kvk and kvk == normalize_kvk(candidate.get('kvk')):
            signals.append((100, _("same KvK number")))
        similarity = name_similarity(partner.name, candidate['nmbrs_name'])
        if similarity == 1.0:
            signals.append((STRONG_SCORE, _("same name")))
        elif similarity >= MIN_NAME_SIMILARITY:
            signals.append((int(similarity * 80), _("similar name (%(percent)s%%)", percent=int(similarity * 100))))
        if any(same_email(partner.email, email) for email in candidate.get('emails', ())):
            signals.append((80, _("same e-mail")))
        if not signals:
            return None
        best = max(score for score, _reason in signals)
        values = {key: candidate[key] for key in ('kind', 'nmbrs_id', 'nmbrs_number', 'nmbrs_name',
                                                  'debtor_id', 'debtor_number')}
        # Every further signal that agrees makes the match more certain.
        values.update(score=min(100, best + 10 * (len(signals) - 1)),
                      reason=', '.join(reason for _score, reason in signals))
        return values

    def action_link(self):
        """Link every ticked proposal."""
        self.ensure_one()
        selected = self.line_ids.filtered('selected')
        if not selected:
            raise UserError(self.env._("Tick the proposals to link first."))
        for partner in selected.partner_id:
            if len(selected.filtered(lambda line: line.partner_id == partner)) > 1:
                raise UserError(self.env._("%(relation)s can be linked to one Nmbrs record only: untick the others.",
                                           relation=partner.display_name))
        for line in selected:
            line._link()
        return self.env.company._nmbrs_notification(
            True, self.env._("%(count)s relations linked to Nmbrs.", count=len(selected)),
            next_action={'type': 'ir.actions.act_window_close'})


class NmbrsLinkWizardLine(models.TransientModel):
    _name = 'nmbrs.link.wizard.line'
    _description = 'Proposed link of a relation to Nmbrs'
    _order = 'partner_id, score desc'

    wizard_id = fields.Many2one('nmbrs.link.wizard', required=True, ondelete='cascade')
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, readonly=True)
    selected = fields.Boolean('Link')
    kind = fields.Selection([('company', 'Company'), ('employee', 'Employee')], 'Nmbrs record', readonly=True)
    nmbrs_id = fields.Integer('Nmbrs ID', readonly=True)
    nmbrs_number = fields.Char('Nmbrs number', readonly=True)
    nmbrs_name = fields.Char('Name in Nmbrs', readonly=True)
    debtor_id = fields.Integer('Nmbrs debtor ID', readonly=True)
    debtor_number = fields.Char('Nmbrs debtor number', readonly=True)
    score = fields.Integer(readonly=True, help="How sure the match is, from 0 to 100; from 90 on it is a strong match.")
    reason = fields.Char('Why', readonly=True)

    def _link(self):
        self.ensure_one()
        if self.kind == 'company':
            self.partner_id._nmbrs_link_company(
                Company(id=self.nmbrs_id, number=int(self.nmbrs_number or 0) or None, name=self.nmbrs_name),
                Debtor(id=self.debtor_id, number=self.debtor_number))
        else:
            self.partner_id._nmbrs_link_employee(
                Employee(id=self.nmbrs_id, number=int(self.nmbrs_number or 0) or None, display_name=self.nmbrs_name))


class _Candidates:
    """The Nmbrs companies and employees a relation may be, fetched once per wizard."""

    def __init__(self, company):
        self.company = company
        self._companies = None
        self._employees = {}

    def for_partner(self, client, partner):
        if partner.is_company:
            return self._company_candidates(client)
        nmbrs_company_id = partner.parent_id.nmbrs_company_id
        if not nmbrs_company_id:
            return []
        return self._employee_candidates(client, nmbrs_company_id, with_emails=bool(partner.email))

    def _company_candidates(self, client):
        if self._companies is None:
            self._companies = [{
                'kind': 'company', 'nmbrs_id': company.id, 'nmbrs_number': str(company.number or ''),
                'nmbrs_name': company.name, 'debtor_id': debtor.id, 'debtor_number': debtor.number,
                'numbers': (company.number, debtor.number), 'kvk': company.kvk_number,
                'emails': (company.email,),
            } for company, debtor in self.company._nmbrs_companies_with_debtors(client)]
        return self._companies

    def _employee_candidates(self, client, nmbrs_company_id, with_emails):
        cached = self._employees.get(nmbrs_company_id)
        if cached is None or (with_emails and not cached[1]):
            employees = [{
                'kind': 'employee', 'nmbrs_id': employee.id, 'nmbrs_number': str(employee.number or ''),
                'nmbrs_name': employee.display_name, 'debtor_id': 0, 'debtor_number': False,
                'numbers': (employee.number,), 'emails': (),
            } for employee in client.all_employees(nmbrs_company_id)]
            if with_emails:
                # E-mail addresses are only in the personal info: one call per employee.
                for candidate in employees:
                    info = client.personal_info(candidate['nmbrs_id'])
                    candidate['emails'] = (info.email_work, info.email_private) if info else ()
            cached = self._employees[nmbrs_company_id] = (employees, with_emails)
        return cached[0]

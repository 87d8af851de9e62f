import contextlib

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.nmbrs_relation_values import name_similarity, normalize_kvk, same_email
from ..nmbrs.errors import NmbrsError
from ..nmbrs.records import Company, Debtor, Employee

# A score from this on is a strong match: ticked, when more than the name agrees. Anything weaker waits for the user.
STRONG_SCORE = 90
# The same name alone stays below a strong match: two relations may well share a name.
SAME_NAME_SCORE = 80
# Below this name similarity two names are not worth proposing on their name alone.
MIN_NAME_SIMILARITY = 0.6
CANDIDATES_PER_RELATION = 5


class NmbrsLinkWizard(models.TransientModel):
    """Proposes, for each relation, the Nmbrs company or employee it most likely is.

    Company relations are matched with Nmbrs companies, persons with the employees
    of the Nmbrs company their company relation is linked to. The proposals are
    made and stored on the server before the wizard opens, so linking only needs
    the user's ticks. Only strong matches are ticked, each Nmbrs record for the
    relation that matches it best; nothing is linked before the user confirms.
    A company without a SOAP login (REST only) is proposed what its consents
    show, and its relations are linked by their REST ids.
    """
    _name = 'nmbrs.link.wizard'
    _description = 'Link relations to Nmbrs'

    partner_ids = fields.Many2many('res.partner', string='Relations')
    line_ids = fields.One2many('nmbrs.link.wizard.line', 'wizard_id', string='Proposed links')
    single = fields.Boolean(compute='_compute_single')
    linked_notes = fields.Text('Already linked', readonly=True)
    unmatched = fields.Text('Relations without a proposal', readonly=True)

    @api.depends('partner_ids')
    def _compute_single(self):
        for wizard in self:
            wizard.single = len(wizard.partner_ids) == 1

    @api.model
    def _nmbrs_create_for(self, partners):
        """A wizard with the proposals for ``partners``, asked from Nmbrs now."""
        company = partners._nmbrs_check_sync_allowed()
        try:
            lines, notes, unmatched = self._nmbrs_proposals(partners)
        except NmbrsError as error:
            raise UserError(company._nmbrs_error_message(error)) from None
        return self.create({
            'partner_ids': partners.ids,
            'line_ids': [fields.Command.create(line) for line in lines],
            'linked_notes': '\n'.join(notes) or False,
            'unmatched': '\n'.join(unmatched.mapped('display_name')) or False,
        })

    @api.model
    def _nmbrs_proposals(self, partners):
        """The proposed lines (dicts), the notes about Nmbrs records linked already, and the relations
        nothing was found for."""
        company = self.env.company
        per_relation = CANDIDATES_PER_RELATION if len(partners) == 1 else 1
        owners = self._nmbrs_link_owners()
        lines, notes, unmatched = [], [], self.env['res.partner']
        with contextlib.ExitStack() as stack:
            candidates = _Candidates(company, [stack.enter_context(company._nmbrs_client_over(consent))
                                               for consent in self._nmbrs_consents_asked(company)])
            for partner in partners:
                if partner.nmbrs_linked:
                    notes.append(self._nmbrs_linked_note(candidates, partner))
                    continue
                ranked = sorted(
                    (match for match in (self._nmbrs_score(partner, candidate, company.nmbrs_numbers_must_match)
                                         for candidate in candidates.for_partner(partner))
                     if match),
                    # Of equal matches, a free one comes first.
                    key=lambda match: (-match['score'], _key(match) in owners))
                best = ranked[0] if ranked else None
                # When another relation holds the best match, this one may well be a duplicate of it:
                # say so rather than propose the weaker rest.
                if best and _key(best) in owners and best['score'] >= SAME_NAME_SCORE:
                    notes.append(self.env._(
                        "%(nmbrs)s is already linked to relation %(owner)s: is %(relation)s a duplicate of it?",
                        nmbrs=best['nmbrs_name'], owner=owners[_key(best)].display_name,
                        relation=partner.display_name))
                    continue
                free = [match for match in ranked if _key(match) not in owners]
                if not free:
                    unmatched |= partner
                lines += [dict(match, partner_id=partner.id) for match in free[:per_relation]]
        self._nmbrs_tick_best(lines)
        for line in lines:
            del line['decisive']
        return lines, notes, unmatched

    @api.model
    def _nmbrs_consents_asked(self, company):
        """Who proposes: the SOAP login (an empty consent), or without one each active consent (REST only)."""
        if company._nmbrs_has_soap_login():
            return [self.env['nmbrs.consent']]
        return list(company._nmbrs_active_consents())

    @api.model
    def _nmbrs_link_owners(self):
        """{(kind, Nmbrs id): relation} of every Nmbrs company and employee linked in this Odoo company,
        by SOAP id and by REST id."""
        linked = self.env['res.partner'].with_context(active_test=False).search([('nmbrs_linked', '=', True)])
        owners = {}
        for kind, fields_of_kind in (('company', ('nmbrs_company_id', 'nmbrs_company_guid')),
                                     ('employee', ('nmbrs_employee_id', 'nmbrs_employee_guid'))):
            owners.update(((kind, partner[field]), partner)
                          for field in fields_of_kind for partner in linked if partner[field])
        return owners

    @api.model
    def _nmbrs_linked_note(self, candidates, partner):
        """What a relation that is linked already is linked to."""
        if partner.nmbrs_company_id or partner.nmbrs_company_guid:
            kind, nmbrs_ids = 'company', {partner.nmbrs_company_id, partner.nmbrs_company_guid}
        else:
            kind, nmbrs_ids = 'employee', {partner.nmbrs_employee_id, partner.nmbrs_employee_guid}
        nmbrs_id = partner.nmbrs_company_id or partner.nmbrs_company_guid or partner.nmbrs_employee_id \
            or partner.nmbrs_employee_guid
        current = next((candidate for candidate in candidates.for_partner(partner)
                        if _key(candidate)[0] == kind and _key(candidate)[1] in nmbrs_ids), None)
        return self.env._(
            "%(relation)s is already linked to %(nmbrs)s in Nmbrs. To link it to another Nmbrs record, "
            "clear its link on the Nmbrs tab first.", relation=partner.display_name,
            nmbrs=current['nmbrs_name'] if current else nmbrs_id)

    @api.model
    def _nmbrs_tick_best(self, lines):
        """Tick, per Nmbrs record and per relation, the one strong match that scores best.

        Strong means a score from STRONG_SCORE on with more than the name agreeing.
        An equal score for the same Nmbrs record or relation leaves the choice to the
        user; a line whose Nmbrs record went to a better match names that relation.
        """
        for line in lines:
            line['selected'] = False
        strong = sorted((line for line in lines if line['score'] >= STRONG_SCORE and line['decisive']),
                        key=lambda line: -line['score'])
        ticked_partners, ticked_keys = set(), {}
        for line in strong:
            if line['partner_id'] in ticked_partners or _key(line) in ticked_keys:
                continue
            tie = any(other is not line and other['score'] == line['score']
                      and other['partner_id'] not in ticked_partners and _key(other) not in ticked_keys
                      and (other['partner_id'] == line['partner_id'] or _key(other) == _key(line))
                      for other in strong)
            if not tie:
                line['selected'] = True
                ticked_partners.add(line['partner_id'])
                ticked_keys[_key(line)] = line['partner_id']
        partners = self.env['res.partner'].browse(ticked_keys.values())
        for line in lines:
            winner = ticked_keys.get(_key(line))
            if winner and winner != line['partner_id']:
                line['reason'] = self.env._("%(reason)s; relation %(relation)s matches better", reason=line['reason'],
                                            relation=partners.browse(winner).display_name)

    @api.model
    def _nmbrs_score(self, partner, candidate, numbers_must_match):
        """A proposal dict with a score (0-100) and the reasons for it, or None when nothing matches.

        ``decisive`` says whether more than the name agrees: a name alone is never ticked.
        """
        _ = self.env._
        signals = []  # (score, reason, decisive)
        reference = (partner.ref or '').strip()
        number = next((number for number in candidate['numbers'] if number and str(number) == reference), None)
        if number:
            signals.append((100, _("same number %(number)s", number=number), True))
        elif numbers_must_match:
            return None
        kvk = normalize_kvk(partner.company_registry)
        if kvk and kvk == normalize_kvk(candidate.get('kvk')):
            signals.append((100, _("same KvK number"), True))
        similarity = name_similarity(partner.name, candidate['nmbrs_name'])
        if similarity == 1.0:
            signals.append((SAME_NAME_SCORE, _("same name"), False))
        elif similarity >= MIN_NAME_SIMILARITY:
            signals.append((int(similarity * SAME_NAME_SCORE),
                            _("similar name (%(percent)s%%)", percent=int(similarity * 100)), False))
        if any(same_email(partner.email, email) for email in candidate.get('emails', ())):
            signals.append((80, _("same e-mail"), True))
        if not signals:
            return None
        best = max(score for score, _reason, _decisive in signals)
        values = {key: candidate[key] for key in ('kind', 'nmbrs_id', 'nmbrs_guid', 'nmbrs_number', 'nmbrs_name',
                                                  'debtor_id', 'debtor_guid', 'debtor_number')}
        # Every further signal that agrees makes the match more certain.
        values.update(score=min(100, best + 10 * (len(signals) - 1)),
                      reason=', '.join(reason for _score, reason, _decisive in signals),
                      decisive=any(decisive for _score, _reason, decisive in signals))
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
            if len(selected.filtered(lambda other: _key(other) == _key(line))) > 1:
                raise UserError(self.env._("%(nmbrs)s can be linked to one relation only: untick the others.",
                                           nmbrs=line.nmbrs_name))
        for line in selected:
            line._link()
        if len(selected) == 1:
            message = self.env._("%(relation)s is linked to Nmbrs.", relation=selected.partner_id.display_name)
        else:
            message = self.env._("%(count)s relations are linked to Nmbrs.", count=len(selected))
        return self.env.company._nmbrs_notification(
            True, message, next_action={'type': 'ir.actions.act_window_close'})


def _key(match):
    """What a proposal links to: (kind, Nmbrs id: SOAP or REST), from a proposal dict or a wizard line."""
    return match['kind'], match['nmbrs_id'] or match['nmbrs_guid']


class NmbrsLinkWizardLine(models.TransientModel):
    _name = 'nmbrs.link.wizard.line'
    _description = 'Proposed link of a relation to Nmbrs'
    _order = 'partner_id, score desc'

    wizard_id = fields.Many2one('nmbrs.link.wizard', required=True, ondelete='cascade')
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, readonly=True)
    selected = fields.Boolean('Link')
    kind = fields.Selection([('company', 'Company'), ('employee', 'Employee')], 'Nmbrs record', readonly=True)
    nmbrs_id = fields.Integer('Nmbrs ID', readonly=True)
    nmbrs_guid = fields.Char('Nmbrs ID (REST)', readonly=True)
    nmbrs_number = fields.Char('Nmbrs number', readonly=True)
    nmbrs_name = fields.Char('Name in Nmbrs', readonly=True)
    debtor_id = fields.Integer('Nmbrs debtor ID', readonly=True)
    debtor_guid = fields.Char('Nmbrs debtor ID (REST)', readonly=True)
    debtor_number = fields.Char('Nmbrs debtor number', readonly=True)
    score = fields.Integer(readonly=True, help="How sure the match is, from 0 to 100; from 90 on it is a strong match.")
    reason = fields.Char('Why', readonly=True)

    def _link(self):
        self.ensure_one()
        # A proposal over REST holds GUIDs; the link takes them as REST ids.
        if self.kind == 'company':
            self.partner_id._nmbrs_link_company(
                Company(id=self.nmbrs_guid or self.nmbrs_id, number=int(self.nmbrs_number or 0) or None,
                        name=self.nmbrs_name),
                Debtor(id=self.debtor_guid or self.debtor_id, number=self.debtor_number))
        else:
            self.partner_id._nmbrs_link_employee(
                Employee(id=self.nmbrs_guid or self.nmbrs_id, number=int(self.nmbrs_number or 0) or None,
                         display_name=self.nmbrs_name))


class _Candidates:
    """The Nmbrs companies and employees a relation may be, fetched once per wizard from ``clients``:
    the SOAP client, or the REST client of each consent."""

    def __init__(self, company, clients):
        self.company = company
        self.clients = clients
        self._companies = None
        self._client_of = {}  # Nmbrs company id -> the client that showed it
        self._employees = {}

    def for_partner(self, partner):
        if partner.is_company:
            return self._company_candidates()
        parent = partner.parent_id
        self._company_candidates()
        nmbrs_company_id = next((ref for ref in (parent.nmbrs_company_id, parent.nmbrs_company_guid)
                                 if ref in self._client_of), None)
        if not nmbrs_company_id:
            return []
        return self._employee_candidates(self._client_of[nmbrs_company_id], nmbrs_company_id,
                                         with_emails=bool(partner.email))

    def _company_candidates(self):
        if self._companies is None:
            self._companies = []
            for client in self.clients:
                rest = client.protocol == 'rest'
                for company, debtor in self.company._nmbrs_companies_with_debtors(client):
                    self._client_of[company.id] = client
                    self._companies.append({
                        'kind': 'company', 'nmbrs_id': 0 if rest else company.id,
                        'nmbrs_guid': company.id if rest else False, 'nmbrs_number': str(company.number or ''),
                        'nmbrs_name': company.name, 'debtor_id': 0 if rest else debtor.id,
                        'debtor_guid': debtor.id if rest else False, 'debtor_number': debtor.number,
                        'numbers': (company.number, debtor.number), 'kvk': company.kvk_number,
                        'emails': (company.email,),
                    })
        return self._companies

    def _employee_candidates(self, client, nmbrs_company_id, with_emails):
        cached = self._employees.get(nmbrs_company_id)
        if cached is None or (with_emails and not cached[1]):
            rest = client.protocol == 'rest'
            employees = [{
                'kind': 'employee', 'nmbrs_id': 0 if rest else employee.id,
                'nmbrs_guid': employee.id if rest else False, 'nmbrs_number': str(employee.number or ''),
                'nmbrs_name': employee.display_name, 'debtor_id': 0, 'debtor_guid': False, 'debtor_number': False,
                'numbers': (employee.number,), 'emails': (),
            } for employee in client.all_employees(nmbrs_company_id)]
            if with_emails:
                # E-mail addresses are only in the personal info: one call per employee.
                for candidate in employees:
                    info = client.personal_info(candidate['nmbrs_guid'] or candidate['nmbrs_id'])
                    candidate['emails'] = (info.email_work, info.email_private) if info else ()
            cached = self._employees[nmbrs_company_id] = (employees, with_emails)
        return cached[0]

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..nmbrs.errors import NmbrsError
from . import counted_words
from .res_company_connection import SOFT_RELOAD

# Per kind of pairing: the link field that holds the REST id, and the number both protocols share.
KINDS = {'company': ('nmbrs_company_guid', 'nmbrs_company_number'),
         'employee': ('nmbrs_employee_guid', 'nmbrs_employee_number')}


class NmbrsPairing(models.Model):
    """A relation or employee contact the first REST contact could not pair with its Nmbrs record by number.

    Kept with the reason and the Nmbrs records it could be, until an Nmbrs
    administrator picks one (the relation goes over REST) or none (it stays on
    SOAP). Rebuilt each time a consent's debtors are read; an answer "none of
    these" stands as long as the candidates stay the same.
    """
    _name = 'nmbrs.pairing'
    _description = 'Relation waiting to be paired with Nmbrs REST'
    _order = 'state, debtor_number, kind, id'
    _rec_name = 'partner_id'

    company_id = fields.Many2one('res.company', 'Company', required=True, index=True, ondelete='cascade')
    consent_id = fields.Many2one('nmbrs.consent', 'Consent', required=True, index=True, ondelete='cascade')
    debtor_number = fields.Char('Debtor number', required=True, index=True)
    link_id = fields.Many2one('nmbrs.link', 'Link', required=True, index=True, ondelete='cascade')
    partner_id = fields.Many2one(related='link_id.partner_id', string='Relation')
    parent_id = fields.Many2one(related='link_id.partner_id.parent_id', string='Of relation')
    number = fields.Integer('Number in Odoo', compute='_compute_number')
    kind = fields.Selection([('company', 'Nmbrs company'), ('employee', 'Nmbrs employee')], 'Kind',
                            required=True)
    reason = fields.Selection([
        ('none', "Nmbrs has nothing with this number"),
        ('several', "Nmbrs has several with this number"),
        ('shared', "Several relations in Odoo have this number"),
        ('taken', "What Nmbrs has with this number is linked to another relation"),
    ], 'Why a choice is needed', required=True)
    state = fields.Selection([('open', 'Needs a choice'), ('paired', 'On REST'), ('soap', 'Stays on SOAP')],
                             'State', default='open', required=True)
    candidate_ids = fields.One2many('nmbrs.pairing.candidate', 'pairing_id', 'Candidates')
    chosen_id = fields.Many2one('nmbrs.pairing.candidate', 'Chosen', readonly=True)

    @api.depends('kind', 'link_id')
    def _compute_number(self):
        for pairing in self:
            pairing.number = pairing.link_id[KINDS[pairing.kind][1]] if pairing.kind else 0

    @api.model
    def _nmbrs_waiting(self):
        """The domain of the pairings that wait for a choice under an active consent."""
        return [('state', '=', 'open'), ('consent_id.state', '=', 'active')]

    @api.model
    def _nmbrs_action(self, domain):
        """The screen of the pairings of ``domain``, those that need a choice first."""
        action = self.env['ir.actions.act_window']._for_xml_id('nmbrs_connector.action_nmbrs_pairings')
        action['domain'] = domain
        return action

    def action_nmbrs_keep_on_soap(self):
        """None of the candidates: the relation stays on SOAP and is not asked again for the same candidates."""
        self.write({'state': 'soap', 'chosen_id': False})
        return True

    def action_nmbrs_choose_again(self):
        self.filtered(lambda pairing: pairing.state == 'soap').write({'state': 'open'})
        return True

    def _nmbrs_pair_employees(self, consent):
        """After a company was chosen: pair its employee contacts. ``(ok, what else the user should know)``."""
        self.ensure_one()
        _ = self.env._
        link = self.link_id.sudo()
        debtor = consent.debtor_ids.filtered(lambda debtor: debtor.number == self.debtor_number)[:1]
        decided = self._nmbrs_forget([('company_id', '=', link.company_id.id), ('kind', '=', 'employee'),
                                      ('link_id.partner_id.parent_id', '=', link.partner_id.id)])
        try:
            with consent._nmbrs_client(max_retries=0) as client:
                debtor._nmbrs_link_employees(client, link, decided)
        except NmbrsError as error:
            link.company_id._nmbrs_log_error(error, 'employee pairing', consent)
            return False, _("Its employee contacts were not paired yet: %(reason)s Click 'Read debtors' on the "
                            "consent to try again.", reason=link.company_id._nmbrs_error_message(error))
        waiting = self.search_count([('company_id', '=', link.company_id.id), ('kind', '=', 'employee'),
                                     ('state', '=', 'open'),
                                     ('link_id.partner_id.parent_id', '=', link.partner_id.id)])
        return True, waiting and counted_words.employee_contacts_waiting(self.env, waiting)

    # ------------------------------------------------------------ pairing by number

    @api.model
    def _nmbrs_forget(self, domain):
        """Remove the pairings of ``domain``; ``{link id: (reason, candidate ids)}`` of those kept on SOAP."""
        pairings = self.sudo().search(domain)
        decided = {pairing.link_id.id: (pairing.reason, frozenset(pairing.candidate_ids.mapped('nmbrs_guid')))
                   for pairing in pairings if pairing.state == 'soap'}
        pairings.unlink()
        return decided

    @api.model
    def _nmbrs_match(self, debtor, links, records, kind, decided):
        """Give ``links`` the REST id of their twin among ``records`` (REST companies or employees).

        A link keeps a REST id ``records`` still have; otherwise it gets the
        one free record with its number, when no other link has that number.
        The others are kept as pairings with the reason and the candidates
        (the records with their number, or else every free one). Returns the
        links that have a REST id.
        """
        guid_field, number_field = KINDS[kind]
        by_id = {record.id: record for record in records}
        kept = links.filtered(lambda link: link[guid_field] in by_id)
        taken = set(self.env['nmbrs.link'].sudo().search([
            ('company_id', '=', debtor.company_id.id), (guid_field, 'in', list(by_id))]).mapped(guid_field))
        paired, waiting = kept, []
        for number, group in _group_by(links - kept, number_field).items():
            numbered = [record for record in records if record.number == number]
            matches = [record for record in numbered if record.id not in taken]
            if len(matches) == 1 and len(group) == 1:
                group.write({guid_field: matches[0].id})
                taken.add(matches[0].id)
                paired |= group
                continue
            reason = ('none' if not numbered else 'taken' if not matches
                      else 'shared' if len(group) > 1 else 'several')
            waiting.append((group, reason, matches))
        for group, reason, matches in waiting:
            group.filtered(guid_field).write({guid_field: False})
            candidates = matches or [record for record in records if record.id not in taken]
            self._nmbrs_ask(debtor, group, kind, reason, candidates, decided)
        return paired

    @api.model
    def _nmbrs_ask(self, debtor, links, kind, reason, candidates, decided):
        guids = frozenset(candidate.id for candidate in candidates)
        self.sudo().create([{
            'company_id': debtor.company_id.id, 'consent_id': debtor.consent_id.id,
            'debtor_number': debtor.number, 'link_id': link.id, 'kind': kind, 'reason': reason,
            'state': 'soap' if decided.get(link.id) == (reason, guids) else 'open',
            'candidate_ids': [fields.Command.create({
                'nmbrs_guid': candidate.id, 'number': candidate.number or 0,
                'name': candidate.name if kind == 'company' else candidate.display_name})
                for candidate in candidates],
        } for link in links])


class NmbrsPairingCandidate(models.Model):
    """A Nmbrs record (REST) a waiting relation could be, as Nmbrs showed it when the debtors were read."""
    _name = 'nmbrs.pairing.candidate'
    _description = 'Candidate Nmbrs record for a relation'
    _order = 'number, name, id'

    pairing_id = fields.Many2one('nmbrs.pairing', 'Pairing', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='pairing_id.company_id', store=True, index=True)
    nmbrs_guid = fields.Char('Nmbrs ID (REST)', required=True)
    number = fields.Integer('Number in Nmbrs')
    name = fields.Char('Name in Nmbrs')

    @api.depends('number', 'name')
    def _compute_display_name(self):
        for candidate in self:
            candidate.display_name = '%s (%s)' % (candidate.name, candidate.number)

    def action_nmbrs_choose(self):
        """Pair the waiting relation with this Nmbrs record; a company's employee contacts are paired after it."""
        self.ensure_one()
        _ = self.env._
        pairing = self.pairing_id
        link = pairing.link_id.sudo()
        guid_field = KINDS[pairing.kind][0]
        holder = link.search([('company_id', '=', link.company_id.id), (guid_field, '=', self.nmbrs_guid),
                              ('id', '!=', link.id)], limit=1)
        if holder:
            raise UserError(_("%(nmbrs)s is already linked to relation %(relation)s. Choose another, or keep "
                              "%(this)s on SOAP.", nmbrs=self.display_name,
                              relation=holder.partner_id.display_name, this=link.partner_id.display_name))
        consent = link._nmbrs_consent()
        if not consent:
            raise UserError(_("No active consent covers debtor %(number)s: renew the consent, then choose again.",
                              number=pairing.debtor_number))
        link.write({guid_field: self.nmbrs_guid})
        pairing.write({'state': 'paired', 'chosen_id': self.id})
        message = _("%(relation)s is paired with %(nmbrs)s and now goes over Nmbrs REST.",
                    relation=link.partner_id.display_name, nmbrs=self.display_name)
        ok = True
        if pairing.kind == 'company':
            ok, employees = pairing._nmbrs_pair_employees(consent)
            message = ' '.join(filter(None, (message, employees)))
        return link.company_id._nmbrs_notification(ok, message, next_action=SOFT_RELOAD)


def _group_by(records, field):
    groups = {}
    for record in records:
        groups.setdefault(record[field], record.browse())
        groups[record[field]] |= record
    return groups

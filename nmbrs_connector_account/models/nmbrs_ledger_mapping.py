from odoo import api, fields, models

KINDS = [('ledger', 'Ledger account'), ('cost_center', 'Cost center'), ('cost_unit', 'Cost unit')]


class NmbrsLedgerMapping(models.Model):
    """Which Odoo account (or analytic account) a code of the Nmbrs payroll journal books on, per company.

    Every code a journal brings is listed, mapped or not, so the accountant
    sees what is left to map. A ledger code starts on the Odoo account with
    the same code, a cost center or unit on the analytic account with it.
    """
    _name = 'nmbrs.ledger.mapping'
    _description = 'Nmbrs ledger mapping'
    _order = 'kind, nmbrs_code'
    _check_company_auto = True

    kind = fields.Selection(KINDS, 'Kind', required=True, default='ledger', readonly=True)
    nmbrs_code = fields.Char('Nmbrs code', required=True, readonly=True)
    name = fields.Char('Description in Nmbrs', readonly=True, help="The description of the code's first journal line.")
    account_id = fields.Many2one(
        'account.account', 'Account', check_company=True, ondelete='restrict',
        help="The Odoo account the lines with this Nmbrs ledger code are booked on.")
    analytic_account_id = fields.Many2one(
        'account.analytic.account', 'Analytic account', check_company=True, ondelete='restrict',
        help="For a cost center or cost unit: the analytic account of the lines on profit-and-loss accounts.")
    is_mapped = fields.Boolean('Mapped', compute='_compute_is_mapped', store=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)

    _company_kind_code_uniq = models.Constraint(
        'UNIQUE(company_id, kind, nmbrs_code)', 'This Nmbrs code is already in the mapping.')

    @api.depends('kind', 'account_id', 'analytic_account_id')
    def _compute_is_mapped(self):
        for mapping in self:
            mapping.is_mapped = bool(mapping.account_id if mapping.kind == 'ledger' else mapping.analytic_account_id)

    @api.depends('kind', 'nmbrs_code', 'name')
    def _compute_display_name(self):
        kinds = dict(self._fields['kind']._description_selection(self.env))
        for mapping in self:
            mapping.display_name = '%s %s%s' % (
                kinds.get(mapping.kind, ''), mapping.nmbrs_code, ' (%s)' % mapping.name if mapping.name else '')

    def write(self, vals):
        result = super().write(vals)
        if vals.get('account_id'):
            # Runs that waited for this code book at once, not at the next import.
            self.env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals')._trigger()
        return result

    @api.model
    def _nmbrs_mappings(self, company, codes_by_kind):
        """{(kind, code): mapping} for the codes of a journal, listing the codes not seen before.

        ``codes_by_kind`` is {kind: {code: description}}. A new ledger code starts
        on the company's account with the same code, a new cost center or unit on
        the analytic account with that code.
        """
        existing = {(mapping.kind, mapping.nmbrs_code): mapping for mapping in self.search([
            ('company_id', '=', company.id),
            ('nmbrs_code', 'in', [code for codes in codes_by_kind.values() for code in codes])])}
        new = []
        for kind, codes in codes_by_kind.items():
            for code, description in codes.items():
                if (kind, code) not in existing:
                    new.append({'company_id': company.id, 'kind': kind, 'nmbrs_code': code, 'name': description,
                                **self._nmbrs_default_target(company, kind, code)})
        for mapping in self.create(new):
            existing[(mapping.kind, mapping.nmbrs_code)] = mapping
        return existing

    @api.model
    def _nmbrs_default_target(self, company, kind, code):
        if kind == 'ledger':
            Account = self.env['account.account'].with_company(company)
            account = Account.search([*Account._check_company_domain(company), ('code', '=', code)], limit=1)
            return {'account_id': account.id} if account else {}
        Analytic = self.env['account.analytic.account']
        analytic = Analytic.search([*Analytic._check_company_domain(company), ('code', '=', code)], limit=1)
        return {'analytic_account_id': analytic.id} if analytic else {}

    @api.model
    def _nmbrs_action(self, unmapped_only=False):
        """The mapping list, with only the codes left to map when ``unmapped_only``."""
        return self.env['ir.actions.act_window']._for_xml_id(
            'nmbrs_connector_account.action_nmbrs_ledger_mapping_unmapped' if unmapped_only
            else 'nmbrs_connector_account.action_nmbrs_ledger_mapping')

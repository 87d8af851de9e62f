from odoo import fields, models, tools


class NmbrsDebtorWithoutConsent(models.Model):
    """The Nmbrs debtors of linked relations that no active REST consent covers yet: one click each to ask it.

    Read from the links (by debtor number), so it is always up to date.
    """
    _name = 'nmbrs.debtor.without.consent'
    _description = 'Nmbrs debtor without a consent'
    _auto = False
    _order = 'debtor_number'
    _rec_name = 'debtor_number'
    _depends = {
        'nmbrs.link': ['company_id', 'partner_id', 'nmbrs_debtor_number', 'nmbrs_company_id'],
        'nmbrs.consent': ['state', 'company_id'],
        'nmbrs.consent.debtor': ['consent_id', 'number'],
    }

    company_id = fields.Many2one('res.company', 'Company', readonly=True)
    debtor_number = fields.Char('Debtor number', readonly=True)
    partner_id = fields.Many2one('res.partner', 'Relation', readonly=True)
    relation_count = fields.Integer('Relations', readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # The relation shown is the debtor's own (linked without a Nmbrs company) when there is one.
        self.env.cr.execute("""
            CREATE VIEW %s AS (
                SELECT MIN(link.id) AS id,
                       link.company_id,
                       link.nmbrs_debtor_number AS debtor_number,
                       (ARRAY_AGG(link.partner_id ORDER BY COALESCE(link.nmbrs_company_id, 0) <> 0, link.id))[1]
                           AS partner_id,
                       COUNT(*) AS relation_count
                  FROM nmbrs_link link
                 WHERE COALESCE(link.nmbrs_debtor_number, '') <> ''
                   AND NOT EXISTS (
                        SELECT 1
                          FROM nmbrs_consent_debtor debtor
                          JOIN nmbrs_consent consent ON consent.id = debtor.consent_id
                         WHERE consent.state = 'active'
                           AND consent.company_id = link.company_id
                           AND debtor.number = link.nmbrs_debtor_number)
                 GROUP BY link.company_id, link.nmbrs_debtor_number
            )""" % self._table)

    def action_nmbrs_authorize(self):
        """Ask consent for this debtor: a consent row that remembers the debtor, then Nmbrs's consent page."""
        self.ensure_one()
        self.company_id._nmbrs_rest_check_app()
        consent = self.env['nmbrs.consent'].create({
            'company_id': self.company_id.id, 'expected_debtor_number': self.debtor_number})
        return consent.action_nmbrs_authorize()

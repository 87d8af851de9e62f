from odoo import fields, models

# Document type -> the nmbrs.run flag that says its documents are all imported.
RUN_DOCUMENT_FLAGS = {'payslip': 'payslips_done', 'sepa': 'sepa_done', 'journal': 'journal_done'}


class NmbrsRun(models.Model):
    """A payroll run seen in Nmbrs, and which of its documents are imported.

    A run whose wanted documents are all imported costs no Nmbrs call beyond
    the list of runs. Only locked runs are imported: an open run's payslips
    can still change in Nmbrs.
    """
    _name = 'nmbrs.run'
    _description = 'Nmbrs payroll run'
    _order = 'year desc, period desc, number desc'
    _check_company_auto = True

    name = fields.Char('Description', readonly=True)
    company_id = fields.Many2one(
        'res.company', required=True, readonly=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one('res.partner', 'Relation', required=True, readonly=True, ondelete='cascade')
    # Ids, numbers, years and periods are no quantities: never summed.
    nmbrs_company_id = fields.Integer('Nmbrs company ID', required=True, readonly=True, aggregator=None)
    # A run is the same over SOAP and REST by its relation, year and number; it keeps the id of each protocol.
    nmbrs_run_id = fields.Integer('Nmbrs run ID', readonly=True, aggregator=None)
    nmbrs_run_guid = fields.Char('Nmbrs run ID (REST)', readonly=True)
    number = fields.Integer('Run number', readonly=True, aggregator=None)
    year = fields.Integer(required=True, readonly=True, aggregator=None)
    period_start = fields.Integer('First period', readonly=True, aggregator=None)
    period = fields.Integer('Period', readonly=True, aggregator=None, help="The last period the run covers.")
    run_at = fields.Datetime('Run on', readonly=True)
    locked = fields.Boolean(readonly=True, help="Locked in Nmbrs: the run is final.")
    payslips_done = fields.Boolean('Payslips imported', readonly=True)
    sepa_done = fields.Boolean('SEPA file imported', readonly=True)
    journal_done = fields.Boolean('Journal imported', readonly=True)

    _company_run_id_uniq = models.UniqueIndex(
        '(company_id, nmbrs_company_id, nmbrs_run_id) WHERE nmbrs_run_id <> 0', 'This Nmbrs run is already known.')
    _company_run_guid_uniq = models.UniqueIndex(
        '(company_id, nmbrs_run_guid) WHERE nmbrs_run_guid IS NOT NULL', 'This Nmbrs run is already known.')

import base64
import logging
from datetime import timedelta
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import LazyTranslate, format_list
from odoo.tools.misc import formatLang

from odoo.addons.nmbrs_connector.models.nmbrs_document import period_label
from odoo.addons.nmbrs_connector.models.nmbrs_relation_import import payment_date
from odoo.addons.nmbrs_connector.models.res_company_errors import FAILURE_SUMMARIES

from ..payroll_journal import JournalLayoutError, parse_journal

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# The To-Do about ledger codes without an Odoo account: one per company, found by this key.
UNMAPPED_FAILURE = 'journal_unmapped'
REFUSED_FAILURE = 'journal_refused'
# The connector gives one open To-Do per kind of failure, titled from this table.
FAILURE_SUMMARIES[REFUSED_FAILURE] = _lt("Nmbrs payroll journal not booked")
LAYOUT_REASONS = {
    'unreadable': _lt("the file is not readable XML"),
    'no_lines': _lt("the file has no journal lines"),
    'no_ledger': _lt("line %(line)s has no ledger code (dim1)"),
    'bad_amount': _lt("line %(line)s has no readable amount (value)"),
    'bad_side': _lt("line %(line)s says neither debit nor credit (debitcredit)"),
}


class NmbrsRun(models.Model):
    """Booking the payroll journal of each locked run of a company's own Nmbrs company, once, as one entry."""
    _inherit = 'nmbrs.run'

    # ------------------------------------------------------------ the job

    @api.model
    def _cron_nmbrs_book_journals(self):
        """Book every run due, run after run, each in a transaction of its own.

        Several workers may run this at once: a run is booked by the worker
        that holds its row lock, and one that is booked is never booked again.
        An unexpected error in one run is logged and the next run goes on.
        """
        cron = self.env['ir.cron']
        due = [(company, company._nmbrs_runs_to_book())
               for company in self.env['res.company'].search([('nmbrs_book_journals', '=', True)])]
        cron._commit_progress(remaining=sum(len(runs) for _company, runs in due))
        for company, runs in due:
            company = company._nmbrs_in_stored_lang()
            for run in runs.with_env(company.env):
                try:
                    run._nmbrs_book()
                except Exception:  # noqa: BLE001 - one run must never stop the others
                    self.env.cr.rollback()
                    _logger.exception('Booking the Nmbrs payroll journal of run %s failed', run.id)
                if not cron._commit_progress(1):
                    return
            company._nmbrs_report_unmapped_codes()
            cron._commit_progress()

    def _nmbrs_book(self):
        """Book this run under its row lock; returns its entry, or None when it is not (yet) booked."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT id FROM nmbrs_run WHERE id = %s AND nmbrs_booking_state IN ('to_book', 'blocked')
            FOR UPDATE SKIP LOCKED""", [self.id])
        if not self.env.cr.fetchone():
            return None  # booked, or another worker is booking it now
        self.invalidate_recordset()
        company = self.company_id
        document = self.env['nmbrs.document'].search([
            ('company_id', '=', company.id), ('document_type', '=', 'journal'), ('run_id', '=', self.id)], limit=1)
        entry_date = self._nmbrs_entry_date()
        if not document.attachment_id or entry_date < company.nmbrs_book_from:
            return None
        _ = self.env._
        try:
            journal = parse_journal(document.attachment_id.raw)
        except JournalLayoutError as error:
            return self._nmbrs_refuse(_(
                "The payroll journal cannot be read: %(reason)s.",
                reason=self.env._(LAYOUT_REASONS[error.reason]) % {'line': error.detail}))
        if journal.difference:
            return self._nmbrs_refuse(_(
                "The payroll journal does not balance: debit %(debit)s, credit %(credit)s, a difference of "
                "%(difference)s. Correct the run in Nmbrs, or book it by hand.",
                debit=self._nmbrs_amount(journal.total_debit), credit=self._nmbrs_amount(journal.total_credit),
                difference=self._nmbrs_amount(abs(journal.difference))))
        mappings = self.env['nmbrs.ledger.mapping'].sudo()._nmbrs_mappings(company, {
            kind: journal.codes(kind) for kind in ('ledger', 'cost_center', 'cost_unit')})
        unmapped = sorted(code for code in journal.codes('ledger') if not mappings[('ledger', code)].account_id)
        if unmapped and company.nmbrs_unmapped_policy == 'block':
            self.write({'nmbrs_booking_state': 'blocked', 'nmbrs_booking_message': _(
                "Waits for an Odoo account for the Nmbrs ledger codes %(codes)s.", codes=format_list(self.env, unmapped))})
            return None
        move = self._nmbrs_create_move(journal, mappings, unmapped, entry_date, document)
        self.write({'nmbrs_booking_state': 'booked', 'move_id': move.id, 'nmbrs_booking_message': False})
        return move

    # ------------------------------------------------------------ the entry

    def _nmbrs_entry_date(self):
        """The entry's date by the company's rule: the run's payment date or the last day of its period."""
        if self.company_id.nmbrs_book_date == 'period_end':
            # Nmbrs periods are months for monthly payroll; a later period lies in the year's last month.
            return fields.Date.to_date('%d-%02d-01' % (self.year, min(self.period or 12, 12))) \
                + relativedelta(months=1, days=-1)
        return payment_date(SimpleNamespace(run_at=self.run_at, year=self.year, period_end=self.period))

    def _nmbrs_create_move(self, journal, mappings, unmapped, entry_date, document):
        company = self.company_id
        _ = self.env._
        notes = []
        locks = company._get_violated_lock_dates(entry_date, False, company.nmbrs_journal_id)
        if locks:
            # As Odoo does for a date in a locked period: the first day after the lock.
            notes.append(_("The period up to %(lock)s is locked: booked on %(date)s instead of %(wanted)s.",
                           lock=locks[-1][0], date=locks[-1][0] + timedelta(days=1), wanted=entry_date))
            entry_date = locks[-1][0] + timedelta(days=1)
        if unmapped:
            notes.append(_("Booked on the suspense account for want of an Odoo account: Nmbrs ledger codes %(codes)s.",
                           codes=format_list(self.env, unmapped)))
        lines = []
        for line in journal.lines:
            account = mappings[('ledger', line.ledger)].account_id or company.nmbrs_suspense_account_id
            analytics = [mappings[(kind, code)].analytic_account_id
                         for kind, code in (('cost_center', line.cost_center), ('cost_unit', line.cost_unit)) if code]
            values = {'name': '%s %s' % (line.ledger, line.description) if line.ledger in unmapped else line.description,
                      'account_id': account.id, 'debit': line.debit, 'credit': line.credit}
            analytics = [analytic for analytic in analytics if analytic]
            # Analytics belong to costs and revenues, not to the payables and the balance sheet.
            if analytics and account.internal_group in ('income', 'expense'):
                values['analytic_distribution'] = {str(analytic.id): 100 for analytic in analytics}
            lines.append(fields.Command.create(values))
        move = self.env['account.move'].create({
            'move_type': 'entry',
            'company_id': company.id,
            'journal_id': company.nmbrs_journal_id.id,
            'date': entry_date,
            'ref': _("Nmbrs payroll %(relation)s %(period)s run %(number)s",
                     relation=self.partner_id.name, period=period_label(self.year, self.period), number=self.number),
            'narration': Markup('<br/>').join(notes) if notes else False,
            'nmbrs_run_id': self.id,
            'line_ids': lines,
        })
        attachment = document.attachment_id
        self.env['ir.attachment'].create({
            'name': attachment.name, 'raw': attachment.raw, 'res_model': 'account.move', 'res_id': move.id,
            'company_id': company.id})
        if company.nmbrs_auto_post:
            move.action_post()
        return move

    def _nmbrs_refuse(self, reason):
        self.write({'nmbrs_booking_state': 'refused', 'nmbrs_booking_message': reason})
        company = self.company_id
        company._nmbrs_report_failure(company.partner_id, REFUSED_FAILURE, self.env._(
            "The payroll journal of %(run)s was not booked. %(reason)s", run=self._nmbrs_label(), reason=reason))
        return None

    def _nmbrs_amount(self, amount):
        return formatLang(self.env, float(amount), currency_obj=self.company_id.currency_id)

    def _nmbrs_label(self):
        return self.env._("run %(number)s of %(period)s, %(relation)s", number=self.number,
                          period=period_label(self.year, self.period), relation=self.partner_id.name)


class ResCompany(models.Model):
    _inherit = 'res.company'

    def _nmbrs_runs_to_book(self):
        """The locked runs of this company's own Nmbrs company whose journal is imported and not booked."""
        self.ensure_one()
        return self.env['nmbrs.run'].search([
            ('company_id', '=', self.id), ('partner_id', '=', self.partner_id.id), ('locked', '=', True),
            ('journal_done', '=', True), ('nmbrs_booking_state', 'in', ('to_book', 'blocked'))],
            order='year, period, number')

    def _nmbrs_report_unmapped_codes(self):
        """One To-Do on the company's relation listing every ledger code that holds runs back, kept up to date."""
        self.ensure_one()
        blocked = self.env['nmbrs.run'].search([('company_id', '=', self.id), ('nmbrs_booking_state', '=', 'blocked')])
        codes = self.env['nmbrs.ledger.mapping'].sudo().search([
            ('company_id', '=', self.id), ('kind', '=', 'ledger'), ('account_id', '=', False)])
        if not blocked or not codes:
            self._nmbrs_resolve_failure(self.partner_id, UNMAPPED_FAILURE)
            return
        _ = self.env._
        items = Markup('').join(Markup('<li>%s</li>') % code.display_name for code in codes)
        note = Markup('<p>%s</p><ul>%s</ul><p><a href="/odoo/action-%s">%s</a></p>') % (
            _("%(count)s payroll runs wait until these Nmbrs ledger codes have an Odoo account:", count=len(blocked)),
            items, 'nmbrs_connector_account.action_nmbrs_ledger_mapping_unmapped', _("Open the ledger mapping"))
        todo = self._nmbrs_failure_todos(self.partner_id, UNMAPPED_FAILURE)[:1]
        if todo:
            todo.sudo().note = note
        else:
            self.partner_id.sudo().activity_schedule(
                'mail.mail_activity_data_todo', summary=_("Map the Nmbrs ledger codes"), note=note,
                user_id=self._nmbrs_responsible_user().id, nmbrs_failure=UNMAPPED_FAILURE)

from odoo import models
from odoo.tools import format_date

from ..nmbrs import api_facts
from . import counted_words


class ResCompany(models.Model):
    """How far the company has moved from Nmbrs SOAP to REST before SOAP ends."""
    _inherit = 'res.company'

    def _nmbrs_debtors_on_rest(self):
        """``(on REST, all)``: the debtors of linked relations, and those an active consent covers."""
        self.ensure_one()
        company = [('company_id', '=', self.id)]
        debtors = self.env['nmbrs.link'].sudo()._read_group(
            company + [('nmbrs_debtor_number', 'not in', (False, ''))], ['nmbrs_debtor_number'])
        waiting = self.env['nmbrs.debtor.without.consent'].sudo().search_count(company)
        return len(debtors) - waiting, len(debtors)

    def _nmbrs_rest_progress(self):
        """"Nmbrs ends SOAP on 1 March 2027: 37 of 52 debtors are on REST.", in the user's language."""
        done, total = self._nmbrs_debtors_on_rest()
        return self.env._("Nmbrs ends SOAP on %(date)s: %(progress)s.",
                          date=format_date(self.env, api_facts.SOAP_END_DATE, date_format='d MMMM y'),
                          progress=counted_words.debtors_on_rest(self.env, done, total))

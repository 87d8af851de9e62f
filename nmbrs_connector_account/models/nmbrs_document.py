from odoo import api, models


class NmbrsDocument(models.Model):
    _inherit = 'nmbrs.document'

    @api.model
    def _nmbrs_create_with_files(self, values_list):
        """A newly imported payroll journal of a company that books them starts the booking job."""
        documents = super()._nmbrs_create_with_files(values_list)
        if any(document.document_type == 'journal' and document.company_id.nmbrs_book_journals
               for document in documents):
            self.env.ref('nmbrs_connector_account.ir_cron_nmbrs_book_journals')._trigger()
        return documents

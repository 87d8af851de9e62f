"""Give stored payroll documents the keys both protocols share (models/document_keys.py).

Up to 19.0.1.1.0 a document was known by SOAP ids ('payslip/<company id>/<run
id>/<employee id>/<n>'); from 19.0.1.2.0 by its relation and Nmbrs's numbers
('payslip/r<relation>-c<company number>/<year>-r<run number>/e<employee
number>/<n>'), so that REST, which names
other ids, finds what SOAP imported. Run documents are re-keyed here from what
is stored with them, and linked to their nmbrs.run. Wage tax declarations keep
their old key until the import sees them again (their serial number was not
stored): see RelationImport._adopt_legacy.
"""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute("""
        UPDATE nmbrs_document d SET run_id = r.id
          FROM nmbrs_run r
         WHERE d.run_id IS NULL AND d.nmbrs_run_id <> 0 AND r.company_id = d.company_id
           AND r.nmbrs_company_id = d.nmbrs_company_id AND r.nmbrs_run_id = d.nmbrs_run_id""")
    # One new key per document: DISTINCT ON keeps the first where two documents would share one.
    cr.execute("""
        WITH rekeyed AS (
            SELECT DISTINCT ON (d.company_id, new_key) d.id, new_key
              FROM nmbrs_document d
              JOIN nmbrs_link l ON l.company_id = d.company_id AND l.partner_id = d.partner_id
              LEFT JOIN nmbrs_link e ON e.company_id = d.company_id AND e.partner_id = d.employee_partner_id
             CROSS JOIN LATERAL (SELECT d.document_type || '/r' || d.partner_id || '-c' || l.nmbrs_company_number || '/' || d.year
                                        || '-r' || d.nmbrs_run_number
                                        || CASE WHEN d.document_type = 'payslip'
                                                THEN '/e' || e.nmbrs_employee_number || '/'
                                                     || split_part(d.nmbrs_key, '/', 5)
                                                ELSE '' END AS new_key) k
             WHERE d.document_type IN ('payslip', 'sepa', 'journal')
               AND d.nmbrs_key NOT LIKE '%%-r%%'
               AND COALESCE(l.nmbrs_company_number, 0) <> 0 AND COALESCE(d.nmbrs_run_number, 0) <> 0
               AND (d.document_type <> 'payslip' OR COALESCE(e.nmbrs_employee_number, 0) <> 0)
               AND NOT EXISTS (SELECT 1 FROM nmbrs_document o WHERE o.company_id = d.company_id
                                                                AND o.nmbrs_key = k.new_key)
             ORDER BY d.company_id, new_key, d.id)
        UPDATE nmbrs_document d SET nmbrs_key = rekeyed.new_key FROM rekeyed WHERE d.id = rekeyed.id""")
    _logger.info('Nmbrs documents re-keyed by Nmbrs numbers: %s', cr.rowcount)

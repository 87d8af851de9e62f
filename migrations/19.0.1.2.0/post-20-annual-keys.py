"""Give the employees' annual statements their protocol-neutral key.

Up to 19.0.1.1.0 a statement's key held the SOAP ids of its Nmbrs company and
employee: 'annual/<company id>/<year>/EmployeeAnnualStatement/<employee id>'.
Over REST those ids are GUIDs, so the same statement would be stored again once
its relation moves to REST. The key is now
'annual/relation-<relation id>/<year>/EmployeeAnnualStatement/<employee number>'
(see models/nmbrs_annual_request.statement_key): the employee number comes from
the link of the statement's employee contact in the document's company. A
statement whose employee has no number, or whose new key another would share,
keeps its old key (logged).
"""
import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    # A new key that two statements (or one already there) would share is left out: the old keys stay.
    cr.execute("""
        WITH moved AS (
            SELECT d.id, d.company_id, format('annual/relation-%s/%s/EmployeeAnnualStatement/%s',
                                              d.partner_id, d.year, l.nmbrs_employee_number) AS new_key
              FROM nmbrs_document d
              JOIN nmbrs_link l ON l.partner_id = d.employee_partner_id AND l.company_id = d.company_id
             WHERE d.document_type = 'annual'
               AND d.nmbrs_key ~ '^annual/[0-9]+/[0-9]+/EmployeeAnnualStatement/[0-9]+$'
               AND COALESCE(l.nmbrs_employee_number, 0) != 0
        ), single AS (
            SELECT m.* FROM moved m
             WHERE (SELECT count(*) FROM moved o WHERE o.company_id = m.company_id AND o.new_key = m.new_key) = 1
               AND NOT EXISTS (SELECT 1 FROM nmbrs_document e
                                WHERE e.company_id = m.company_id AND e.nmbrs_key = m.new_key)
        )
        UPDATE nmbrs_document d SET nmbrs_key = single.new_key FROM single WHERE d.id = single.id""")
    _logger.info("Gave %d Nmbrs annual statements their protocol-neutral key", cr.rowcount)
    cr.execute("""SELECT count(*) FROM nmbrs_document
                   WHERE document_type = 'annual' AND nmbrs_key ~ '^annual/[0-9]+/[0-9]+/EmployeeAnnualStatement/'""")
    left, = cr.fetchone()
    if left:
        _logger.warning("%d Nmbrs annual statements keep their old key: their employee contact has no employee "
                        "number, or another statement has the same new key", left)

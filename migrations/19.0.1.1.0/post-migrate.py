"""Move the links of relations to Nmbrs from company-dependent columns of res_partner into nmbrs_link.

Up to 19.0.1.0.0 each link field was a jsonb column {company id: value} on
res_partner. The ORM created nmbrs_link; this copies the values into it, one
row per relation and Odoo company, and drops the old columns. A Nmbrs company
or employee that two relations of one Odoo company held is kept on the first
relation only (the new unique indexes allow no more) and logged.
"""
import logging

from psycopg2.errors import UniqueViolation

_logger = logging.getLogger(__name__)

COLUMNS = {'nmbrs_debtor_id': 'int', 'nmbrs_debtor_number': 'varchar', 'nmbrs_company_id': 'int',
           'nmbrs_company_number': 'int', 'nmbrs_employee_id': 'int', 'nmbrs_employee_number': 'int'}


def migrate(cr, version):
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'res_partner' AND data_type = 'jsonb' AND column_name IN %s""",
               [tuple(COLUMNS)])
    present = [name for name, in cr.fetchall()]
    if not present:
        return
    keys = ' UNION '.join('SELECT jsonb_object_keys(p.%s)' % name for name in present)
    values = ', '.join(
        "COALESCE((p.%s ->> k.company)::%s, %s)" % (name, COLUMNS[name], "0" if COLUMNS[name] == 'int' else 'NULL')
        if name in present else ("0" if COLUMNS[name] == 'int' else 'NULL') for name in COLUMNS)
    cr.execute("""
        SELECT p.id, k.company::int, %s
          FROM res_partner p
          CROSS JOIN LATERAL (%s) AS k(company)
          JOIN res_company c ON c.id = k.company::int
         ORDER BY p.id""" % (values, keys))
    rows = [row for row in cr.fetchall() if any(row[2:])]
    moved = 0
    for row in rows:
        cr.execute("SAVEPOINT nmbrs_link_row")
        try:
            cr.execute("""INSERT INTO nmbrs_link (partner_id, company_id, %s, create_date, write_date)
                          VALUES (%%s, %%s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')"""
                       % (', '.join(COLUMNS), ', '.join(['%s'] * len(COLUMNS))), row)
        except UniqueViolation:
            cr.execute("ROLLBACK TO SAVEPOINT nmbrs_link_row")
            _logger.warning("Nmbrs link of partner %s in company %s not kept: another relation holds the same "
                            "Nmbrs company or employee", row[0], row[1])
        else:
            cr.execute("RELEASE SAVEPOINT nmbrs_link_row")
            moved += 1
    for name in present:
        cr.execute('ALTER TABLE res_partner DROP COLUMN "%s"' % name)
    _logger.info("Moved %d Nmbrs links of relations into nmbrs_link", moved)

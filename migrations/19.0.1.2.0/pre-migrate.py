"""A run is now found by its year and number and may have only a REST id (its SOAP id 0): the unique constraint
on the SOAP id gives way to partial unique indexes (models/nmbrs_run.py)."""


def migrate(cr, version):
    cr.execute("ALTER TABLE nmbrs_run DROP CONSTRAINT IF EXISTS nmbrs_run_company_run_uniq")
    cr.execute("DELETE FROM ir_model_constraint WHERE name = 'nmbrs_run_company_run_uniq'")

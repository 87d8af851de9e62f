from . import test_rest_client, test_rest_contract, test_rest_identity, test_rest_office, test_rest_sandbox
from . import test_background_jobs, test_cron_isolation, test_error_reporting, test_import_units, test_job_tours, test_stored_language

from . import test_employee_contacts
from . import test_link_migration
from . import test_link_tours
from . import test_partner_link
from . import test_rate_limit
from . import test_relation_sync
from . import test_rest_client, test_rest_contract, test_rest_identity, test_rest_office, test_rest_sandbox
from . import test_background_jobs, test_cron_isolation, test_error_reporting, test_import_units, test_job_tours, test_stored_language

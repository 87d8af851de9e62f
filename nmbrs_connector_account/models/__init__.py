from . import account_move
from . import nmbrs_document
from . import nmbrs_ledger_mapping
from . import nmbrs_run
from . import nmbrs_run_booking
from . import res_company
from . import res_config_settings

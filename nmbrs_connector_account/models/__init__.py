from . import nmbrs_ledger_mapping
from . import res_company
from . import res_config_settings

from . import test_install
from . import test_ledger_mapping
from . import test_payroll_journal
from . import test_translations

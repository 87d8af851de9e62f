from . import test_booking_workers
from . import test_install
from . import test_journal_booking
from . import test_ledger_mapping
from . import test_payroll_journal
from . import test_tours
from . import test_translations

from . import nmbrs_wage_tax_status
from . import res_company
from . import res_company_errors
from . import res_partner

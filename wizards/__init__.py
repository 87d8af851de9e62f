from . import nmbrs_link_wizard
from . import nmbrs_annual_documents_wizard

from . import nmbrs_link_wizard

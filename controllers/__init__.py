from . import nmbrs_oauth

from . import test_rest_client, test_rest_contract, test_rest_identity, test_rest_office, test_rest_sandbox

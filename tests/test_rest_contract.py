"""The contract itself: Nmbrs's OpenAPI description, what api_facts says about it, and that the check bites."""
import json

import requests

from odoo.tests import tagged

from ..nmbrs import api_facts
from ..nmbrs.sandbox import guid
from .rest_case import RestSandboxCase
from .rest_contract import contract, description, violations


@tagged('post_install', '-at_install')
class TestContract(RestSandboxCase):

    def test_every_operation_the_addon_uses_is_in_the_description(self):
        paths = description()['paths']
        for operation_id, operation in api_facts.REST_OPERATIONS.items():
            with self.subTest(operation=operation_id):
                described = paths[operation.path][operation.method.lower()]
                self.assertEqual(described['operationId'], operation_id)
                self.assertEqual(set(described['security'][0]['Bearer']), set(operation.scopes))
                answer = described['responses']['201' if operation.method == 'POST' else '200']['content']
                schema = answer.get('application/json', {}).get('schema', {}).get('$ref', '').rsplit('/', 1)[-1]
                properties = description()['components']['schemas'].get(schema, {}).get('properties', {})
                self.assertEqual(operation.document, set(properties) == {'taskId'})
        self.assertTrue(set(api_facts.REST_SCOPES) <= set(
            description()['components']['securitySchemes']['Bearer']['flows']['authorizationCode']['scopes']))

    def test_the_check_bites_on_an_extra_field_a_wrong_type_and_a_missing_envelope(self):
        client = self.rest_client()
        session = requests.Session()
        company = next(iter(self.sandbox.dataset.companies.values()))
        response = session.get(self.sandbox.rest_url + '/api/companies/%s/runs' % guid('company', company.id),
                               params={'year': company and self.sandbox.dataset.now().year},
                               headers={'Authorization': 'Bearer ' + client.tokens.access_token,
                                        api_facts.SUBSCRIPTION_KEY_HEADER:
                                            self.sandbox.rest_credentials.subscription_key}, timeout=10)
        self.assertEqual(violations(response), [])
        original = response.json()

        def changed(body):
            response._content = json.dumps(body).encode()
            return violations(response)

        extra = json.loads(json.dumps(original))
        extra['data'][0]['runAt'] = '2026-01-01T00:00:00Z'
        self.assertTrue(changed(extra), 'a field the description does not have')
        wrong = json.loads(json.dumps(original))
        wrong['data'][0]['locked'] = 'yes'
        self.assertTrue(changed(wrong), 'a wrong type')
        self.assertTrue(changed(original['data']), 'no envelope')
        self.assertEqual(changed(original), [])

    def test_the_description_is_valid_once_corrected(self):
        self.assertTrue(contract())

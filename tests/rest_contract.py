"""Nmbrs's own OpenAPI description as the contract of every REST answer of the sandbox.

The description ships in the PyPI package nmbrs-rest-api (installed for the
tests only); openapi-core validates each answer against the response schema
of its operation, status and content type. It is made strict first: an
object may not carry a field the description does not name, so a field the
sandbox invents fails like a wrong type or a missing envelope.

The description (nmbrs-rest-api 0.0.3) has two errors that spec validation
refuses, both on operations the addon does not use; they are corrected in
``_corrected`` and nowhere else:
- CreateEmployeeWageTaxSettings.incomeType and .specialTable have an empty
  ``enum`` (not allowed): dropped.
- /api/employees/{employeeId}/hours/{hourcomponentId} declares its parameter
  as hourComponentId: the path is spelt like the parameter.

Answers of the API gateway (a refused subscription key, an unknown path) are
not the API's: they are checked against the gateway's own small shape.
"""
import copy
import functools
import importlib.resources
import threading

import jsonschema
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from ..nmbrs.sandbox.server import REST_PREFIX

GATEWAY_ANSWER = {'type': 'object', 'additionalProperties': False, 'required': ['statusCode', 'message'],
                  'properties': {'statusCode': {'type': 'integer'}, 'message': {'type': 'string'}}}


def _corrected(spec):
    schemas, paths = spec['components']['schemas'], spec['paths']
    for name in ('incomeType', 'specialTable'):
        schemas['CreateEmployeeWageTaxSettings']['properties'][name].pop('enum')
    paths['/api/employees/{employeeId}/hours/{hourComponentId}'] = paths.pop(
        '/api/employees/{employeeId}/hours/{hourcomponentId}')
    # The sandbox serves the API below /rest on any host.
    spec['servers'] = [{'url': REST_PREFIX}]
    return spec


def _strict(node):
    """Forbid fields an object schema does not name (unless it says otherwise)."""
    if isinstance(node, dict):
        if node.get('type') == 'object' and 'properties' in node and 'additionalProperties' not in node:
            node['additionalProperties'] = False
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)
    return node


def description():
    """Nmbrs's OpenAPI description as shipped, parsed."""
    text = (importlib.resources.files('nmbrs_rest') / '_spec' / 'nmbrs-openapi.yaml').read_text(encoding='utf-8')
    return yaml.load(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))


@functools.cache
def contract():
    """The corrected, strict description, validated itself by openapi-core."""
    return OpenAPI.from_dict(_strict(_corrected(copy.deepcopy(description()))))


def violations(response):
    """What is wrong with one REST answer (a requests.Response of the sandbox's /rest/), as texts."""
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    if isinstance(body, dict) and 'statusCode' in body:
        validator = jsonschema.Draft202012Validator(GATEWAY_ANSWER)
        return ['gateway answer: %s' % error.message for error in validator.iter_errors(body)]
    try:
        contract().validate_response(RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response))
    except Exception as error:  # noqa: BLE001 - openapi-core raises one class per kind of violation
        causes = [error] + [cause for cause in (error.__cause__,) if cause] + list(
            getattr(error.__cause__, 'schema_errors', ()) or getattr(error, 'schema_errors', ()) or ())
        return ['%s %s -> HTTP %s: %s' % (response.request.method, response.request.path_url, response.status_code,
                                          '; '.join(str(cause)[:400] for cause in causes))]
    return []


class ContractWatch:
    """Collects the violations of every answer a requests session receives (a response hook)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.checked = 0
        self.found = []

    def __call__(self, response, *args, **kwargs):
        if response.request.path_url.startswith(REST_PREFIX + '/'):
            found = violations(response)
            with self._lock:
                self.checked += 1
                self.found += found
        return response

    def watch(self, session):
        session.hooks['response'].append(self)
        return session

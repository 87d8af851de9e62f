"""A small JSON API at /_sandbox/ so another process (benchmark, demo) can steer a running sandbox.

    GET    /_sandbox/credentials                        username, token, domain, url
    GET    /_sandbox/calls       DELETE /_sandbox/calls  read / clear the call log
    POST   /_sandbox/faults      {"kind": ..., "operation": ..., FaultRule options}
    DELETE /_sandbox/faults                             remove faults and latency
    POST   /_sandbox/latency     {"seconds": 0.2, "operation": "Run_GetList"}
    POST   /_sandbox/rate-limit  {"max_calls_per_second": 150 | null}
    POST   /_sandbox/runs        {"company_id": ..., "year": ..., "period": ..., "locked": true}
    POST   /_sandbox/runs/lock   {"run_id": ..., "locked": true}
REST:
    GET    /_sandbox/rest        client id, secret, redirect URI, subscription key, rest_url, identity_url
    POST   /_sandbox/consent     {"authorize_url": ..., "debtor_ids": [SOAP ids] | null, "all_debtors": false}: approve without a
                                 browser; answers {"callback": the redirect URL with code and state}
    POST   /_sandbox/rest/knobs  {"document_polls": 2, "max_calls_per_second": 10, "quota": 100, ...} (rest_knobs.py)
    POST   /_sandbox/identity    {"access_token_seconds": ..., "refresh_token_seconds": ..., "code_seconds": ...,
                                  "withheld_scopes": [...], "advance": seconds, "expire_refresh_tokens": true,
                                  "revoke_all": true}
"""
import json
from dataclasses import asdict

from .reply import JSON, Reply


class ControlEndpoint:
    def __init__(self, sandbox):
        self._sandbox = sandbox
        self._routes = {
            ('GET', 'credentials'): self._credentials,
            ('GET', 'calls'): lambda _: [call.as_json() for call in sandbox.calls],
            ('DELETE', 'calls'): lambda _: sandbox.calls.clear(),
            ('POST', 'faults'): self._inject,
            ('DELETE', 'faults'): lambda _: sandbox.faults.clear(),
            ('POST', 'latency'): lambda request: sandbox.faults.set_latency(
                request['seconds'], request.get('operation')),
            ('POST', 'rate-limit'): lambda request: sandbox.faults.set_rate_limit(request['max_calls_per_second']),
            ('POST', 'runs'): self._add_run,
            ('POST', 'runs/lock'): lambda request: self._run_json(
                sandbox.dataset.lock_run(request['run_id'], request.get('locked', True))),
            ('GET', 'rest'): lambda _: dict(sandbox.rest_credentials._asdict(), rest_url=sandbox.rest_url,
                                            identity_url=sandbox.identity_url),
            ('POST', 'consent'): lambda request: {'callback': sandbox.identity.approve(
                request['authorize_url'],
                sorted(sandbox.dataset.debtors) if request.get('all_debtors') else request.get('debtor_ids'))},
            ('POST', 'rest/knobs'): lambda request: sandbox.rest_knobs.set(**request),
            ('POST', 'identity'): self._identity,
        }

    def handle(self, method, path, body):
        route = self._routes.get((method, path.strip('/')))
        if route is None:
            return Reply(404, b'{"error": "unknown control route"}', JSON)
        try:
            result = route(json.loads(body or b'{}'))
        except (KeyError, TypeError, ValueError) as error:
            return Reply(400, json.dumps({'error': repr(error)}).encode(), JSON)
        return Reply(200, json.dumps({'ok': True} if result is None else result, default=str).encode(),
                     JSON)

    def _credentials(self, _request):
        return dict(self._sandbox.credentials._asdict(), url=self._sandbox.url)

    def _inject(self, request):
        rule = self._sandbox.faults.inject(**request)
        return {key: value for key, value in asdict(rule).items() if not key.startswith('_')}

    def _identity(self, request):
        identity = self._sandbox.identity
        for name in ('access_token_seconds', 'refresh_token_seconds', 'code_seconds'):
            if name in request:
                setattr(identity, name, request[name])
        if 'withheld_scopes' in request:
            identity.withheld_scopes = set(request['withheld_scopes'])
        if request.get('advance'):
            identity.advance(request['advance'])
        if request.get('expire_refresh_tokens'):
            identity.expire_refresh_tokens()
        if request.get('revoke_all'):
            identity.revoke_all()

    def _add_run(self, request):
        return self._run_json(self._sandbox.dataset.add_run(
            request['company_id'], request['year'], request['period'], request.get('locked', True)))

    @staticmethod
    def _run_json(run):
        return {'id': run.id, 'company_id': run.company_id, 'year': run.year, 'period': run.period,
                'is_locked': run.is_locked, 'employee_ids': list(run.pay)}

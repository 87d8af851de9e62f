"""A local Nmbrs (SOAP v3 and REST, one office) server for tests, the demo and the benchmark.

    from odoo.addons.nmbrs_connector.nmbrs.sandbox import NmbrsSandbox
    with NmbrsSandbox() as sandbox:      # demo dataset on a free port of 127.0.0.1
        sandbox.url, sandbox.credentials, sandbox.dataset, sandbox.faults, sandbox.calls
        sandbox.rest_url, sandbox.identity_url, sandbox.rest_credentials, sandbox.identity, sandbox.rest_knobs

Standalone: ``python -m nmbrs.sandbox --port 8899 --dataset demo``.
"""
from .calls import Call, CallLog
from .dataset import Dataset
from .faults import FAULT_KINDS, Faults, FaultRule, SandboxFault
from .generator import DEMO_USERNAME, demo_dataset, sized_dataset
from .guids import guid
from .server import Credentials, NmbrsSandbox, RestCredentials

__all__ = ['Call', 'CallLog', 'Credentials', 'DEMO_USERNAME', 'Dataset', 'FAULT_KINDS', 'FaultRule', 'Faults',
           'NmbrsSandbox', 'RestCredentials', 'SandboxFault', 'demo_dataset', 'guid', 'sized_dataset']

"""A local Nmbrs SOAP v3 server for tests, the demo and the benchmark.

    from odoo.addons.nmbrs_connector.nmbrs.sandbox import NmbrsSandbox
    with NmbrsSandbox() as sandbox:      # demo dataset on a free port of 127.0.0.1
        sandbox.url, sandbox.credentials, sandbox.dataset, sandbox.faults, sandbox.calls

Standalone: ``python -m nmbrs.sandbox --port 8899 --dataset demo``.
"""
from .calls import Call, CallLog
from .dataset import Dataset
from .faults import FAULT_KINDS, Faults, FaultRule, SandboxFault
from .generator import DEMO_USERNAME, demo_dataset, sized_dataset
from .server import Credentials, NmbrsSandbox

__all__ = ['Call', 'CallLog', 'Credentials', 'DEMO_USERNAME', 'Dataset', 'FAULT_KINDS', 'FaultRule', 'Faults',
           'NmbrsSandbox', 'SandboxFault', 'demo_dataset', 'sized_dataset']

"""The thread-safe log of calls the sandbox received."""
import threading
from dataclasses import asdict, dataclass

from .. import api_facts


@dataclass(frozen=True)
class Call:
    """One request: ``parameters`` are the body's children by wire name (nested dicts for objects).

    ``operation`` is None when the request could not be routed; ``injected`` names the
    injected fault kind that answered it, if any.
    """
    service: str
    operation: str
    parameters: dict
    soap_version: str
    timestamp: float
    username: str = None
    injected: str = None

    def as_json(self):
        return asdict(self)


class CallLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._calls = []

    def record(self, call):
        with self._lock:
            self._calls.append(call)

    def all(self):
        with self._lock:
            return list(self._calls)

    def of(self, operation):
        """Calls of one operation ('Operation' or 'Service.Operation')."""
        return [call for call in self.all()
                if operation in (call.operation, api_facts.operation_right(call.service, call.operation))]

    def clear(self):
        with self._lock:
            self._calls.clear()

    def __len__(self):
        with self._lock:
            return len(self._calls)

    def __iter__(self):
        return iter(self.all())

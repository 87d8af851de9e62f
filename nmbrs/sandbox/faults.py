"""Knobs that make the sandbox slow or broken, settable while it runs.

``Faults`` holds the latency, the injected faults and the rate limiter. All of
it is guarded by one lock, so tests and the control endpoint may change it while
server threads read it.
"""
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from .. import api_facts

# What an injected fault does to a call:
SOAP_FAULT = 'soap_fault'              # HTTP 500 with a Nmbrs SOAP fault of ``code``
HTTP_500 = 'http_500'                  # HTTP 500 with an HTML page, no SOAP body
HTTP_503 = 'http_503'                  # HTTP 503 Service Unavailable
TIMEOUT = 'timeout'                    # wait ``seconds`` before answering normally
DROP = 'drop'                          # close the connection without any response
TRUNCATED = 'truncated'                # HTTP 200 with the first half of the real response
MALFORMED = 'malformed'                # HTTP 200 with bytes that are not XML
HUGE = 'huge'                          # HTTP 200, the real response padded to ``size`` bytes
ENTITY_EXPANSION = 'entity_expansion'  # HTTP 200 with a "billion laughs" DOCTYPE
REST_ERROR = 'rest_error'              # REST only: the Nmbrs error answer of ``code`` (api_facts.REST_ERRORS)
FAULT_KINDS = (SOAP_FAULT, HTTP_500, HTTP_503, TIMEOUT, DROP, TRUNCATED, MALFORMED, HUGE, ENTITY_EXPANSION,
               REST_ERROR)

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_HUGE_SIZE = 16 * 1024 * 1024
RATE_LIMIT_DELAY = 0.5  # what Nmbrs adds above its fair-use rate


class SandboxFault(Exception):
    """A Nmbrs error the sandbox answers with a SOAP fault "---> code: message"."""

    def __init__(self, code, message=None):
        self.code = code
        self.message = message or api_facts.FAULT_TEXTS.get(code, 'Sandbox fault')
        super().__init__('%d: %s' % (code, self.message))


@dataclass
class FaultRule:
    """One injected fault. ``operation`` is None (every call), 'Operation' or 'Service.Operation'.

    Calls that match are counted; the rule fires from call ``after + 1`` on, at most
    ``times`` times (None: always), each time with ``probability`` (seeded).
    """
    kind: str
    operation: str = None
    after: int = 0
    times: int = None
    probability: float = None
    seed: int = 0
    code: int = api_facts.ERROR_UNKNOWN
    message: str = None
    seconds: float = DEFAULT_TIMEOUT_SECONDS
    size: int = DEFAULT_HUGE_SIZE
    matched: int = 0
    fired: int = 0
    _random: random.Random = field(default=None, repr=False)

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError('unknown fault kind %r, expected one of %s' % (self.kind, ', '.join(FAULT_KINDS)))
        self._random = random.Random(self.seed)

    def matches(self, service, operation):
        return self.operation in (None, operation, api_facts.operation_right(service, operation))

    def should_fire(self):
        """Count one matching call and say whether the fault applies to it (caller holds the lock)."""
        self.matched += 1
        if self.matched <= self.after or (self.times is not None and self.fired >= self.times):
            return False
        if self.probability is not None and self._random.random() >= self.probability:
            return False
        self.fired += 1
        return True


class Faults:
    def __init__(self, latency=0.0, max_calls_per_second=api_facts.MAX_CALLS_PER_SECOND):
        self._lock = threading.Lock()
        self._latency = latency
        self._operation_latency = {}
        self._rules = []
        self._max_calls_per_second = max_calls_per_second
        self._recent_calls = deque()

    def set_latency(self, seconds, operation=None):
        """Delay every call (or one operation: 'Operation' or 'Service.Operation') by ``seconds``."""
        with self._lock:
            if operation is None:
                self._latency = seconds
            else:
                self._operation_latency[operation] = seconds

    def latency_for(self, service, operation):
        with self._lock:
            for key in (api_facts.operation_right(service, operation), operation):
                if key in self._operation_latency:
                    return self._operation_latency[key]
            return self._latency

    def inject(self, kind, operation=None, **options):
        """Add a ``FaultRule`` (see its fields for ``options``) and return it."""
        rule = FaultRule(kind=kind, operation=operation, **options)
        with self._lock:
            self._rules.append(rule)
        return rule

    @property
    def rules(self):
        with self._lock:
            return list(self._rules)

    def clear(self):
        """Remove every injected fault and all latency; the rate limit stays."""
        with self._lock:
            self._rules.clear()
            self._latency = 0.0
            self._operation_latency.clear()

    def fault_for(self, service, operation):
        """The first rule that fires for this call, or None. Every matching rule counts the call."""
        with self._lock:
            fired = [rule for rule in self._rules if rule.matches(service, operation) and rule.should_fire()]
            return fired[0] if fired else None

    def set_rate_limit(self, max_calls_per_second):
        """Above this many calls in the last second each call waits 0.5 s; None switches it off."""
        with self._lock:
            self._max_calls_per_second = max_calls_per_second

    def rate_limit_delay(self):
        """Register a call now; return the delay the rate limiter imposes on it."""
        with self._lock:
            now = time.monotonic()
            self._recent_calls.append(now)
            while self._recent_calls and self._recent_calls[0] <= now - 1.0:
                self._recent_calls.popleft()
            over_limit = (self._max_calls_per_second is not None
                          and len(self._recent_calls) > self._max_calls_per_second)
            return RATE_LIMIT_DELAY if over_limit else 0.0

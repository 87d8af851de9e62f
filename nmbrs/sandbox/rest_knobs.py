"""Knobs of the sandbox's REST side, in the style of the SOAP fault knobs (faults.py).

Latency and injected faults (HTTP 500/503, drops, timeouts, broken answers,
or a Nmbrs error code with kind ``rest_error``) are the shared ``Faults``,
matched by operationId ('getCompanies' or 'rest.getCompanies'). These are
what only REST has: documents that take N polls, a per-second limit (429
42908 with Retry-After), a call quota (429 42909), the subscription keys and
a disabled subscription (403 40304). Consent knobs live on the identity
service (identity.py).
"""
import threading
import time
from collections import deque


class RestKnobs:
    def __init__(self, subscription_keys=()):
        self._lock = threading.Lock()
        self.subscription_keys = set(subscription_keys)
        self.document_polls = 0          # 202 answers before a document is ready
        self.max_calls_per_second = None  # above this: 429 42908
        self.retry_after = 1             # seconds sent with 42908 and 42909; None sends no Retry-After
        self.quota = None                # calls left before 429 42909; None: no quota
        self.subscription_disabled = False
        self._recent_calls = deque()

    def set(self, **values):
        """Change knobs by name (e.g. from the control endpoint)."""
        with self._lock:
            for name, value in values.items():
                if name.startswith('_') or not hasattr(self, name):
                    raise KeyError(name)
                setattr(self, name, set(value) if name == 'subscription_keys' else value)
            self._recent_calls.clear()

    def throttle(self):
        """Count a call; 'quota' or 'rate' when it must be refused, else None."""
        with self._lock:
            if self.quota is not None:
                if self.quota <= 0:
                    return 'quota'
                self.quota -= 1
            now = time.monotonic()
            self._recent_calls.append(now)
            while self._recent_calls and self._recent_calls[0] <= now - 1.0:
                self._recent_calls.popleft()
            if self.max_calls_per_second is not None and len(self._recent_calls) > self.max_calls_per_second:
                return 'rate'
            return None

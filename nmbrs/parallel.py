"""Run independent Nmbrs calls on a few threads that share one (thread-safe) client."""
from concurrent.futures import ThreadPoolExecutor

from .errors import NmbrsError

# Nmbrs answers in ~50 ms and allows ~150 calls/s: a few threads fill that
# without queueing at the client's rate limiter.
MAX_WORKERS = 6


def fetch_all(calls, max_workers=MAX_WORKERS):
    """Run ``calls`` ({key: callable without arguments}) concurrently.

    Returns {key: (result, None)} or {key: (None, error)} for a NmbrsError, so
    one failing download never loses the others. Any other exception is a bug
    and propagates.
    """
    def attempt(call):
        try:
            return call(), None
        except NmbrsError as error:
            return None, error

    if len(calls) <= 1:
        return {key: attempt(call) for key, call in calls.items()}
    with ThreadPoolExecutor(max_workers=min(max_workers, len(calls)), thread_name_prefix='nmbrs-fetch') as pool:
        futures = {key: pool.submit(attempt, call) for key, call in calls.items()}
        return {key: future.result() for key, future in futures.items()}

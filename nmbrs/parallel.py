"""Run independent Nmbrs calls on a few threads that share one (thread-safe) client."""
from collections import deque
from itertools import islice
from concurrent.futures import ThreadPoolExecutor

from .errors import NmbrsError

# Nmbrs answers in ~50 ms and allows ~150 calls/s: a few threads fill that
# without queueing at the client's rate limiter.
MAX_WORKERS = 6
# Batches (e.g. payroll runs) whose calls may be under way while the caller
# stores an earlier one: the downloads go on while Odoo writes, and only a few
# batches are held in memory.
BATCHES_AHEAD = 4
# The most calls one import has under way at once (its client keeps as many
# connections open): every batch ahead fetching on all its threads, plus the
# runs list asked ahead for the next relation.
MAX_CONCURRENT_CALLS = BATCHES_AHEAD * MAX_WORKERS + 1


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


def fetch_in_order(jobs, ahead=BATCHES_AHEAD):
    """Yield the results of ``jobs`` (callables without arguments) in their order.

    While the caller handles one result, up to ``ahead`` later jobs already
    run. A job's exception is raised when its result is due.
    """
    jobs = iter(jobs)
    with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix='nmbrs-ahead') as pool:
        pending = deque(pool.submit(job) for job in islice(jobs, ahead))
        while pending:
            result = pending.popleft().result()
            following = next(jobs, None)
            if following is not None:
                pending.append(pool.submit(following))
            yield result

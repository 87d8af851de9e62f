"""HTTP plumbing both Nmbrs clients share: the rate limiter, a bounded read of an answer, and
requests' failures turned into NmbrsErrors that say whether the request left this machine."""
import contextlib
import threading
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError, ReadTimeoutError

from .errors import NmbrsConnectionError, NmbrsResponseError, NmbrsTimeout, NmbrsUncertainWriteError

DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024
_CHUNK_BYTES = 64 * 1024


class RateLimiter:
    """Spaces calls at least 1/calls_per_second apart, across all threads sharing it."""

    def __init__(self, calls_per_second):
        self.interval = 1.0 / calls_per_second
        self._lock = threading.Lock()
        self._next_slot = 0.0

    def wait(self):
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def new_session(pool_size):
    """A requests session that keeps up to ``pool_size`` connections per host open."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    return session


def never_connected(error):
    """Whether a requests ConnectionError happened before any byte of the request was sent."""
    reason = getattr(error.args[0], 'reason', None) if error.args else None
    return isinstance(reason, NewConnectionError)


def not_sent(error):
    """Mark an error as one that happened before the request was sent."""
    error.request_sent = False
    return error


def timeout_error(read_timeout, error):
    return NmbrsTimeout('Nmbrs did not answer within %s seconds. Try again later.' % read_timeout, detail=str(error))


def broken_off_error(detail):
    return NmbrsConnectionError(
        'The connection to Nmbrs broke off before the whole answer arrived. Try again later.', detail=detail)


@contextlib.contextmanager
def request_errors(host, read_timeout):
    """Turn what requests raises while a call is sent and its answer read into NmbrsErrors."""
    try:
        yield
    except requests.ConnectTimeout as error:
        raise not_sent(timeout_error(read_timeout, error)) from None
    except requests.Timeout as error:
        raise timeout_error(read_timeout, error) from None
    except requests.exceptions.SSLError as error:
        raise NmbrsConnectionError(
            'The secure connection to %s failed: its certificate could not be verified.' % host,
            transient=False, detail=str(error)) from None
    except requests.ConnectionError as error:
        # A read timeout while streaming the body arrives as a ConnectionError.
        if error.args and isinstance(error.args[0], ReadTimeoutError):
            raise timeout_error(read_timeout, error) from None
        unreachable = NmbrsConnectionError(
            'Could not reach Nmbrs at %s. Check the internet connection and the Nmbrs '
            'server address.' % host, detail=str(error))
        if never_connected(error):
            not_sent(unreachable)
        raise unreachable from None
    except requests.exceptions.ChunkedEncodingError as error:
        raise broken_off_error(str(error)) from None
    except requests.RequestException as error:
        raise NmbrsConnectionError(
            'Could not reach Nmbrs at %s.' % host, transient=False, detail=str(error)) from None


def read_body(response, max_response_bytes):
    """The whole body of a streamed response, refused when larger than ``max_response_bytes``."""
    too_large = NmbrsResponseError(
        'Nmbrs sent an answer larger than the limit of %g MB.'
        % round(max_response_bytes / (1024 * 1024), 3),
        detail='response exceeds %d bytes' % max_response_bytes)
    declared = response.headers.get('Content-Length', '')
    if declared.isdigit() and int(declared) > max_response_bytes:
        raise too_large
    body = bytearray()
    for chunk in response.iter_content(_CHUNK_BYTES):
        body += chunk
        if len(body) > max_response_bytes:
            raise too_large
    # urllib3 1.x does not check that the declared length arrived; tell()
    # counts the bytes as sent, before any Content-Encoding is undone.
    if declared.isdigit() and response.raw.tell() < int(declared):
        raise broken_off_error('received %d of %s bytes' % (response.raw.tell(), declared))
    return bytes(body)


def write_may_have_arrived(error):
    """Whether a write that failed this way may have changed Nmbrs: it broke off, or Nmbrs took it
    (HTTP 200) but its answer cannot be read."""
    return error.transient or isinstance(error, NmbrsResponseError)


def uncertain_write_error(error, right):
    """What a write that failed on the way tells: not sent at all, or perhaps arrived."""
    if not getattr(error, 'request_sent', True):
        error.transient = False
        return error
    return NmbrsUncertainWriteError(
        'Nmbrs did not confirm the change (%s): it may or may not have arrived. It was not sent again; '
        'the next sync compares Odoo with Nmbrs.' % right, operation=right, detail=error.detail or error.message)

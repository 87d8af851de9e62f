"""Exceptions raised by the Nmbrs client.

Every exception carries a plain-language ``message`` an accountant can act on
(also its ``str()``) and keeps the facts in attributes, so the Odoo layer can
translate by exception class. No exception text ever contains the API token.
"""


class NmbrsError(Exception):
    """Base of all Nmbrs errors.

    ``code``: the Nmbrs error code (e.g. 1001) or None.
    ``operation``: the call as named in the Nmbrs API user template,
    e.g. ``CompanyService.Run_GetList``, or None.
    ``transient``: True when trying again later may succeed.
    ``detail``: the technical text (fault string, HTTP reason) for logs.
    """

    transient = False

    def __init__(self, message, *, code=None, operation=None, transient=None, detail=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.operation = operation
        self.detail = detail
        if transient is not None:
            self.transient = transient

    def __str__(self):
        return self.message

    def __repr__(self):
        return '%s(%r, code=%r, operation=%r)' % (
            type(self).__name__, self.message, self.code, self.operation)

    def redact(self, secret):
        """Remove ``secret`` from every text of the error (a server may echo it)."""
        if not secret:
            return
        self.message = self.message.replace(secret, '***')
        if self.detail:
            self.detail = self.detail.replace(secret, '***')
        self.args = (self.message,)


class NmbrsAuthenticationError(NmbrsError):
    """Nmbrs error 1001: wrong e-mail address, API token or tenant key (domain)."""


class NmbrsPermissionError(NmbrsError):
    """Nmbrs error 1002: the API user template does not allow this call.

    ``right`` names the right to switch on, e.g. ``CompanyService.Run_GetList``.
    """

    def __init__(self, message, *, right, **kwargs):
        super().__init__(message, **kwargs)
        self.right = right


class NmbrsAccessError(NmbrsError):
    """Nmbrs errors 1003, 2003, 2004, 2009: a record is unknown or out of the user's reach.

    ``record_kind`` is 'data', 'employee', 'company' or 'debtor';
    ``record_id`` the id that was asked for, when known.
    """

    def __init__(self, message, *, record_kind, record_id=None, **kwargs):
        super().__init__(message, **kwargs)
        self.record_kind = record_kind
        self.record_id = record_id


class NmbrsSubscriptionError(NmbrsError):
    """Nmbrs error 1004: the environment has no valid subscription."""


class NmbrsUnknownError(NmbrsError):
    """Nmbrs error 9999, a code this client does not know, or a fault without a code."""


class NmbrsTimeout(NmbrsError):
    """Nmbrs did not answer within the configured time."""

    transient = True


class NmbrsConnectionError(NmbrsError):
    """Nmbrs could not be reached (network, DNS, TLS)."""

    transient = True


class NmbrsUncertainWriteError(NmbrsError):
    """A change was sent to Nmbrs but no answer confirmed it: it may or may not have arrived.

    Writes are never sent twice (a second update could apply twice); the
    caller compares with Nmbrs on its next read instead.
    """


class NmbrsHTTPError(NmbrsError):
    """An HTTP status other than success that carries no SOAP fault. ``status`` is the HTTP status."""

    def __init__(self, message, *, status, **kwargs):
        super().__init__(message, **kwargs)
        self.status = status


class NmbrsResponseError(NmbrsError):
    """The answer could not be read: not XML, unsafe XML, too large or an unexpected shape."""


# ---------------------------------------------------------------- REST

class NmbrsConsentError(NmbrsAuthenticationError):
    """The REST consent no longer works (token missing or refused, refresh token expired, revoked or
    used twice): someone with a Nmbrs login must give consent again. ``reason`` says which, for logs:
    'refused' (40101/40102), 'invalid_grant' (refresh refused), 'not_connected' (no tokens)."""

    def __init__(self, message, *, reason, **kwargs):
        super().__init__(message, **kwargs)
        self.reason = reason


class NmbrsSubscriptionKeyError(NmbrsAuthenticationError):
    """The API gateway refused the REST subscription key (wrong, expired or missing)."""


class NmbrsScopeError(NmbrsPermissionError):
    """The REST consent lacks the scope a call needs; ``right`` (and ``scope``) names it."""

    @property
    def scope(self):
        return self.right


class NmbrsSeveralDebtorsError(NmbrsAccessError):
    """Nmbrs error 40306: the consent covers several debtors, so a list must be asked per debtor.

    The REST client handles it itself; it only reaches a caller of a call that has no per-debtor form.
    """


class NmbrsRateLimitError(NmbrsError):
    """Nmbrs error 42908: too many calls in a short time. ``retry_after``: seconds Nmbrs asked to wait, or None."""

    transient = True

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class NmbrsQuotaError(NmbrsError):
    """Nmbrs error 42909: the subscription's call volume is used up; trying again now does not help.

    ``retry_after``: seconds Nmbrs asked to wait, or None.
    """

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class NmbrsValidationError(NmbrsError):
    """Nmbrs refused the values sent (HTTP 400). ``invalid_params``: [(name, reason)] as Nmbrs named them."""

    def __init__(self, message, *, invalid_params=(), **kwargs):
        super().__init__(message, **kwargs)
        self.invalid_params = list(invalid_params)


class NmbrsUnsupportedError(NmbrsError):
    """The call does not exist over this protocol (see the capability flags of nmbrs.interface.NmbrsApi)."""

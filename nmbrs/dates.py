"""Reading the dates and date-times Nmbrs sends, the same way for every protocol.

Nmbrs is a .NET service: a date-time comes with an offset (``+01:00``), with
``Z``, or without a zone, and with up to seven fraction digits. Odoo stores
naive UTC, so every date-time is turned into that; one without a zone is Dutch
local time (api_facts.NMBRS_TIMEZONE). A date is taken as written.
"""
import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from . import api_facts

_DATETIME = re.compile(
    r'(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?',
    re.IGNORECASE)
NMBRS_ZONE = ZoneInfo(api_facts.NMBRS_TIMEZONE)


def _parts(text):
    match = _DATETIME.fullmatch(text.strip())
    if not match:
        raise ValueError('%r is not a date or date-time' % text[:40])
    return match.groups()


def _is_unset(text):
    return text.strip().startswith(api_facts.UNSET_DATETIME[:10])


def parse_datetime(text):
    """Naive UTC datetime of an ISO 8601 text, or None for the "not set" value; ValueError when unreadable."""
    if _is_unset(text):
        return None
    year, month, day, hour, minute, second, fraction, zone = _parts(text)
    microsecond = int((fraction or '0')[:6].ljust(6, '0'))
    moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                      microsecond)
    if not zone:
        return from_dutch_time(moment)
    if zone.upper() == 'Z':
        moment = moment.replace(tzinfo=timezone.utc)
    else:
        moment = moment.replace(tzinfo=datetime.strptime(zone.replace(':', ''), '%z').tzinfo)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def parse_date(text):
    """The date an ISO 8601 date or date-time text names, as written; None for "not set"."""
    if _is_unset(text):
        return None
    year, month, day = _parts(text)[:3]
    return date(int(year), int(month), int(day))


def from_dutch_time(moment):
    """Naive UTC of a naive Dutch local time."""
    return moment.replace(tzinfo=NMBRS_ZONE).astimezone(timezone.utc).replace(tzinfo=None)


def local_date(moment):
    """The Dutch calendar date of a naive UTC datetime (e.g. a run's day, for its payment date)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(NMBRS_ZONE).date()

"""Normalised date values (TimeML style) and the calendar periods they cover.

A value keeps its own precision: ``2019`` (year), ``2019-Q3`` / ``2019-SU`` / ``2019-H1``
(a part of a year, precision ``month`` over its months), ``2019-07`` (month), ``2019-W28`` (ISO
week; ``2019-W28-WE`` its weekend), ``2019-07-04`` (day), ``2019-07-12T14:00`` and
``2019-07-12TMO`` (a time or part of a day, precision ``time``); ``199`` (the 1990s) and ``19``
(1900-1999) span years at precision ``year``. A modifier (``early``, ``mid``, ``late``) narrows
the period to a third of it without changing the value's precision.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

PRECISIONS = ("year", "month", "week", "day", "time")

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(?:(\d{2})(?::(\d{2}))?|MO|AF|EV|NI)")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_WEEKEND = re.compile(r"^(\d{4})-W(\d{2})-WE$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")
_PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")

_PART_MONTHS = {
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
    "H1": (1, 6),
    "H2": (7, 12),
    "SP": (3, 5),
    "SU": (6, 8),
    "FA": (9, 11),
    "WI": (12, 14),  # December to February of the next year
}


@dataclass(frozen=True)
class Period:
    """The days a date value covers, first and last included."""

    start: dt.date
    end: dt.date
    precision: str

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


def _month_end(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period(value: str | None, modifier: str | None = None) -> Period | None:
    """The period a normalised date value covers, or None for what is not on the calendar
    (durations such as ``P3Y``, ``PRESENT_REF``, sets)."""
    if not value:
        return None
    try:
        result = _period(value)
    except ValueError:
        return None
    if result is None or not modifier:
        return result
    return _narrow(result, modifier)


# A case names the same few thousand dates over and over (every event, claim and export row).
@lru_cache(maxsize=8192)
def _period(value: str) -> Period | None:
    if m := _TIME.match(value):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        day = dt.date(y, mo, d)
        return Period(day, day, "time")
    if m := _DAY.match(value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return Period(day, day, "day")
    if m := _WEEK.match(value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return Period(monday, monday + dt.timedelta(days=6), "week")
    if m := _WEEKEND.match(value):
        saturday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 6)
        return Period(saturday, saturday + dt.timedelta(days=1), "week")
    if m := _MONTH.match(value):
        y, mo = int(m[1]), int(m[2])
        return Period(dt.date(y, mo, 1), _month_end(y, mo), "month")
    if m := _PART.match(value):
        y = int(m[1])
        first, last = _PART_MONTHS[m[2]]
        return Period(dt.date(y, first, 1), _month_end(y, last), "month")
    if m := _YEAR.match(value):
        y = int(m[1])
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    # A decade ("199" = the 1990s) or century ("19" = 1900-1999) spans years.
    if m := _DECADE.match(value):
        y = int(m[1]) * 10
        return Period(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "year")
    if m := _CENTURY.match(value):
        y = int(m[1]) * 100
        return Period(dt.date(y, 1, 1), dt.date(y + 99, 12, 31), "year")
    return None


def _narrow(p: Period, modifier: str) -> Period:
    days = (p.end - p.start).days + 1
    third = max(days // 3, 1)
    mod = modifier.lower()
    if mod in ("early", "start"):
        return Period(p.start, p.start + dt.timedelta(days=third - 1), p.precision)
    if mod in ("mid", "middle"):
        s = p.start + dt.timedelta(days=third)
        return Period(s, min(s + dt.timedelta(days=third - 1), p.end), p.precision)
    if mod in ("late", "end"):
        return Period(p.end - dt.timedelta(days=third - 1), p.end, p.precision)
    return p


def precision(value: str | None) -> str | None:
    found = period(value)
    return None if found is None else found.precision

"""Dates and documents in words, as the user reads them in the window and in summaries.

Plain text: a summary escapes what it takes from here for Markdown (``casedesk.export.text``),
a window escapes it for its labels. Light to import (the window names dates before any export
code is loaded).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from casedesk.extract import timex

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PARTS = {
    "Q1": "first quarter of",
    "Q2": "second quarter of",
    "Q3": "third quarter of",
    "Q4": "fourth quarter of",
    "H1": "first half of",
    "H2": "second half of",
    "SP": "spring",
    "SU": "summer",
    "FA": "autumn",
    "WI": "winter",
}
_MODIFIERS = {
    "early": "early ",
    "start": "early ",
    "mid": "mid-",
    "middle": "mid-",
    "late": "late ",
    "end": "late ",
    "approx": "about ",
    "before": "before ",
    "after": "after ",
    "on_or_before": "by ",
    "on_or_after": "from ",
}


# A day narrowed by a modifier: "early on 11 March 2020", not "early 11 March 2020".
_DAY_MODIFIERS = {
    "early": "early on ",
    "start": "early on ",
    "mid": "midday on ",
    "middle": "midday on ",
    "late": "late on ",
    "end": "late on ",
}
_DAY_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"}


def day_words(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_range_words(first: dt.date, last: dt.date) -> str:
    """``13–14 July 2019``, ``31 August – 1 September 2019``, across years in full."""
    if first.year != last.year:
        return f"{day_words(first)} – {day_words(last)}"
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day_words(last)}"
    return f"{first.day}–{day_words(last)}"


@lru_cache(maxsize=8192)  # a summary writes the same dates many times over
def date_words(value: str | None, modifier: str | None = None) -> str:
    """A normalised date value in words, at its own precision ("July 2019", "week 28 of
    2019", "mid-December 2019"). Values that are not calendar dates come back as they are."""
    if not value:
        return ""
    found = timex.period(value)
    if found is None:
        return value
    if found.precision == "time":
        m = re.match(r"^\d{4}-\d{2}-\d{2}T(?:(\d{2})(?::(\d{2}))?|(MO|AF|EV|NI))", value)
        if m and m[3]:
            words = f"{_DAY_PARTS[m[3]]} of {day_words(found.start)}"
        elif m and m[1]:
            words = f"{day_words(found.start)}, {m[1]}:{m[2] or '00'}"
        else:
            words = day_words(found.start)
    elif found.precision == "day":
        words = day_words(found.start)
    elif found.precision == "week" and value.endswith("-WE"):
        words = f"weekend of {day_range_words(found.start, found.end)}"
    elif found.precision == "week":
        year, week, _ = found.start.isocalendar()
        words = f"week {week} of {year}"
    elif found.precision == "month" and re.match(r"^\d{4}-\d{2}$", value):
        words = f"{_MONTHS[found.start.month - 1]} {found.start.year}"
    elif found.precision == "month":
        part = value[5:]
        words = f"{_PARTS.get(part, part)} {value[:4]}"
    elif re.fullmatch(r"\d{3}", value):
        words = f"{value}0s"
    elif re.fullmatch(r"\d{2}", value):
        words = f"{value}00s"
    else:
        words = value[:4]
    mod = (modifier or "").lower()
    if words.split(" ", 1)[0] in _DAY_PARTS.values() and mod in _MODIFIERS:
        return _MODIFIERS[mod] + words  # "early morning of 11 March 2020"
    if found.precision in ("day", "time") and mod in _DAY_MODIFIERS:
        return _DAY_MODIFIERS[mod] + words
    return _MODIFIERS.get(mod, "") + words


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def spoken_date(value: str | None, modifier: str | None = None) -> str:
    """A date value as a reader says it, in plain text (not Markdown): a single day with its
    weekday ("Monday, 22 June 2020", "Monday evening, 22 June 2020", "Monday, 22 June 2020,
    19:00"), anything longer as ``date_words`` puts it ("June 2020", "week 26 of 2020").
    Values that are not calendar dates come back as they are."""
    if not value:
        return ""
    found = timex.period(value)
    if found is None:
        return value
    words = date_words(value, modifier)
    if found.precision not in ("day", "time"):
        return words
    day = day_words(found.start)
    weekday = _WEEKDAYS[found.start.weekday()]
    for part in _DAY_PARTS.values():
        if f"{part} of {day}" in words:
            lead = words[: words.index(f"{part} of {day}")]
            return f"{lead}{weekday} {part}, {day}"
    return words.replace(day, f"{weekday}, {day}", 1)


def document_label(
    title: str | None, publisher: str | None, published: str | None, file_name: str = ""
) -> str:
    """How a document is named to the user, in plain text: its title, publisher and date
    ("Seoul protests curbs — Korea Herald, 2 August 2019"); the file name only when the
    document has no title."""
    name = " ".join((title or file_name or "untitled document").split())
    more = [p for p in (" ".join((publisher or "").split()), _plain_day(published)) if p]
    return f"{name} — {', '.join(more)}" if more else name


def document_short_label(
    title: str | None,
    publisher: str | None,
    published: str | None,
    file_name: str = "",
    limit: int = 28,
) -> str:
    """How a document is named where room is short (a legend): its title cut to about
    ``limit`` characters at a word, and its publisher ("Seoul protests… — Korea Herald");
    without a title, the publisher and date; the file name only when it has neither."""
    name = " ".join((title or "").split())
    press = " ".join((publisher or "").split())
    if len(press) > limit:
        press = press[: limit - 1].rstrip() + "…"
    if not name:
        more = [p for p in (press, _plain_day(published)) if p]
        return ", ".join(more) if more else " ".join((file_name or "untitled document").split())
    if len(name) > limit:
        cut = name[: limit - 1]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rindex(" ")]
        name = cut.rstrip(" ,;:—-") + "…"
    return f"{name} — {press}" if press else name


def _plain_day(value: str | None) -> str:
    if not value:
        return ""
    found = timex.period(value)
    return date_words(value) if found is not None else value

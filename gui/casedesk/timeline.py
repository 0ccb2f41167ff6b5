"""The case timeline without Qt: events from the store, time <-> pixel maths, axis ticks, lanes.

The widget (``casedesk.ui.timeline_view``) only paints what this module computes, so every
decision a user can see -- where an event sits, which lane it takes, which tick labels fit, when
50,000 events collapse into a histogram -- is made here and tested without a display.

Time is a float number of days on the proleptic Gregorian calendar (``date.toordinal()``), so
day 737,000.5 is noon of 2018-11-24. A day event is a point in the middle of its day, a time event
a point at its hour, and week, month and year events are bars over the days they cover.

Lanes are computed in *world pixels* (``t * scale``): panning is a translation and never lays
anything out again; only a zoom does, and then only for the events in and near the view.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import heapq
import itertools
import math
import operator
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from casedesk.store import chunked

if TYPE_CHECKING:
    from casedesk.store import Case

Precision = Literal["year", "month", "week", "day", "time"]
POINT_PRECISIONS = frozenset({"day", "time"})
TextWidth = Callable[[str], float]

MIN_T = 1.0  # 0001-01-01
MAX_T = float(dt.date(9999, 12, 31).toordinal())
MIN_SPAN_DAYS = 1.0
MAX_SPAN_DAYS = 500 * 365.2425


def estimate_text_width(text: str) -> float:
    """A font-free guess of a label's width in pixels (about 7 px a character)."""
    return 7.0 * len(text)


# -- events ------------------------------------------------------------------------------------


class EventSource(NamedTuple):
    """One fact an event was drawn from: the sentence to open in the reader. ``document``
    names its document as the user knows it (title, publisher, date), ``short_document`` in
    a few words (a shortened title and the publisher)."""

    document_id: int
    file_name: str
    fact_id: int
    start: int
    end: int
    text: str
    document: str = ""
    denied: bool = False  # the report denies the happening: a dispute of it, not a source for it
    short_document: str = ""


@dataclass(slots=True)
class TimelineEvent:
    id: int
    date: str
    start: dt.date
    end: dt.date
    precision: str
    title: str
    sources: list[EventSource] = field(default_factory=list)
    entity_ids: list[int] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    status: str = "extracted"
    t0: float = field(init=False, repr=False)
    t1: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.t0, self.t1 = event_span(self.date, self.start, self.end, self.precision)

    @property
    def is_point(self) -> bool:
        return self.precision in POINT_PRECISIONS

    @property
    def agreeing(self) -> int:
        """Reports that tell of the happening; denials of it are not counted."""
        return sum(1 for s in self.sources if not s.denied)

    @property
    def t(self) -> float:
        """Where a point event sits (bars: their middle)."""
        return self.t0 if self.is_point else (self.t0 + self.t1) / 2


_CLOCK = re.compile(r"T(\d{2})(?::(\d{2}))?")


def event_span(value: str, start: dt.date, end: dt.date, precision: str) -> tuple[float, float]:
    """The times an event covers: a point (t0 == t1) for day and time events, else its days."""
    if precision == "time":
        m = _CLOCK.search(value)
        hours = 0.0 if m is None else int(m[1]) + int(m[2] or 0) / 60
        t = start.toordinal() + min(hours, 23.99) / 24
        return t, t
    if precision == "day":
        t = start.toordinal() + 0.5
        return t, t
    return float(start.toordinal()), float(end.toordinal() + 1)


def t_of_date(d: dt.date | dt.datetime) -> float:
    if isinstance(d, dt.datetime):
        return d.toordinal() + (d.hour * 3600 + d.minute * 60 + d.second) / 86400
    return float(d.toordinal())


def date_of_t(t: float) -> dt.datetime:
    t = min(max(t, MIN_T), MAX_T + 0.999)
    day = int(math.floor(t))
    seconds = round((t - day) * 86400)
    return dt.datetime.fromordinal(day) + dt.timedelta(seconds=min(seconds, 86399))


# -- loading from the store --------------------------------------------------------------------


def load_events(
    case: Case | sqlite3.Connection,
    *,
    entity_id: int | None = None,
    kind: str | None = None,
    tag_id: int | None = None,
) -> list[TimelineEvent]:
    """The case's events with their sources, in time order; rejected events and sources left out.

    ``entity_id`` keeps events linked to that entity; ``kind`` keeps events with a source fact of
    that kind or a linked entity of that kind; ``tag_id`` keeps events one of whose source spans
    overlaps an annotation carrying that tag. An event whose every source was rejected is gone
    too; an event that never had a source (entered by hand) stays.

    ``case`` may also be a bare connection to a case file, such as a read-only one opened in a
    worker thread.
    """
    with _no_gc():
        return _load_events(case, entity_id, kind, tag_id)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Build many small objects without the collector rescanning them all every few thousand
    allocations (that tripled the time of loading 50,000 events); nothing here makes cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_events(
    case: Case | sqlite3.Connection, entity_id: int | None, kind: str | None, tag_id: int | None
) -> list[TimelineEvent]:
    where = ["e.status != 'rejected'"]
    params: list[object] = []
    if entity_id is not None:
        where.append("e.id IN (SELECT event_id FROM event_entities WHERE entity_id = ?)")
        params.append(entity_id)
    if kind is not None:
        where.append(
            "(e.id IN (SELECT es.event_id FROM event_sources es JOIN facts kf ON kf.id = es.fact_id"
            " WHERE kf.kind = ? AND kf.status != 'rejected')"
            " OR e.id IN (SELECT ee.event_id FROM event_entities ee"
            " JOIN entities en ON en.id = ee.entity_id WHERE en.kind = ?))"
        )
        params += [kind, kind]
    if tag_id is not None:
        where.append(
            "e.id IN (SELECT es.event_id FROM event_sources es JOIN facts tf ON tf.id = es.fact_id"
            " JOIN annotations a ON a.document_id = tf.document_id"
            " WHERE a.tag_id = ? AND tf.status != 'rejected'"
            " AND a.start < tf.end AND tf.start < a.end)"
        )
        params.append(tag_id)
    condition = " AND ".join(where)
    conn = case if isinstance(case, sqlite3.Connection) else case.conn
    # Four flat queries instead of one wide join: the events, their source facts, the file
    # names, the entity links. Each is a plain scan or index walk, and no row is sorted in SQL.
    by_id: dict[int, TimelineEvent] = {}
    for eid, value, d_start, d_end, precision, title, status in conn.execute(
        f"SELECT e.id, e.date, e.date_start, e.date_end, e.precision, e.title, e.status"
        f" FROM events e WHERE {condition}",
        params,
    ):
        start = _parse_date(d_start)
        end = _parse_date(d_end)
        if start is None or end is None:
            continue  # an unreadable date must not hide the other events
        by_id[eid] = TimelineEvent(
            eid, str(value), start, max(end, start), str(precision), str(title), status=status
        )
    if not by_id:
        return []
    names: dict[int, str] = {}
    had_rejected: set[int] = set()
    found_sources: dict[int, list[tuple[int, int, int, int, str, bool]]] = {}
    join_events = "" if len(where) == 1 else f" JOIN events e ON e.id = s.event_id AND {condition}"
    for eid, fact_id, doc_id, f_start, f_end, text, f_status, denied in conn.execute(
        "SELECT s.event_id, f.id, f.document_id, f.start, f.end, f.text, f.status,"
        " json_valid(f.attrs) AND json_extract(f.attrs, '$.polarity') = 'denies'"
        f" FROM event_sources s JOIN facts f ON f.id = s.fact_id{join_events}",
        params if join_events else [],
    ):
        if eid not in by_id:
            continue
        if f_status == "rejected":
            had_rejected.add(eid)
            continue
        found_sources.setdefault(eid, []).append(
            (doc_id, f_start, fact_id, f_end, text, bool(denied))
        )
        names[doc_id] = ""
    labels: dict[int, str] = {}
    shorts: dict[int, str] = {}
    if names:
        from casedesk.words import document_label, document_short_label

        # title, publisher and date sit before the text in a row: no document text is read
        for chunk, marks in chunked(sorted(names)):
            for doc_id, file_name, title, publisher, published in conn.execute(
                "SELECT id, file_name, title, publisher, published FROM documents "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                names[doc_id] = file_name
                labels[doc_id] = document_label(title, publisher, published, file_name)
                shorts[doc_id] = document_short_label(title, publisher, published, file_name)
    for eid, rows in found_sources.items():
        if len(rows) > 1:
            rows.sort()
        event = by_id[eid]
        event.sources = [
            EventSource(
                doc_id,
                names[doc_id],
                fact_id,
                f_start,
                f_end,
                text,
                labels[doc_id],
                d,
                shorts[doc_id],
            )
            for doc_id, f_start, fact_id, f_end, text, d in rows
        ]
        event.document_ids = list(dict.fromkeys(row[0] for row in rows))
    for eid in had_rejected:
        if not by_id[eid].sources:
            del by_id[eid]
    for eid, ent in conn.execute(
        "SELECT event_id, entity_id FROM event_entities ORDER BY event_id, entity_id"
    ):
        found = by_id.get(eid)
        if found is not None:
            found.entity_ids.append(ent)
    events = list(by_id.values())
    events.sort(key=lambda e: (e.t0, e.t1, e.id))
    return events


def _parse_date(text: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Choice:
    """An entry of a filter combo: the id, a label and how many events it keeps."""

    id: int
    label: str
    count: int


def entity_choices(case: Case, limit: int = 500) -> list[Choice]:
    """Entities linked to events, most eventful first (for the entity filter)."""
    rows = case.conn.execute(
        "SELECT en.id, en.name, en.kind, COUNT(*) AS n FROM event_entities ee"
        " JOIN entities en ON en.id = ee.entity_id JOIN events e ON e.id = ee.event_id"
        " WHERE e.status != 'rejected' AND en.status != 'rejected'"
        " GROUP BY en.id ORDER BY n DESC, en.name COLLATE NOCASE LIMIT ?",
        (limit,),
    )
    return [Choice(int(i), f"{name} ({kind})", int(n)) for i, name, kind, n in rows]


def entity_names(case: Case, ids: Sequence[int]) -> dict[int, str]:
    """Names of these entities (for a legend), in one query."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = case.conn.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", list(ids))
    return {int(i): str(name) for i, name in rows}


def tag_choices(case: Case) -> list[Choice]:
    rows = case.conn.execute(
        "SELECT t.id, t.name, COUNT(a.id) FROM tags t LEFT JOIN annotations a ON a.tag_id = t.id"
        " GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
    )
    return [Choice(int(i), str(name), int(n)) for i, name, n in rows]


# -- the viewport ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewport:
    """What the view shows: the time at its left edge, pixels per day and its width in pixels.

    Every change returns a new, clamped viewport: between a day and five centuries wide, and
    inside the years 1 to 9999.
    """

    start: float
    scale: float
    width: float

    @property
    def span(self) -> float:
        return self.width / self.scale

    @property
    def end(self) -> float:
        return self.start + self.span

    def x(self, t: float) -> float:
        return (t - self.start) * self.scale

    def t(self, x: float) -> float:
        return self.start + x / self.scale

    @property
    def offset(self) -> float:
        """World pixels (``t * scale``) at the left edge: view x = world x - offset."""
        return self.start * self.scale

    def clamped(self) -> Viewport:
        width = max(self.width, 1.0)
        scale = min(max(self.scale, width / MAX_SPAN_DAYS), width / MIN_SPAN_DAYS)
        span = width / scale
        start = min(max(self.start, MIN_T), MAX_T + 1 - span)
        return Viewport(start, scale, width)

    def zoom(self, factor: float, anchor_x: float | None = None) -> Viewport:
        """Zoom in (factor > 1) or out around ``anchor_x``, which keeps showing the same time."""
        if anchor_x is None:
            anchor_x = self.width / 2
        anchor_t = self.t(anchor_x)
        width = max(self.width, 1.0)
        scale = min(max(self.scale * factor, width / MAX_SPAN_DAYS), width / MIN_SPAN_DAYS)
        return Viewport(anchor_t - anchor_x / scale, scale, self.width).clamped()

    def pan(self, dx: float) -> Viewport:
        """Move the content ``dx`` pixels to the right (the view looks further into the past)."""
        return Viewport(self.start - dx / self.scale, self.scale, self.width).clamped()

    def resized(self, width: float) -> Viewport:
        """Keep the left edge and the scale, show more or less on the right."""
        return Viewport(self.start, self.scale, width).clamped()

    @classmethod
    def fit(cls, t0: float, t1: float, width: float, margin: float = 40.0) -> Viewport:
        """Show ``t0 .. t1`` with ``margin`` pixels free on each side (less on a narrow view)."""
        width = max(width, 1.0)
        margin = min(margin, width / 4)
        inner = max(width - 2 * margin, 1.0)
        span = max(t1 - t0, MIN_SPAN_DAYS * inner / width)
        scale = inner / span
        scale = min(max(scale, width / MAX_SPAN_DAYS), width / MIN_SPAN_DAYS)
        mid = (t0 + t1) / 2
        return cls(mid - width / (2 * scale), scale, width).clamped()


# -- axis ticks --------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    major: bool


@dataclass(frozen=True)
class TickStep:
    """One rung of the axis ladder: ``count`` of ``unit`` between minor ticks."""

    unit: Literal["hour", "day", "week", "month", "quarter", "year"]
    count: int
    days: float  # the shortest such step in days, for spacing estimates


TICK_STEPS: tuple[TickStep, ...] = (
    TickStep("hour", 1, 1 / 24),
    TickStep("hour", 3, 3 / 24),
    TickStep("hour", 6, 6 / 24),
    TickStep("hour", 12, 12 / 24),
    TickStep("day", 1, 1),
    TickStep("day", 2, 2),
    TickStep("week", 1, 7),
    TickStep("month", 1, 28),
    TickStep("quarter", 1, 90),
    TickStep("year", 1, 365),
    TickStep("year", 2, 730),
    TickStep("year", 5, 1826),
    TickStep("year", 10, 3652),
    TickStep("year", 20, 7305),
    TickStep("year", 50, 18262),
    TickStep("year", 100, 36524),
    TickStep("year", 200, 73048),
    TickStep("year", 500, 182621),
    TickStep("year", 1000, 365242),
)

# The widest label each rung writes on a minor tick, to skip rungs without generating them.
_SAMPLE_MINOR = {
    "hour": "00:00",
    "day": "28",
    "week": "28 May",
    "month": "May",
    "quarter": "Q4",
    "year": "2000",
}

LABEL_GAP = 10.0  # pixels between two labels on the axis
LABEL_PAD = 3.0  # labels start this far right of their tick


# ... and on a major tick, with the unit that makes a tick major.
_SAMPLE_MAJOR = {
    "hour": ("28 May 2000", 1.0),
    "day": ("May 2000", 28.0),
    "week": ("2000", 365.0),
    "month": ("2000", 365.0),
    "quarter": ("2000", 365.0),
}


def tick_step(viewport: Viewport, text_width: TextWidth = estimate_text_width) -> TickStep:
    """The finest rung whose labels fit at this zoom: minor labels between their ticks, major
    labels between theirs, and at least one minor label after each major one."""
    for step in TICK_STEPS:
        step_px = step.days * viewport.scale
        if step_px < text_width(_SAMPLE_MINOR[step.unit]) + LABEL_PAD + LABEL_GAP:
            continue
        if step.unit == "year":
            major_label, parent_days = "2000", step.days * 10
        else:
            major_label, parent_days = _SAMPLE_MAJOR[step.unit]
        major_px = text_width(major_label) + LABEL_PAD + LABEL_GAP
        parent_px = parent_days * viewport.scale
        if parent_px < major_px or (parent_px > step_px and parent_px - major_px < step_px):
            continue
        return step
    return TICK_STEPS[-1]


def ticks(viewport: Viewport, text_width: TextWidth = estimate_text_width) -> list[Tick]:
    """Axis ticks for the view, labels written left-aligned ``LABEL_PAD`` right of their tick.

    Major ticks mark the next coarser unit (a new month among days, a new year among months)
    and carry the context in their label; a minor tick whose label would touch a neighbour's is
    dropped, so no two labels ever overlap, whatever the zoom and the font.
    """
    step = tick_step(viewport, text_width)
    lo = date_of_t(viewport.start - step.days)
    hi_t = viewport.end + step.days
    raw: list[tuple[float, str, bool]] = []
    for moment, label, major in _tick_moments(step, lo, hi_t):
        x = viewport.x(t_of_date(moment))
        if x > viewport.width or (x < 0 and x + LABEL_PAD + text_width(label) < 0):
            continue  # neither the tick nor its label shows
        raw.append((x, label, major))
    majors = [r for r in raw if r[2]]
    # Majors first: each must clear the previous one, else it is shown as a plain tick.
    kept: list[tuple[float, float, str, bool]] = []  # x, label right edge, label, major
    last_right = -math.inf
    for x, label, _ in majors:
        if x + LABEL_PAD >= last_right + LABEL_GAP:
            right = x + LABEL_PAD + text_width(label)
            kept.append((x, right, label, True))
            last_right = right
    major_x = [k[0] for k in kept]
    result: list[Tick] = [Tick(x, label, True) for x, _, label, _ in kept]
    prev_right = -math.inf
    for x, label, major in raw:
        if major:
            continue
        left = x + LABEL_PAD
        right = left + text_width(label)
        if left < prev_right + LABEL_GAP:
            continue
        i = bisect.bisect_left(major_x, x)
        # the major label on the left must end before us; the one on the right must start after
        if i > 0 and kept[i - 1][1] + LABEL_GAP > left:
            continue
        if i < len(kept) and right + LABEL_GAP > kept[i][0] + LABEL_PAD:
            continue
        result.append(Tick(x, label, False))
        prev_right = right
    result.sort(key=lambda tk: tk.x)
    return result


def _tick_moments(
    step: TickStep, lo: dt.datetime, hi_t: float
) -> list[tuple[dt.datetime, str, bool]]:
    out: list[tuple[dt.datetime, str, bool]] = []
    hi = date_of_t(hi_t)
    if step.unit == "hour":
        moment = dt.datetime(lo.year, lo.month, lo.day)
        delta = dt.timedelta(hours=step.count)
        while moment <= hi:
            if moment.hour == 0:
                out.append(
                    (moment, f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}", True)
                )
            else:
                out.append((moment, f"{moment.hour:02d}:00", False))
            if moment >= dt.datetime(9999, 12, 31):
                break
            moment += delta
        return out
    if step.unit in ("day", "week"):
        day = lo.date()
        if step.unit == "week":
            day -= dt.timedelta(days=day.weekday())  # Mondays
        end = hi.date()
        while day <= end:
            if step.unit == "day":
                if day.day == 1:
                    out.append((_midnight(day), f"{_MONTHS[day.month - 1]} {day.year}", True))
                elif step.count == 1 or (day.day - 1) % step.count == 0 and day.day < 30:
                    out.append((_midnight(day), str(day.day), False))
            else:
                out.append((_midnight(day), f"{day.day} {_MONTHS[day.month - 1]}", False))
            if day >= dt.date(9999, 12, 24):
                break
            day += dt.timedelta(days=1 if step.unit == "day" else 7)
        if step.unit == "week":
            # week ticks carry their month; the years are the majors
            for year in range(lo.year + 1, hi.year + 1):
                out.append((dt.datetime(year, 1, 1), str(year), True))
        return out
    if step.unit in ("month", "quarter"):
        y, m = lo.year, lo.month
        every = 1 if step.unit == "month" else 3
        m -= (m - 1) % every
        while (y, m) <= (hi.year, hi.month):
            moment = dt.datetime(y, m, 1)
            if m == 1:
                out.append((moment, str(y), True))
            elif step.unit == "month":
                out.append((moment, _MONTHS[m - 1], False))
            else:
                out.append((moment, f"Q{(m - 1) // 3 + 1}", False))
            m += every
            if m > 12:
                y, m = y + 1, m - 12
            if y > 9999:
                break
        return out
    # years
    count = step.count
    major_every = {1: 10, 2: 10, 5: 50, 10: 100, 20: 100, 50: 500, 100: 1000}.get(count, 5000)
    y = max(lo.year - lo.year % count, 1)
    while y <= hi.year:
        out.append((dt.datetime(y, 1, 1), str(y), y % major_every == 0))
        y += count
    return out


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


# -- layout: period band, lanes, clusters ------------------------------------------------------


# Geometry the view draws with; the layout needs it to know what overlaps.
POINT_RADIUS = 5.0
MARKER_GAP = 6.0  # from a point marker (or a bar's start) to its label
ITEM_GAP = 8.0  # free pixels between two items in one lane
LANE_HEIGHT = 17.0
MIN_BAR_WIDTH = 4.0
MAX_LABEL_CHARS = 48
TERSE_LABEL_CHARS = 22  # a label cut this short is tried where the whole one has no room
BRIEF_LABEL_CHARS = 14  # the shortest cut, for the most important in a crowd
DENSITY_BIN_PX = 4.0
# Above this many events near the view, the events without a label are shown as a histogram
# rather than counted in clusters: one by one they would be neither readable nor fast.
ITEM_LIMIT = 1200
MIN_LABEL_LANES = 4  # lanes of labels even in a very low view (which then scrolls)
MAX_LABEL_PX = 400.0  # how far left of a window to look for labels reaching into it
# The period band: week, month, quarter and year items (and ranges), thin, above the day events.
PERIOD_LANE_HEIGHT = 15.0
PERIOD_BAR_HEIGHT = 12.0
PERIOD_GAP = 4.0  # between the band and what follows
MAX_PERIOD_LANES = 3
# The overview row between the band and the lanes: clusters "+N", or the histogram.
OVERVIEW_HEIGHT = 17.0
CLUSTER_PAD = 4.0  # a cluster's chip reaches this far beyond its outermost members
CLUSTER_GAP = 4.0  # free pixels between two chips
MAX_CLUSTER_PX = 160.0  # a chip wider than this is closed and the next one begins
# When events are too many to count in clusters, only the most important are tried for a label.
LABEL_TRIES = 300
# The most important events are placed first with labels cut short, then lengthened where there
# is room, so that one long label never crowds out another of them.
TOP_FIRST = 12
_LENGTH_CLASSES = (0.0, 8.0, 32.0, 95.0, 370.0, math.inf)
_BLOCK = 256  # events per block of the importance index


Mode = Literal["labels", "density", "empty"]
Band = Literal["points", "periods"]


@dataclass(slots=True)
class LaidOutEvent:
    """An event placed in world pixels: marker from ``x0`` to ``x1`` (equal for points), its
    drawing (marker, label, badge) from ``left`` to ``right``; ``lane`` counts within its
    ``band`` and ``y`` is the lane's top within the band. ``label`` is empty for a bar shown
    without its label; ``label_x`` is where the label starts (left of a point marker when the
    right side had no room)."""

    index: int
    event: TimelineEvent
    x0: float
    x1: float
    right: float
    lane: int
    y: float
    label: str
    label_x: float
    left: float = 0.0
    band: Band = "points"


@dataclass(slots=True)
class Cluster:
    """Events with no room to show here, counted in one chip ("+12") spanning them from ``x0``
    to ``x1`` (world pixels) in the overview row; ``members`` are event indexes, most important
    first, and ``t0 .. t1`` where they sit (a bar: its middle). Zooming in spreads them out and
    labels them."""

    x0: float
    x1: float
    members: list[int]
    t0: float
    t1: float

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class DensityBin:
    """One bar of the histogram shown when events are too many to count in clusters."""

    x0: float  # world pixels
    x1: float
    count: int
    highlighted: int


@dataclass
class Layout:
    """What the view paints at one zoom, top to bottom: the period band (``period_lanes``
    thin lanes of bars), the overview row (``clusters``, or ``bins`` of a histogram in
    ``density`` mode) and ``lanes`` lanes of labelled point events, which scroll when they
    overflow the view. Positions are world pixels (``t * scale``); ``empty`` has nothing."""

    mode: Mode
    scale: float
    lane_height: float
    lanes: int
    items: list[LaidOutEvent]
    bins: list[DensityBin]
    t_lo: float  # the times this layout covers; outside them it must be redone
    t_hi: float
    max_count: int = 0  # the tallest density bin
    period_lanes: int = 0
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def period_height(self) -> float:
        return self.period_lanes * PERIOD_LANE_HEIGHT + (PERIOD_GAP if self.period_lanes else 0)

    @property
    def overview_height(self) -> float:
        return OVERVIEW_HEIGHT if self.clusters or self.mode == "density" else 0.0

    @property
    def header_height(self) -> float:
        """The band and the overview row, which stay put when the lanes scroll."""
        return self.period_height + self.overview_height

    @property
    def content_height(self) -> float:
        return self.header_height + self.lanes * self.lane_height

    def visible(self, viewport: Viewport) -> list[LaidOutEvent]:
        """Items whose drawing reaches into the view (labels included)."""
        off = viewport.offset
        lo, hi = off, off + viewport.width
        return [it for it in self.items if it.right >= lo and it.left <= hi]

    def visible_clusters(self, viewport: Viewport) -> list[Cluster]:
        off = viewport.offset
        lo, hi = off, off + viewport.width
        return [c for c in self.clusters if c.x1 >= lo and c.x0 <= hi]

    def labelled(self, viewport: Viewport) -> list[LaidOutEvent]:
        """Items shown with their label in the view."""
        return [it for it in self.visible(viewport) if it.label]

    def item_at(
        self, viewport: Viewport, x: float, y: float, top: float, scroll: float = 0.0
    ) -> LaidOutEvent | None:
        """The item drawn under view pixel (x, y); the band starts at ``top`` and the lanes
        are scrolled up by ``scroll`` pixels."""
        wx = x + viewport.offset
        if y < top:
            return None
        if y < top + self.period_lanes * PERIOD_LANE_HEIGHT:
            lane = int((y - top) // PERIOD_LANE_HEIGHT)
            band: Band = "periods"
        else:
            lanes_top = top + self.header_height
            if y < lanes_top:
                return None
            lane = int(math.floor((y - lanes_top + scroll) / self.lane_height))
            band = "points"
        for it in self.items:
            if it.band == band and it.lane == lane and it.left - 2 <= wx <= it.right:
                return it
        return None

    def cluster_at(self, viewport: Viewport, x: float, y: float, top: float) -> Cluster | None:
        """The cluster whose chip is under view pixel (x, y)."""
        row = top + self.period_height
        if not row <= y < row + self.overview_height:
            return None
        wx = x + viewport.offset
        for c in self.clusters:
            if c.x0 - 2 <= wx <= c.x1 + 2:
                return c
        return None


def short_label(title: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A title in at most ``limit`` characters, cut at a word when one ends in its second
    half."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—-") + "…"


def badge_label(event: TimelineEvent) -> str:
    """Events from several sources carry their source count; a report that denies the
    happening is no source for it (the item is disputed instead)."""
    n = event.agreeing
    return f"×{n}" if n > 1 else ""


def importance(event: TimelineEvent) -> tuple[int, int]:
    """How much an event matters when not every label fits: its number of sources that agree
    (a report denying it is none), then of entities (more first). Among equals the earlier
    event goes first."""
    return event.agreeing, len(event.entity_ids)


def cluster_label(count: int) -> str:
    return f"+{count:,}"


def cluster_zoom(viewport: Viewport, cluster: Cluster) -> Viewport | None:
    """Where a click on a cluster takes the view: its events over the middle three fifths, or
    at least twice closer around it; None when they cannot spread any further (they sit at
    one moment, or the view is as close as it goes)."""
    target = Viewport.fit(cluster.t0, cluster.t1, viewport.width, viewport.width * 0.2)
    if target.scale < viewport.scale * 1.5:
        middle = (cluster.x0 + cluster.x1) / 2 - viewport.offset
        target = viewport.zoom(2.0, middle)
    if target.scale <= viewport.scale * 1.01:
        return None
    return target


# -- placement ---------------------------------------------------------------------------------


class LaneSpace:
    """What is taken in each of a fixed number of lanes: disjoint extents kept in order, so
    whether an extent is free in a lane takes two bisections."""

    __slots__ = ("_lefts", "_rights")

    def __init__(self, lanes: int) -> None:
        self._lefts: list[list[float]] = [[] for _ in range(lanes)]
        self._rights: list[list[float]] = [[] for _ in range(lanes)]

    @property
    def lanes(self) -> int:
        return len(self._lefts)

    def used(self) -> int:
        """How many lanes, from the top, hold something."""
        return max((k + 1 for k, r in enumerate(self._rights) if r), default=0)

    def free_lanes(self, left: float, right: float) -> list[int]:
        """The lanes, from the top, where ``left .. right`` overlaps nothing taken."""
        lefts = self._lefts
        found = []
        for lane, rights in enumerate(self._rights):
            j = bisect.bisect_right(rights, left)
            if j == len(rights) or lefts[lane][j] >= right:
                found.append(lane)
        return found

    def first_free(self, left: float, right: float) -> int:
        """The topmost lane where ``left .. right`` overlaps nothing taken (-1: none)."""
        lefts = self._lefts
        for lane, rights in enumerate(self._rights):
            j = bisect.bisect_right(rights, left)
            if j == len(rights) or lefts[lane][j] >= right:
                return lane
        return -1

    def take(self, lane: int, left: float, right: float) -> None:
        rights = self._rights[lane]
        j = bisect.bisect_right(rights, left)
        rights.insert(j, right)
        self._lefts[lane].insert(j, left)

    def release(self, lane: int, left: float, right: float) -> None:
        """Give back an extent taken before."""
        rights = self._rights[lane]
        j = bisect.bisect_left(rights, right)
        assert rights[j] == right and self._lefts[lane][j] == left
        del rights[j]
        del self._lefts[lane][j]


def cluster_spans(
    xs: Sequence[float], chip_width: Callable[[int], float]
) -> list[tuple[float, float, int, int]]:
    """Chips for points at sorted ``xs``: ``(left, right, first, end)`` with ``xs[first:end]``
    counted in the chip from ``left`` to ``right``. A point joins the chip before it while it
    would touch that chip; a chip is at least ``chip_width(count)`` wide and at most
    ``MAX_CLUSTER_PX`` (then the next one begins). Chips never overlap."""
    out: list[tuple[float, float, int, int]] = []
    n = len(xs)
    i = 0
    prev_right = -math.inf
    while i < n:
        first = i
        left = max(xs[i] - CLUSTER_PAD, prev_right + CLUSTER_GAP)
        right = max(left + chip_width(1), xs[i] + CLUSTER_PAD)
        i += 1
        while i < n and xs[i] - CLUSTER_PAD < right + CLUSTER_GAP and right - left < MAX_CLUSTER_PX:
            right = max(left + chip_width(i - first + 1), xs[i] + CLUSTER_PAD)
            i += 1
        out.append((left, right, first, i))
        prev_right = right
    return out


def estimate_chip_width(count: int) -> float:
    return 6.0 * len(cluster_label(count)) + 10.0


class Timeline:
    """A case's events, sorted, with what is needed to lay them out fast at any zoom.

    ``layout`` is cached: a pan inside the laid-out window reuses it; a zoom redoes it for the
    events in and around the view only.
    """

    def __init__(
        self,
        events: Sequence[TimelineEvent],
        text_width: TextWidth = estimate_text_width,
        small_text_width: TextWidth | None = None,
    ) -> None:
        events = list(events)
        t0s = [e.t0 for e in events]
        # load_events already gives time order; only sort what comes otherwise
        if not all(map(operator.le, t0s, t0s[1:])):
            events.sort(key=lambda e: (e.t0, e.t1, e.id))
            t0s = [e.t0 for e in events]
        self.events: list[TimelineEvent] = events
        self.text_width = text_width
        self.small_text_width = small_text_width or _smaller(text_width)
        # Events grouped by length, each group sorted by start, so finding what reaches into a
        # time range never scans a year's worth of short events because of one long one.
        classes = _LENGTH_CLASSES
        members: list[list[int]] = [[] for _ in classes]
        starts: list[list[float]] = [[] for _ in classes]
        longest = [0.0 for _ in classes]
        mids: list[float] = []
        t_end = -math.inf
        for i, (e, t0) in enumerate(zip(events, t0s, strict=True)):
            t1 = e.t1
            length = t1 - t0
            g = 0 if length == 0 else bisect.bisect_left(classes, length)
            members[g].append(i)
            starts[g].append(t0)
            if length > longest[g]:
                longest[g] = length
            mids.append(t0 if length == 0 else t0 + length / 2)
            if t1 > t_end:
                t_end = t1
        self._groups: list[tuple[float, list[float], list[int]]] = [
            (longest[g], starts[g], members[g]) for g in range(len(classes)) if members[g]
        ]
        self._mid_of = mids[:]  # by index, for the importance index
        mids.sort()
        self._mids = mids
        self._bounds = None if not events else (events[0].t0, t_end)
        self._labels: dict[int, str] = {}
        self._cut: dict[tuple[int, int], str] = {}
        self._widths: dict[int, float] = {}
        self._cut_widths: dict[tuple[int, int], float] = {}
        self._small_widths: dict[int, float] = {}
        self._rank: list[int] | None = None
        self._by_rank: list[int] | None = None
        self._blocks: list[list[int]] | None = None  # see _most_important_in
        self._mid_order: list[int] = []
        self._highlight_doc: int | None = None
        self._highlight_mids: list[float] = []
        # document id -> sorted times of its events, built on the first highlight
        self._document_times: dict[int, list[float]] | None = None
        self._cache: Layout | None = None
        self._cache_key: tuple[float, float] = (0.0, 0.0)
        self._pinned: int | None = None
        self._index_of: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.events)

    def bounds(self) -> tuple[float, float] | None:
        """The first and last times any event covers."""
        return self._bounds

    def label(self, index: int) -> str:
        text = self._labels.get(index)
        if text is None:
            text = self._labels[index] = short_label(self.events[index].title)
        return text

    def cut_label(self, index: int, limit: int) -> str:
        """The label in at most ``limit`` characters (0: the whole label), for where the whole
        one has no room."""
        if not limit:
            return self.label(index)
        key = (index, limit)
        text = self._cut.get(key)
        if text is None:
            text = self._cut[key] = short_label(self.events[index].title, limit)
        return text

    def cut_label_width(self, index: int, limit: int) -> float:
        if not limit:
            return self.label_width(index)
        key = (index, limit)
        w = self._cut_widths.get(key)
        if w is None:
            badge = badge_label(self.events[index])
            text_width = self.text_width
            w = text_width(self.cut_label(index, limit)) + (text_width(badge) + 6 if badge else 0)
            self._cut_widths[key] = w
        return w

    def ranks(self) -> list[int]:
        """Each event's place in order of importance (0: the most important), built once."""
        if self._rank is None:
            events = self.events
            # one integer per event; the sort is stable and events are in time order, so
            # equals stay earliest first
            keys = [-(e.agreeing << 20 | min(len(e.entity_ids), 0xFFFFF)) for e in events]
            by_rank = sorted(range(len(events)), key=keys.__getitem__)
            rank = [0] * len(events)
            for r, i in enumerate(by_rank):
                rank[i] = r
            self._by_rank, self._rank = by_rank, rank
        return self._rank

    def by_importance(self, indexes: list[int]) -> list[int]:
        """These event indexes, most important first (equals in time order)."""
        if self._rank is None and len(indexes) * 20 < len(self.events):
            events = self.events  # a few of many: not worth ranking them all

            def key(i: int) -> tuple[int, int, int]:
                e = events[i]
                return -e.agreeing, -len(e.entity_ids), i

            return sorted(indexes, key=key)
        return sorted(indexes, key=self.ranks().__getitem__)

    def most_important(self, count: int) -> list[TimelineEvent]:
        """The ``count`` most important events (see ``importance``), most important first."""
        self.ranks()
        assert self._by_rank is not None
        return [self.events[i] for i in self._by_rank[:count]]

    def fit(self, width: float, margin: float = 40.0) -> Viewport:
        """A viewport showing every event (today's year if there is none)."""
        bounds = self.bounds()
        if bounds is None:
            today = dt.date.today()
            return Viewport.fit(
                t_of_date(dt.date(today.year, 1, 1)),
                t_of_date(dt.date(today.year + 1, 1, 1)),
                width,
                margin,
            )
        t0, t1 = bounds
        width = max(width, 1.0)
        margin = min(margin, width / 4)
        fitted = Viewport.fit(t0, t1, width, margin)
        if t1 <= t0:
            return fitted
        # Leave room for the labels of the last events: no label should run off the right edge,
        # unless that would squeeze the rest into less than half the view.
        scale = fitted.scale
        right_edge = width - margin / 2
        for i in range(len(self.events) - 1, max(len(self.events) - 64, 0) - 1, -1):
            ev = self.events[i]
            need = min(self.label_width(i) + POINT_RADIUS + MARKER_GAP, width / 2)
            if ev.t0 == ev.t1:
                room = right_edge - margin - need
                if room > 0 and ev.t0 > t0:
                    scale = min(scale, room / (ev.t0 - t0))
            elif ev.t0 > t0:
                room = right_edge - margin - need + MARKER_GAP + POINT_RADIUS
                if room > 0:
                    scale = min(scale, room / (ev.t0 - t0))
        scale = max(scale, (width - 2 * margin) / 2 / (t1 - t0))
        if scale >= fitted.scale:
            return fitted
        return Viewport(t0 - margin / scale, scale, width).clamped()

    def set_text_width(
        self, text_width: TextWidth, small_text_width: TextWidth | None = None
    ) -> None:
        self.text_width = text_width
        self.small_text_width = small_text_width or _smaller(text_width)
        self._widths.clear()
        self._cut_widths.clear()
        self._small_widths.clear()
        self._cache = None

    def pin(self, event_id: int | None) -> None:
        """Give this event (the one the user is on) its label before any other."""
        if self._index_of is None:
            self._index_of = {e.id: i for i, e in enumerate(self.events)}
        index = None if event_id is None else self._index_of.get(event_id)
        if index != self._pinned:
            self._pinned = index
            self._cache = None

    def set_highlight_document(self, document_id: int | None) -> None:
        self._highlight_doc = document_id
        if document_id is None:
            self._highlight_mids = []
            return
        if self._document_times is None:
            by_doc: dict[int, list[float]] = {}
            for e in self.events:
                t = e.t
                for doc_id in set(e.document_ids):
                    by_doc.setdefault(doc_id, []).append(t)
            for times in by_doc.values():
                times.sort()
            self._document_times = by_doc
        self._highlight_mids = self._document_times.get(document_id, [])

    def label_width(self, index: int) -> float:
        """A point event's label and badge, in the lanes' font."""
        w = self._widths.get(index)
        if w is None:
            text = self.label(index)
            badge = badge_label(self.events[index])
            w = self.text_width(text) + (self.text_width(badge) + 6 if badge else 0.0)
            self._widths[index] = w
        return w

    def period_label_width(self, index: int) -> float:
        """A bar's label and badge, in the period band's smaller font."""
        w = self._small_widths.get(index)
        if w is None:
            text = self.label(index)
            badge = badge_label(self.events[index])
            small = self.small_text_width
            w = small(text) + (small(badge) + 6 if badge else 0.0)
            self._small_widths[index] = w
        return w

    def chip_width(self, count: int) -> float:
        return self.small_text_width(cluster_label(count)) + 10.0

    def _range(self, t_lo: float, t_hi: float, reach: float = 0.0) -> list[int]:
        """Indexes (in time order) of events drawn in ``t_lo .. t_hi``, their label reaching
        ``reach`` days to the right of their start."""
        found: list[int] = []
        for max_len, t0s, members in self._groups:
            first = bisect.bisect_left(t0s, t_lo - max(max_len, reach))
            last = bisect.bisect_right(t0s, t_hi)
            if max_len == 0.0:
                # points: everything from (t_lo - reach) on reaches in
                found.extend(members[first:last])
                continue
            events = self.events
            for k in range(first, last):
                i = members[k]
                e = events[i]
                if e.t1 >= t_lo or e.t0 + reach >= t_lo:
                    found.append(i)
        if len(self._groups) > 1:
            found.sort()
        return found

    def _most_important_in(self, t_lo: float, t_hi: float, count: int) -> list[int]:
        """Up to ``count`` indexes of the most important events whose middle lies in
        ``t_lo .. t_hi``, most important first. Events in order of their middles are cut in
        blocks, each kept in order of importance; the blocks inside the range are merged and
        only as far as needed, so a crowded view costs a few hundred steps, not its events."""
        if self._blocks is None:
            rank = self.ranks()
            order = sorted(range(len(self.events)), key=self._mid_of.__getitem__)
            self._mid_order = order
            self._blocks = [
                sorted(rank[i] for i in order[k : k + _BLOCK]) for k in range(0, len(order), _BLOCK)
            ]
        assert self._by_rank is not None and self._rank is not None
        rank, order, blocks = self._rank, self._mid_order, self._blocks
        p0 = bisect.bisect_left(self._mids, t_lo)
        p1 = bisect.bisect_right(self._mids, t_hi)
        b0 = -(-p0 // _BLOCK)  # the first block starting at or after p0
        b1 = p1 // _BLOCK  # the block p1 falls in
        if b0 >= b1:
            lists = [sorted(rank[i] for i in order[p0:p1])]
        else:
            edges = order[p0 : b0 * _BLOCK] + order[b1 * _BLOCK : p1]
            lists = [*blocks[b0:b1], sorted(rank[i] for i in edges)]
        by_rank = self._by_rank
        return [by_rank[r] for r in itertools.islice(heapq.merge(*lists), count)]

    def layout(self, viewport: Viewport, lane_area_height: float) -> Layout:
        """Events placed for this zoom, covering at least the view; cached across pans."""
        key = (viewport.scale, lane_area_height)
        cached = self._cache
        if (
            cached is not None
            and self._cache_key == key
            and cached.t_lo <= viewport.start
            and viewport.end <= cached.t_hi
        ):
            if cached.mode == "density":
                return self._with_bins(cached, viewport)
            return cached
        result = self._layout(viewport, lane_area_height)
        self._cache, self._cache_key = result, key
        return result

    def _layout(self, viewport: Viewport, lane_area_height: float) -> Layout:
        scale = viewport.scale
        if not self.events:
            return Layout("empty", scale, LANE_HEIGHT, 0, [], [], -math.inf, math.inf)
        # Lay out half a view more on each side, so a pan rarely needs a new layout, and the
        # label of an event left of the view (which reaches into it) is known.
        pad = viewport.span / 2
        t_lo, t_hi = viewport.start - pad, viewport.end + pad
        # Cheap first: how many events have their middle in the view (two bisections).
        in_view = bisect.bisect_right(self._mids, viewport.end) - bisect.bisect_left(
            self._mids, viewport.start
        )
        dense = in_view > ITEM_LIMIT
        if not dense:
            reach = MAX_LABEL_PX / scale
            idx = self._range(t_lo, t_hi, reach)
            if len(idx) > ITEM_LIMIT:
                t_lo, t_hi = viewport.start, viewport.end
                idx = self._range(t_lo, t_hi, reach)
            dense = len(idx) > ITEM_LIMIT
        if dense:
            candidates = self._most_important_in(t_lo, t_hi, LABEL_TRIES)
        else:
            candidates = self.by_importance(idx)
        pinned = self._pinned
        if pinned is not None:
            # the item the user is on keeps its label, whatever its importance
            e = self.events[pinned]
            if pinned in candidates:
                candidates.remove(pinned)
                candidates.insert(0, pinned)
            elif e.t0 <= t_hi and e.t1 >= t_lo:
                candidates.insert(0, pinned)
        events = self.events
        lo_px, hi_px = t_lo * scale, t_hi * scale
        items: list[LaidOutEvent] = []
        unplaced: list[tuple[float, int]] = []  # x, index

        # The period band first: it takes what it needs (at most MAX_PERIOD_LANES lanes).
        bars = [i for i in candidates if events[i].t1 > events[i].t0]
        band_lanes = (
            MAX_PERIOD_LANES if lane_area_height >= 150 else 2 if lane_area_height >= 90 else 1
        )
        period_lanes = (
            self._place_periods(bars, scale, lo_px, band_lanes, items, unplaced) if bars else 0
        )
        header = (
            period_lanes * PERIOD_LANE_HEIGHT + (PERIOD_GAP if period_lanes else 0)
        ) + OVERVIEW_HEIGHT
        label_lanes = max(int((lane_area_height - header) // LANE_HEIGHT), MIN_LABEL_LANES)
        points = [i for i in candidates if events[i].t1 == events[i].t0]
        lanes = self._place_points(points, scale, lo_px, label_lanes, items, unplaced)
        if dense:
            layout = Layout("density", scale, LANE_HEIGHT, lanes, items, [], t_lo, t_hi)
            layout.period_lanes = period_lanes
            return self._with_bins(layout, viewport)
        clusters = self._clusters([u for u in unplaced if lo_px <= u[0] <= hi_px], scale)
        return Layout(
            "labels", scale, LANE_HEIGHT, lanes, items, [], t_lo, t_hi, 0, period_lanes, clusters
        )

    def _place_periods(
        self,
        bars: list[int],
        scale: float,
        lo_px: float,
        band_lanes: int,
        out: list[LaidOutEvent],
        unplaced: list[tuple[float, int]],
    ) -> int:
        """Bars, most important first, in the thin lanes of the period band: with their label
        inside (a wide bar) or after it, else bare; a bar with no room at all is counted in the
        clusters at its middle. Returns the lanes used."""
        events = self.events
        space = LaneSpace(band_lanes)
        for i in bars:
            ev = events[i]
            x0 = ev.t0 * scale
            x1 = max(ev.t1 * scale, x0 + MIN_BAR_WIDTH)
            if x1 < lo_px:
                continue
            if space.first_free(x0, x1 + ITEM_GAP) < 0:
                unplaced.append(((ev.t0 + ev.t1) / 2 * scale, i))  # not even the bare bar fits
                continue
            w = self.period_label_width(i)
            # inside a bar wide enough, else after it, else no label
            choices: list[tuple[float, float, float, bool]] = [(x0, x1, x0 + MARKER_GAP, True)]
            if x1 - x0 < w + 2 * MARKER_GAP:
                choices = [(x0, x1 + MARKER_GAP + w, x1 + MARKER_GAP, True), (x0, x1, 0.0, False)]
            for left, right, label_x, with_label in choices:
                if right < lo_px:
                    break
                lane = space.first_free(left, right + ITEM_GAP)
                if lane >= 0:
                    space.take(lane, left, right + ITEM_GAP)
                    out.append(
                        LaidOutEvent(
                            i,
                            ev,
                            x0,
                            x1,
                            right,
                            lane,
                            lane * PERIOD_LANE_HEIGHT,
                            self.label(i) if with_label else "",
                            label_x,
                            left,
                            "periods",
                        )
                    )
                    break
            else:
                mid = (ev.t0 + ev.t1) / 2 * scale
                unplaced.append((mid, i))
        return space.used()

    def _place_points(
        self,
        points: list[int],
        scale: float,
        lo_px: float,
        lanes: int,
        out: list[LaidOutEvent],
        unplaced: list[tuple[float, int]],
    ) -> int:
        """Day and time events, most important first, each in the topmost lane with room for
        its label right of its marker, else left of it, else the label cut short on either
        side; the others go to ``unplaced``. The first ``TOP_FIRST`` are placed first with
        labels cut very short, then lengthened where there is room, so that one long label
        never crowds out another of them. Returns the lanes used."""
        events = self.events
        space = LaneSpace(lanes)
        first: list[tuple[int, tuple[int, bool, int, float, float]]] = []
        rest: list[int] = points[TOP_FIRST:]
        top = points[:TOP_FIRST]
        xs = [events[i].t0 * scale for i in top]
        for i, x in zip(top, xs, strict=True):
            # In a crowd of them, a label points away from the crowd's middle, which leaves
            # the middle to the markers.
            near = [other for other in xs if abs(other - x) < 200]
            outward = x < sum(near) / len(near)
            brief = ((outward, BRIEF_LABEL_CHARS), (not outward, BRIEF_LABEL_CHARS))
            got = self._try_place(space, i, scale, lo_px, brief)
            if got is None:
                rest.append(i)
            else:
                first.append((i, got))
        if len(rest) > len(points) - TOP_FIRST:
            rest = self.by_importance(rest)
        for i, (lane, left_side, _, start, end) in first:
            space.release(lane, start, end)
            longer = [
                (side, limit)
                for limit in (0, TERSE_LABEL_CHARS, BRIEF_LABEL_CHARS)
                for side in (left_side, not left_side)
            ]
            got = self._try_place(space, i, scale, lo_px, longer, (lane,))
            assert got is not None  # the brief label's own room is free again
            self._emit_point(i, scale, got[0], got[1], got[2], out)
        choices = ((False, 0), (True, 0), (False, TERSE_LABEL_CHARS), (True, TERSE_LABEL_CHARS))
        margin = POINT_RADIUS + 2
        lefts, rights = space._lefts, space._rights
        all_lanes = range(lanes)
        bisect_right = bisect.bisect_right
        for i in rest:
            x = events[i].t0 * scale
            # every choice needs the marker's own room: where it is taken, none can fit
            a, b = x - margin, x + margin
            open_lanes = [
                k
                for k in all_lanes
                if (j := bisect_right(rights[k], a)) == len(rights[k]) or lefts[k][j] >= b
            ]
            got = None
            if open_lanes:
                got = self._try_place(space, i, scale, lo_px, choices, open_lanes)
            if got is None:
                unplaced.append((x, i))
            else:
                self._emit_point(i, scale, got[0], got[1], got[2], out)
        return space.used()

    def _extent(
        self, i: int, scale: float, left_side: bool, limit: int
    ) -> tuple[float, float, float, float, float]:
        """A point event's room (start, end: gaps included), drawing (left, right) and label
        start, with its label on one side, whole (``limit`` 0) or cut short."""
        x = self.events[i].t0 * scale
        r = POINT_RADIUS
        w = self.cut_label_width(i, limit)
        if left_side:
            label_x = x - r - MARKER_GAP - w
            left, right = label_x, x + r + 2
            return left - ITEM_GAP, right + ITEM_GAP, left, right, label_x
        label_x = x + r + MARKER_GAP
        left, right = x - r - 2, label_x + w
        return left, right + ITEM_GAP, left, right, label_x

    def _try_place(
        self,
        space: LaneSpace,
        i: int,
        scale: float,
        lo_px: float,
        choices: Sequence[tuple[bool, int]],
        lanes: Sequence[int] | None = None,
    ) -> tuple[int, bool, int, float, float] | None:
        """Take room for event ``i`` by the first of ``choices`` (left side?, label cut to how
        many characters, 0: whole) free in some lane (of ``lanes``, topmost first): (lane, left
        side, cut, start, end), or None. A cut that leaves the label as it is counts as whole."""
        lefts, rights = space._lefts, space._rights
        if lanes is None:
            lanes = range(space.lanes)
        whole = self.label(i)
        tried: set[tuple[bool, int]] = set()
        for left_side, limit in choices:
            if limit and self.cut_label(i, limit) == whole:
                limit = 0
            if (left_side, limit) in tried:
                continue
            tried.add((left_side, limit))
            start, end, _, right, _ = self._extent(i, scale, left_side, limit)
            if right < lo_px:
                continue
            for k in lanes:
                rs = rights[k]
                j = bisect.bisect_right(rs, start)
                if j == len(rs) or lefts[k][j] >= end:
                    space.take(k, start, end)
                    return k, left_side, limit, start, end
        return None

    def _emit_point(
        self, i: int, scale: float, lane: int, left_side: bool, limit: int, out: list[LaidOutEvent]
    ) -> None:
        ev = self.events[i]
        x = ev.t0 * scale
        _, _, left, right, label_x = self._extent(i, scale, left_side, limit)
        text = self.cut_label(i, limit)
        out.append(LaidOutEvent(i, ev, x, x, right, lane, lane * LANE_HEIGHT, text, label_x, left))

    def _clusters(self, unplaced: list[tuple[float, int]], scale: float) -> list[Cluster]:
        if not unplaced:
            return []
        unplaced.sort()
        xs = [x for x, _ in unplaced]
        events = self.events
        out: list[Cluster] = []
        for left, right, first, end in cluster_spans(xs, self.chip_width):
            members = self.by_importance([i for _, i in unplaced[first:end]])
            times = [events[i].t for i in members]
            out.append(Cluster(left, right, members, min(times), max(times)))
        return out

    def _with_bins(self, layout: Layout, viewport: Viewport) -> Layout:
        """The histogram of event times for this view (the labels stay), in bins of
        ``DENSITY_BIN_PX`` aligned to world pixels so that panning does not make them shimmer."""
        bins, top = self._bins(viewport)
        return Layout(
            "density",
            layout.scale,
            layout.lane_height,
            layout.lanes,
            layout.items,
            bins,
            layout.t_lo,
            layout.t_hi,
            top,
            layout.period_lanes,
        )

    def _bins(self, viewport: Viewport) -> tuple[list[DensityBin], int]:
        scale = viewport.scale
        first = math.floor(viewport.offset / DENSITY_BIN_PX)
        last = math.ceil((viewport.offset + viewport.width) / DENSITY_BIN_PX)
        edges = [b * DENSITY_BIN_PX / scale for b in range(first, last + 1)]
        # one bisection per bin edge, run by map in C
        at = list(map(bisect.bisect_left, itertools.repeat(self._mids), edges))
        hmids = self._highlight_mids
        hat = list(map(bisect.bisect_left, itertools.repeat(hmids), edges)) if hmids else None
        bins: list[DensityBin] = []
        top = 0
        for k in range(last - first):
            count = at[k + 1] - at[k]
            if count:
                h = 0 if hat is None else hat[k + 1] - hat[k]
                x0 = (first + k) * DENSITY_BIN_PX
                bins.append(DensityBin(x0, x0 + DENSITY_BIN_PX, count, h))
                if count > top:
                    top = count
        return bins, top


def _smaller(text_width: TextWidth) -> TextWidth:
    """The width of text in the period band's font when only the lanes' font is known."""

    def small(text: str) -> float:
        return 0.85 * text_width(text)

    return small


# -- colours -----------------------------------------------------------------------------------

# Twelve hues that stay apart for common colour blindness and read on light and dark grounds.
PALETTE: tuple[str, ...] = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#ee8866",
    "#44bb99",
    "#9988dd",
    "#bbcc33",
    "#dd7733",
    "#77aadd",
)
NEUTRAL = "#8c8c8c"

ColourBy = Literal["source", "entity"]


def colour_key(event: TimelineEvent, by: str) -> int | None:
    """What an event is coloured by: its first document, or its first entity."""
    if by == "entity":
        return event.entity_ids[0] if event.entity_ids else None
    return min(event.document_ids) if event.document_ids else None


def palette_colour(key: int | None) -> str:
    """The colour of a document or entity id: the same id always gets the same colour, and
    neighbouring ids (documents imported one after the other) get different ones."""
    if key is None:
        return NEUTRAL
    return PALETTE[(key - 1) % len(PALETTE)]


def event_colour(event: TimelineEvent, by: str) -> str:
    return palette_colour(colour_key(event, by))

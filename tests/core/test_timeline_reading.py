"""The timeline read at "Fit all": the most important events keep their labels, the rest are
counted in clusters that open up as one zooms in, long periods keep to their own band, and no
two things drawn overlap. Pure layout, no Qt; the cases are generated here."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from casedesk.timeline import (
    ITEM_LIMIT,
    LANE_HEIGHT,
    PERIOD_LANE_HEIGHT,
    TERSE_LABEL_CHARS,
    Cluster,
    EventSource,
    Layout,
    Timeline,
    TimelineEvent,
    Viewport,
    cluster_spans,
    cluster_zoom,
    importance,
)

# The docked timeline of a 1280 x 800 window: 1280 x 182 pixels, 136 of them under its axis.
WIDTH = 1280.0
DOCK_LANE_AREA = 136.0

WORDS = [
    "ministry",
    "talks",
    "export",
    "controls",
    "tightened",
    "review",
    "boycott",
    "summit",
    "officials",
    "meet",
    "complaint",
    "filed",
    "shipments",
    "resume",
    "pact",
    "suspended",
    "tariffs",
    "announced",
    "court",
    "ruling",
    "strike",
    "ends",
    "protest",
    "minister",
    "resigns",
    "inquiry",
    "opens",
    "fund",
    "frozen",
    "vote",
    "delayed",
]


def news_case(happenings: int, seed: int = 1, satellites: int = 6) -> list[TimelineEvent]:
    """Events shaped like a news case: happenings spread over three years, each reported by
    a few sources and now and then by many (a long tail), with smaller items around it (1-2
    sources, a few days either side) and some weeks, months and a year among them."""
    rnd = random.Random(seed)
    first = dt.date(2018, 1, 1)
    events: list[TimelineEvent] = []

    def add(day: dt.date, n_sources: int, precision: str = "day") -> None:
        eid = len(events) + 1
        start = end = day
        if precision == "month":
            start = day.replace(day=1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        elif precision == "week":
            start = day - dt.timedelta(days=day.weekday())
            end = start + dt.timedelta(days=6)
        elif precision == "year":
            start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        value = {"day": start.isoformat(), "month": start.isoformat()[:7]}.get(
            precision, start.isoformat()
        )
        if precision == "week":
            iso = start.isocalendar()
            value = f"{iso[0]}-W{iso[1]:02d}"
        elif precision == "year":
            value = str(start.year)
        title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 8))).capitalize()
        docs = list(range(1, n_sources + 1))
        sources = [EventSource(d, f"doc{d}.txt", eid * 100 + d, 0, 9, "text") for d in docs]
        entities = [rnd.randrange(1, 40) for _ in range(rnd.randint(0, 4))]
        events.append(
            TimelineEvent(eid, value, start, end, precision, title, sources, entities, docs)
        )

    for _ in range(happenings):
        peak = first + dt.timedelta(days=rnd.randrange(3 * 365))
        add(peak, min(2 + int(rnd.paretovariate(1.2)), 60))
        for _ in range(rnd.randint(0, satellites)):
            near = peak + dt.timedelta(days=round(rnd.gauss(0, 5)))
            roll = rnd.random()
            precision = "month" if roll < 0.12 else "week" if roll < 0.17 else "day"
            if roll > 0.98:
                precision = "year"
            add(near, rnd.choice((1, 1, 1, 2)), precision)
    return events


def drawn_boxes(layout: Layout, vp: Viewport) -> list[tuple[float, float, float, float, str]]:
    """Every box drawn in view (left, right, top, bottom, what), y from the band's top."""
    boxes = []
    header = layout.header_height
    for it in layout.visible(vp):
        if it.band == "periods":
            top = it.lane * PERIOD_LANE_HEIGHT
            boxes.append((it.left, it.right, top, top + PERIOD_LANE_HEIGHT, f"bar {it.event.id}"))
        else:
            top = header + it.lane * layout.lane_height
            boxes.append((it.left, it.right, top, top + layout.lane_height, f"event {it.event.id}"))
    row = layout.period_height
    for c in layout.visible_clusters(vp):
        boxes.append((c.x0, c.x1, row, row + layout.overview_height, f"cluster {c.count}"))
    return boxes


def assert_no_overlap(layout: Layout, vp: Viewport) -> None:
    boxes = sorted(drawn_boxes(layout, vp))
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            if b[0] >= a[1]:
                break
            assert not (b[2] < a[3] and a[2] < b[3]), f"{a[4]} overlaps {b[4]}"


def assert_top_ten_labelled(timeline: Timeline, layout: Layout, vp: Viewport) -> None:
    """The ten most important events have labels in view; where the tenth ties with others,
    any of those equals may stand in for it."""
    shown = {it.event.id for it in layout.labelled(vp)}
    most = timeline.most_important(10)
    cutoff = importance(most[-1])
    for e in most:
        if importance(e) > cutoff:
            assert e.id in shown, f"{e.title!r} ({importance(e)}) has no label"
    equal_or_more = [e for e in timeline.events if importance(e) >= cutoff]
    assert sum(e.id in shown for e in equal_or_more) >= 10


@pytest.mark.parametrize("happenings", [8, 40, 150])
def test_shown_labels_never_overlap_at_any_zoom_and_height(happenings: int) -> None:
    timeline = Timeline(news_case(happenings, seed=happenings))
    for height in (60.0, DOCK_LANE_AREA, 400.0):
        fitted = timeline.fit(WIDTH)
        for k in range(0, 40, 3):
            vp = fitted.zoom(1.3**k, WIDTH * 0.37)
            layout = timeline.layout(vp, height)
            assert_no_overlap(layout, vp)
            assert layout.lanes <= max(int(height // LANE_HEIGHT), 4)


@pytest.mark.parametrize(("happenings", "mode"), [(12, "labels"), (60, "labels"), (900, "density")])
def test_the_ten_most_sourced_are_labelled_at_fit_all(happenings: int, mode: str) -> None:
    events = news_case(happenings, seed=3)
    timeline = Timeline(events)
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    assert layout.mode == mode
    assert (len(events) > ITEM_LIMIT) == (mode == "density")
    assert_top_ten_labelled(timeline, layout, vp)
    assert_no_overlap(layout, vp)
    most = timeline.most_important(10)
    assert [importance(e) for e in most] == sorted((importance(e) for e in most), reverse=True)
    assert importance(most[-1]) >= max(importance(e) for e in events if e not in most)


def test_an_important_event_loses_its_label_only_to_more_important_ones() -> None:
    """Greedy by importance: a day event goes unlabelled only if, in every lane, a more
    important one stands where its label would go, on either side of its marker."""
    timeline = Timeline(news_case(60, seed=5, satellites=12))
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    ranks = timeline.ranks()
    placed = [it for it in layout.items if it.band == "points"]
    clustered = [i for c in layout.clusters for i in c.members]
    assert clustered
    checked = 0
    for i in clustered:
        event = timeline.events[i]
        if event.t1 > event.t0:
            continue
        x = event.t0 * vp.scale
        reach = timeline.cut_label_width(i, TERSE_LABEL_CHARS) + 20
        blockers = {
            it.lane
            for it in placed
            if ranks[it.index] < ranks[i] and it.left < x + reach and x - reach < it.right
        }
        assert blockers == set(range(layout.lanes)), event.title
        checked += 1
    assert checked > 5


def test_clusters_expand_as_one_zooms_in() -> None:
    """Clicking a cluster zooms on it: its events spread out and get labels, and clicking the
    clusters left among them does the same, until every one is labelled or the last few sit at
    one moment (then the click lists them in a menu)."""
    timeline = Timeline(news_case(40, seed=9, satellites=14))
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    biggest = max(layout.clusters, key=lambda c: c.count)
    assert biggest.count >= 8
    members = set(biggest.members)
    assert not members & {it.index for it in layout.items}
    labelled: set[int] = set()
    listed: set[int] = set()
    clicks = 0

    def click(view: Viewport, cluster: Cluster) -> None:
        nonlocal clicks
        clicks += 1
        close = cluster_zoom(view, cluster)
        if close is None:
            assert cluster.t1 - cluster.t0 < 1 / 24 or view.span <= 1.01
            listed.update(set(cluster.members) & members)
            return
        assert close.scale >= 1.5 * view.scale or close.span <= 1.01
        zoomed = timeline.layout(close, DOCK_LANE_AREA)
        now = {it.index for it in zoomed.labelled(close)} & members
        labelled.update(now)
        for c in zoomed.visible_clusters(close):
            if set(c.members) & members - labelled:
                click(close, c)

    click(vp, biggest)
    assert labelled | listed == members
    assert len(labelled) > len(listed)
    assert clicks < 60


def test_every_event_in_view_is_labelled_shown_as_a_bar_or_counted() -> None:
    timeline = Timeline(news_case(30, seed=2, satellites=10))
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    shown = {it.index for it in layout.items}
    counted = [i for c in layout.clusters for i in c.members]
    assert len(counted) == len(set(counted))
    assert shown.isdisjoint(counted)
    assert shown | set(counted) == set(range(len(timeline.events)))


def test_year_and_month_bars_take_the_band_and_never_a_lane_of_day_events() -> None:
    events = news_case(20, seed=4)
    timeline = Timeline(events)
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    assert 1 <= layout.period_lanes <= 3
    for it in layout.items:
        assert (it.band == "periods") == (it.event.t1 > it.event.t0)
    # the band is thin: at most a third of the docked view
    assert layout.period_height <= DOCK_LANE_AREA / 3


def test_cluster_chips_never_overlap_and_count_every_point() -> None:
    rnd = random.Random(1)
    xs = sorted(rnd.uniform(0, 2000) for _ in range(500))
    spans = cluster_spans(xs, lambda n: 8.0 * len(str(n)) + 14)
    assert sum(end - first for _, _, first, end in spans) == len(xs)
    for (_, right, _, end), (left, _, first, _) in zip(spans, spans[1:], strict=False):
        assert right < left and end == first
    for left, right, first, end in spans:
        assert right - left >= 8.0 * len(str(end - first)) + 14 - 1e-9
        # a chip spans its members, but for the few pixels a neighbour may push it aside
        assert left <= xs[first] + 8 and xs[end - 1] - 8 <= right


def test_a_report_denying_an_event_does_not_make_it_more_important() -> None:
    def event(eid: int, denials: int) -> TimelineEvent:
        sources = [EventSource(d, f"doc{d}.txt", eid * 10 + d, 0, 9, "text") for d in (1, 2)]
        sources += [
            EventSource(d, f"doc{d}.txt", eid * 10 + d, 0, 9, "text", denied=True)
            for d in range(3, 3 + denials)
        ]
        day = dt.date(2019, 7, eid)
        return TimelineEvent(eid, day.isoformat(), day, day, "day", f"Item {eid}", sources, [])

    reported, denied = event(1, 0), event(2, 3)
    timeline = Timeline([reported, denied])
    assert importance(denied) == importance(reported) == (2, 0)
    assert [e.id for e in timeline.most_important(2)] == [1, 2]  # equals: the earlier first


def test_a_crowd_of_important_events_is_labelled_outwards() -> None:
    """Seven of the most reported events within two months, in the five lanes of the docked
    view at Fit all: labels on the crowd's left point left and on its right point right, so
    all seven keep one (with every label to the right first, two went without)."""
    base = dt.date(2019, 6, 1)
    events = [make_point(1, dt.date(2018, 1, 10), 1, "A much earlier item")]
    events.append(make_point(2, dt.date(2020, 12, 20), 1, "A much later item"))
    crowd_days = ((4, 4), (8, 10), (16, 13), (36, 12), (48, 9), (51, 11), (54, 14))
    for k, (offset, sources) in enumerate(crowd_days):
        title = f"Ministry officials met the union leaders about item {k}"
        events.append(make_point(10 + k, base + dt.timedelta(days=offset), sources, title))
    year, month = dt.date(2019, 1, 1), dt.date(2019, 6, 1)  # the band takes two lanes
    events.append(TimelineEvent(40, "2019", year, dt.date(2019, 12, 31), "year", "The year", []))
    events.append(TimelineEvent(41, "2019-06", month, dt.date(2019, 6, 30), "month", "June", []))
    timeline = Timeline(events)
    vp = timeline.fit(WIDTH)
    layout = timeline.layout(vp, DOCK_LANE_AREA)
    assert layout.lanes <= 5  # the lanes the docked view has room for
    crowd = [e for e in events if 10 <= e.id < 40]
    xs = [vp.x(e.t0) for e in crowd]
    assert max(xs) - min(xs) < 60  # two months: a few dozen pixels
    shown = {it.event.id for it in layout.labelled(vp)}
    assert {e.id for e in crowd} <= shown
    assert_no_overlap(layout, vp)


def make_point(eid: int, day: dt.date, sources: int, title: str) -> TimelineEvent:
    found = [EventSource(d, f"doc{d}.txt", eid * 100 + d, 0, 9, "text") for d in range(sources)]
    docs = list(range(sources))
    return TimelineEvent(eid, day.isoformat(), day, day, "day", title, found, [], docs)

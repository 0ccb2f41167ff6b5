"""The timeline's time maths, ticks, lanes, colours and loading, without Qt."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from casedesk.extract.timex import period
from casedesk.store import Case, now_iso
from casedesk.timeline import (
    ITEM_LIMIT,
    LABEL_GAP,
    LABEL_PAD,
    LANE_HEIGHT,
    MAX_SPAN_DAYS,
    MIN_SPAN_DAYS,
    PALETTE,
    PERIOD_LANE_HEIGHT,
    EventSource,
    LaneSpace,
    Timeline,
    TimelineEvent,
    Viewport,
    entity_choices,
    estimate_text_width,
    event_colour,
    load_events,
    palette_colour,
    t_of_date,
    tag_choices,
    tick_step,
    ticks,
)


def make_event(
    event_id: int, value: str, title: str = "", docs: tuple[int, ...] = (1,)
) -> TimelineEvent:
    p = period(value)
    assert p is not None
    sources = [EventSource(d, f"doc{d}.txt", event_id * 10 + d, 0, 5, "text") for d in docs]
    return TimelineEvent(
        event_id,
        value,
        p.start,
        p.end,
        p.precision,
        title or f"Event {event_id}",
        sources,
        [],
        list(dict.fromkeys(docs)),
    )


def day(y: int, m: int, d: int) -> float:
    return t_of_date(dt.date(y, m, d))


# -- viewport ----------------------------------------------------------------------------------


def test_zoom_keeps_the_time_under_the_anchor() -> None:
    vp = Viewport.fit(day(2019, 1, 1), day(2020, 1, 1), 1000)
    for anchor in (0.0, 137.0, 500.0, 999.0):
        for factor in (2.0, 0.5, 7.3):
            zoomed = vp.zoom(factor, anchor)
            assert zoomed.t(anchor) == pytest.approx(vp.t(anchor), abs=1e-6)
            assert zoomed.scale == pytest.approx(vp.scale * factor)


def test_zoom_stops_at_a_day_and_at_centuries_with_the_anchor_still_fixed() -> None:
    vp = Viewport.fit(day(2019, 1, 1), day(2020, 1, 1), 1000)
    deep = vp.zoom(1e6, 300)
    assert deep.span == pytest.approx(MIN_SPAN_DAYS)
    assert deep.t(300) == pytest.approx(vp.t(300), abs=1e-6)
    far = vp.zoom(1e-9, 300)
    assert far.span == pytest.approx(MAX_SPAN_DAYS)
    assert far.start >= 1.0


def test_pan_moves_the_content_by_pixels() -> None:
    vp = Viewport.fit(day(2019, 1, 1), day(2020, 1, 1), 1000)
    x_before = vp.x(day(2019, 6, 1))
    panned = vp.pan(120)
    assert panned.x(day(2019, 6, 1)) == pytest.approx(x_before + 120)
    assert panned.scale == vp.scale
    assert panned.pan(-120).start == pytest.approx(vp.start)


def test_fit_all_shows_every_event_with_its_label() -> None:
    events = [
        make_event(1, "2018-03-04", "Early one"),
        make_event(2, "2019"),
        make_event(3, "2021-11-30", "The very last event of the case"),
    ]
    timeline = Timeline(events)
    vp = timeline.fit(900)
    for ev in events:
        assert 0 < vp.x(ev.t0) < 900
        assert 0 < vp.x(ev.t1) < 900
    last = events[2]
    label_end = vp.x(last.t0) + 11 + estimate_text_width(last.title)
    assert label_end <= 900
    layout = timeline.layout(vp, 300)
    assert layout.mode == "labels"
    assert {it.event.id for it in layout.visible(vp)} == {1, 2, 3}


# -- ticks -------------------------------------------------------------------------------------


def test_tick_unit_follows_the_zoom_from_years_to_hours() -> None:
    vp = Viewport.fit(day(1990, 1, 1), day(2020, 1, 1), 1200)
    units = []
    for factor in (1, 30, 200, 2000):
        units.append(tick_step(vp.zoom(factor)).unit)
    assert units[0] == "year"
    assert units[1] in ("quarter", "month")
    assert units[2] in ("week", "day")
    assert units[3] in ("day", "hour")
    # And every rung in between is reached on the way down.
    seen = {tick_step(vp.zoom(1.3**k)).unit for k in range(60)}
    assert {"year", "quarter", "month", "week", "day", "hour"} <= seen


def test_month_ticks_name_months_and_mark_new_years() -> None:
    vp = Viewport.fit(day(2019, 1, 1), day(2020, 12, 31), 1600)
    got = ticks(vp)
    labels = [t.label for t in got]
    assert "Jul" in labels
    assert any(t.major and t.label == "2020" for t in got)
    xs = [t.x for t in got]
    assert xs == sorted(xs)


@pytest.mark.parametrize("width_per_char", [5.0, 7.0, 11.0])
def test_tick_labels_never_overlap_at_any_zoom(width_per_char: float) -> None:
    def text_width(s: str) -> float:
        return width_per_char * len(s)

    vp = Viewport.fit(day(1800, 1, 1), day(2200, 1, 1), 1000)
    for k in range(70):
        zoomed = vp.zoom(1.35**k, 400)
        got = ticks(zoomed, text_width)
        assert got, f"no ticks at zoom step {k}"
        for a, b in zip(got, got[1:], strict=False):
            right = a.x + LABEL_PAD + text_width(a.label)
            assert b.x + LABEL_PAD >= right + LABEL_GAP - 1e-6, (k, a, b)


# -- lanes -------------------------------------------------------------------------------------


def test_lane_space_takes_the_topmost_free_lane_and_never_overlaps() -> None:
    """What the placement of labels stands on: each lane's taken extents, kept in order."""
    rnd = random.Random(7)
    space = LaneSpace(4)
    taken: dict[int, list[tuple[float, float]]] = {}
    refused = 0
    for _ in range(400):
        x = rnd.uniform(0, 1000)
        left, right = x, x + rnd.uniform(20, 200)
        lane = space.first_free(left, right)
        free = space.free_lanes(left, right)
        assert lane == (free[0] if free else -1)
        for k, members in taken.items():  # a lane is free exactly when nothing in it overlaps
            assert (k in free) == all(b <= left or right <= a for a, b in members)
        if lane < 0:
            refused += 1
            continue
        space.take(lane, left, right)
        taken.setdefault(lane, []).append((left, right))
    assert refused and set(taken) == {0, 1, 2, 3} and space.used() == 4
    for members in taken.values():
        members.sort()
        for a, b in zip(members, members[1:], strict=False):
            assert a[1] <= b[0]
    # an extent given back leaves its room free again
    left, right = taken[2][0]
    assert 2 not in space.free_lanes(left, right)
    space.release(2, left, right)
    assert 2 in space.free_lanes(left, right)


def test_layout_lanes_never_overlap_labels_included() -> None:
    base = dt.date(2019, 7, 1)
    events = [make_event(i, (base + dt.timedelta(days=i % 9)).isoformat()) for i in range(40)]
    events += [make_event(100, "2019-07"), make_event(101, "2019-W28")]
    timeline = Timeline(events)
    vp = timeline.fit(1000)
    layout = timeline.layout(vp, 40 * LANE_HEIGHT)
    assert layout.mode == "labels"
    assert len(layout.items) == len(events)
    assert all(it.label for it in layout.items)
    by_lane: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for it in layout.items:
        height = LANE_HEIGHT if it.band == "points" else PERIOD_LANE_HEIGHT
        assert it.y == it.lane * height
        by_lane.setdefault((it.band, it.lane), []).append((it.left, it.right))
    for members in by_lane.values():
        members.sort()
        for a, b in zip(members, members[1:], strict=False):
            assert a[1] < b[0]


def test_day_events_are_points_month_and_year_events_are_bars() -> None:
    events = [
        make_event(1, "2019-07-04"),
        make_event(2, "2019-07-12T14:00"),
        make_event(3, "2019-08"),
        make_event(4, "2019"),
        make_event(5, "2019-W30"),
    ]
    timeline = Timeline(events)
    vp = timeline.fit(1200)
    items = {it.event.id: it for it in timeline.layout(vp, 400).items}
    assert items[1].x0 == items[1].x1
    assert items[2].x0 == items[2].x1
    # the time event sits at its hour, after noon of its day
    assert items[2].x0 > vp.scale * (day(2019, 7, 12) + 0.5)
    for bar in (3, 4, 5):
        assert items[bar].x1 > items[bar].x0
    year = items[4]
    assert year.x1 - year.x0 == pytest.approx(365 * vp.scale)


def test_clusters_then_density_when_events_crowd_the_view() -> None:
    base = dt.date(2019, 1, 1)
    few = [make_event(i, (base + dt.timedelta(days=i % 10)).isoformat()) for i in range(40)]
    timeline = Timeline(few)
    vp = timeline.fit(800)
    low = timeline.layout(vp, 3 * LANE_HEIGHT)
    assert low.mode == "labels" and low.lanes == 4  # a low view still labels (and scrolls)
    assert low.content_height > 3 * LANE_HEIGHT
    crowd = [make_event(i, (base + dt.timedelta(days=i % 10)).isoformat()) for i in range(300)]
    timeline = Timeline(crowd)
    vp = timeline.fit(800)
    layout = timeline.layout(vp, 8 * LANE_HEIGHT)
    assert layout.mode == "labels"
    labelled = {it.index for it in layout.items if it.label}
    clustered = [i for c in layout.clusters for i in c.members]
    assert labelled and clustered
    # every event shows: labelled, or counted in a cluster
    assert sorted(labelled | set(clustered)) == list(range(300))
    assert not labelled & set(clustered)
    many = [
        make_event(i, (base + dt.timedelta(days=i % 700)).isoformat())
        for i in range(ITEM_LIMIT * 3)
    ]
    big = Timeline(many)
    vp = big.fit(800)
    layout = big.layout(vp, 200)
    assert layout.mode == "density"
    assert sum(b.count for b in layout.bins) == len(many)
    assert layout.labelled(vp)  # the most important keep their labels over the histogram
    # zoomed in far enough, the events come back one by one
    close = big.layout(vp.zoom(200, 400), 200)
    assert close.mode == "labels"


def test_pan_inside_the_laid_out_window_reuses_the_layout() -> None:
    events = [make_event(i, f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(200)]
    timeline = Timeline(events)
    vp = timeline.fit(1000).zoom(3, 500)
    first = timeline.layout(vp, 2000)
    assert timeline.layout(vp.pan(50), 2000) is first
    assert timeline.layout(vp.zoom(1.2, 500), 2000) is not first


# -- colours -----------------------------------------------------------------------------------


def test_colours_are_stable_and_differ_between_neighbouring_ids() -> None:
    assert palette_colour(3) == palette_colour(3)
    assert len({palette_colour(i) for i in range(1, len(PALETTE) + 1)}) == len(PALETTE)
    ev = make_event(1, "2019-07-04", docs=(5, 2))
    assert event_colour(ev, "source") == palette_colour(2)
    ev.entity_ids = [9]
    assert event_colour(ev, "entity") == palette_colour(9)
    assert event_colour(make_event(2, "2019"), "entity") == palette_colour(None)


# -- loading from a case -----------------------------------------------------------------------


def _doc(case: Case, name: str, text: str) -> int:
    return case.add_document(file_name=name, text=text, sha256=name, format="txt")


def _fact(case: Case, doc: int, kind: str, start: int, end: int, status: str = "extracted") -> int:
    text = case.document(doc)["text"][start:end]
    cur = case.conn.execute(
        "INSERT INTO facts(document_id, kind, start, end, text, status, provenance, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'test', ?, ?)",
        (doc, kind, start, end, text, status, now_iso(), now_iso()),
    )
    return int(cur.lastrowid or 0)


def _event(case: Case, value: str, title: str, facts: list[int], status: str = "extracted") -> int:
    p = period(value)
    assert p is not None
    cur = case.conn.execute(
        "INSERT INTO events(date, date_start, date_end, precision, title, status)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (value, p.start.isoformat(), p.end.isoformat(), p.precision, title, status),
    )
    eid = int(cur.lastrowid or 0)
    case.conn.executemany(
        "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)", [(eid, f) for f in facts]
    )
    return eid


@pytest.fixture
def small_case(case: Case) -> dict[str, int]:
    a = _doc(case, "a.txt", "On 4 July 2019 Japan tightened controls. Seoul protested in August.")
    b = _doc(case, "b.txt", "Japan's controls began on 4 July 2019, reports said. Talks in 2020.")
    fa1 = _fact(case, a, "event", 0, 40)
    fa2 = _fact(case, a, "event", 41, 67)
    fb1 = _fact(case, b, "event", 0, 50)
    fb2 = _fact(case, b, "date", 52, 67)
    fr = _fact(case, b, "event", 52, 67, status="rejected")
    person = case.conn.execute(
        "INSERT INTO entities(kind, name, key) VALUES ('organization', 'Japan', 'japan')"
    ).lastrowid
    place = case.conn.execute(
        "INSERT INTO entities(kind, name, key) VALUES ('place', 'Seoul', 'seoul')"
    ).lastrowid
    controls = _event(case, "2019-07-04", "Japan tightens export controls", [fa1, fb1])
    protest = _event(case, "2019-08", "Seoul protests", [fa2])
    talks = _event(case, "2020", "Talks", [fb2])
    _event(case, "2019-09-01", "Rejected event", [fa2], status="rejected")
    _event(case, "2019-10-01", "Only a rejected source", [fr])
    case.conn.execute(
        "INSERT INTO event_entities(event_id, entity_id) VALUES (?, ?), (?, ?)",
        (controls, person, protest, place),
    )
    tag = case.conn.execute("SELECT id FROM tags WHERE name = 'Question'").fetchone()[0]
    case.conn.execute(
        "INSERT INTO annotations(document_id, start, end, text, tag_id, created_at, updated_at)"
        " VALUES (?, 45, 55, 'protested', ?, ?, ?)",
        (a, tag, now_iso(), now_iso()),
    )
    return {
        "a": a,
        "b": b,
        "controls": controls,
        "protest": protest,
        "talks": talks,
        "japan": int(person or 0),
        "seoul": int(place or 0),
        "tag": int(tag),
        "fa1": fa1,
        "fb1": fb1,
    }


def test_load_events_joins_sources_and_leaves_rejected_out(
    case: Case, small_case: dict[str, int]
) -> None:
    events = load_events(case)
    assert [e.title for e in events] == [
        "Japan tightens export controls",
        "Seoul protests",
        "Talks",
    ]
    controls = events[0]
    assert controls.precision == "day"
    assert controls.start == dt.date(2019, 7, 4)
    assert [s.file_name for s in controls.sources] == ["a.txt", "b.txt"]
    assert [s.fact_id for s in controls.sources] == [small_case["fa1"], small_case["fb1"]]
    assert controls.sources[0].text.startswith("On 4 July 2019")
    assert controls.document_ids == [small_case["a"], small_case["b"]]
    assert controls.entity_ids == [small_case["japan"]]
    talks = events[2]
    assert (talks.start, talks.end, talks.precision) == (
        dt.date(2020, 1, 1),
        dt.date(2020, 12, 31),
        "year",
    )


def test_load_events_filters_by_entity_kind_and_tag(case: Case, small_case: dict[str, int]) -> None:
    def titles(**kw: object) -> list[str]:
        return [e.title for e in load_events(case, **kw)]  # type: ignore[arg-type]

    assert titles(entity_id=small_case["seoul"]) == ["Seoul protests"]
    assert titles(kind="date") == ["Talks"]
    assert titles(kind="place") == ["Seoul protests"]
    assert titles(kind="organization") == ["Japan tightens export controls"]
    assert titles(tag_id=small_case["tag"]) == ["Seoul protests"]
    assert titles(tag_id=small_case["tag"], entity_id=small_case["japan"]) == []


def test_filter_choices_count_events_and_annotations(
    case: Case, small_case: dict[str, int]
) -> None:
    entities = entity_choices(case)
    assert {c.id for c in entities} == {small_case["japan"], small_case["seoul"]}
    assert all(c.count == 1 for c in entities)
    tags = {c.label: c.count for c in tag_choices(case)}
    assert tags["Question"] == 1
    assert tags["Key point"] == 0


def test_long_items_sit_in_their_own_band_above_the_day_events() -> None:
    days = [make_event(10 + i, f"2019-07-{1 + i:02d}") for i in range(5)]
    bars = [make_event(1, "2019"), make_event(2, "2019-07"), make_event(3, "2019-W27")]
    with_bars = Timeline(days + bars)
    alone = Timeline(days)
    vp = with_bars.fit(1000)
    for zoom in (1.0, 40.0):
        view = vp.zoom(zoom, vp.x(day(2019, 7, 3)))
        layout = with_bars.layout(view, 20 * LANE_HEIGHT)
        items = {it.event.id: it for it in layout.items}
        assert {items[i].band for i in (1, 2, 3)} == {"periods"}
        assert {items[i].band for i in range(10, 15)} == {"points"}
        assert layout.period_lanes >= 1
        # the day events are laid out as if the bars were not there, below the band
        plain = {
            it.event.id: (it.lane, it.label) for it in alone.layout(view, 20 * LANE_HEIGHT).items
        }
        assert {i: (items[i].lane, items[i].label) for i in range(10, 15)} == plain
        assert layout.header_height >= layout.period_lanes * PERIOD_LANE_HEIGHT


def test_a_bar_too_short_for_its_label_has_it_after_the_bar() -> None:
    timeline = Timeline(
        [make_event(1, "2019-W27", "A label longer than a week"), make_event(2, "2019")]
    )
    vp = timeline.fit(1000)
    items = {it.event.id: it for it in timeline.layout(vp, 400).items}
    week, year = items[1], items[2]
    assert week.label_x > week.x1
    # in the period band's smaller font
    assert week.right == pytest.approx(week.label_x + timeline.period_label_width(week.index))
    assert timeline.period_label_width(week.index) < estimate_text_width(week.label)
    assert year.x0 < year.label_x < year.x1


def test_ticks_and_fit_hold_at_the_ends_of_the_calendar_and_for_one_event() -> None:
    for vp in (
        Viewport(1.0, 1000 / MAX_SPAN_DAYS, 1000).clamped(),
        Viewport(day(9999, 12, 1), 1000.0, 1000).clamped(),
        Viewport(-5e6, 1e-9, 1000).clamped(),
    ):
        assert vp.start >= 1.0
        got = ticks(vp)
        assert got and all(-200 < t.x < 1200 for t in got)
    single = Timeline([make_event(1, "2019-07-04", "Alone")])
    vp = single.fit(800)
    assert vp.span >= MIN_SPAN_DAYS
    assert 0 < vp.x(single.events[0].t0) < 800
    empty = Timeline([])
    assert empty.layout(empty.fit(800), 200).mode == "empty"


def test_an_event_entered_by_hand_without_sources_stays(case: Case) -> None:
    _event(case, "2019-07-12T14:00", "Meeting noted by hand", [])
    (event,) = load_events(case)
    assert event.sources == [] and event.document_ids == []
    assert event.precision == "time"
    assert event.t0 == pytest.approx(day(2019, 7, 12) + 14 / 24)
    assert event_colour(event, "source") == palette_colour(None)

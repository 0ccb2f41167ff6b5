"""The timeline read at "Fit all" in the window: on the sample case at the default dock height
the ten most-sourced items keep their labels and none overlap; clusters open on a click; the
lanes scroll when they overflow; the legend names documents by title and publisher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from casedesk.extract.timex import period
from casedesk.store import Case, now_iso
from casedesk.timeline import PERIOD_LANE_HEIGHT, EventSource, Layout, TimelineEvent, Viewport
from casedesk.ui.main_window import MainWindow
from casedesk.ui.timeline_view import TimelinePanel, TimelineView


def make_event(event_id: int, value: str, title: str, sources: int = 1) -> TimelineEvent:
    p = period(value)
    assert p is not None
    docs = list(range(1, sources + 1))
    found = [EventSource(d, f"doc{d}.txt", event_id * 10 + d, 0, 9, "text") for d in docs]
    return TimelineEvent(event_id, value, p.start, p.end, p.precision, title, found, [], docs)


def boxes(layout: Layout, vp: Viewport) -> list[tuple[float, float, float, float]]:
    """The boxes drawn in view: bars, markers with their labels, cluster chips."""
    out = []
    for it in layout.visible(vp):
        if it.band == "periods":
            top = it.lane * PERIOD_LANE_HEIGHT
            out.append((it.left, it.right, top, top + PERIOD_LANE_HEIGHT))
        else:
            top = layout.header_height + it.lane * layout.lane_height
            out.append((it.left, it.right, top, top + layout.lane_height))
    for c in layout.visible_clusters(vp):
        row = layout.period_height
        out.append((c.x0, c.x1, row, row + layout.overview_height))
    return out


def overlapping(found: list[tuple[float, float, float, float]]) -> list[tuple[object, object]]:
    found = sorted(found)
    pairs = []
    for k, a in enumerate(found):
        for b in found[k + 1 :]:
            if b[0] >= a[1]:
                break
            if b[2] < a[3] and a[2] < b[3]:
                pairs.append((a, b))
    return pairs


@pytest.fixture
def docked(window: MainWindow, qtbot: QtBot) -> TimelineView:
    """The timeline as the window first shows it: docked at its default height, fitted."""
    qtbot.waitUntil(lambda: not window._default_sizes_pending)
    qtbot.wait(50)  # the default dock sizes are applied in a later turn of the event loop
    view = window.timeline.view
    qtbot.waitUntil(lambda: len(view.events()) > 0)
    view.fit_all()
    return view  # type: ignore[no-any-return]


def test_sample_case_at_fit_all_labels_the_ten_most_sourced_and_nothing_overlaps(
    docked: TimelineView,
) -> None:
    view = docked
    assert 120 <= view.viewport().height() <= 260  # the default dock, not a tall test window
    layout = view._current_layout()
    vp = view.time_viewport()
    shown = {e.id for e in view.labelled_events()}
    top = view._timeline.most_important(10)
    assert [e.title for e in top if e.id not in shown] == []
    assert overlapping(boxes(layout, vp)) == []
    # at the default height all of it is in sight: nothing to scroll to, every one of the ten
    # on screen
    assert view.lane_scroll_range() == 0 and not view.lane_scroll_bar.isVisible()
    assert [e.title for e in top if view.event_pos(e.id) is None] == []


def test_the_legend_names_documents_by_title_and_publisher(docked: TimelineView) -> None:
    names = [name for _, name, _ in docked.legend()]
    assert names
    assert not [n for n in names if n.endswith(".txt") or "_" in n]  # never a file name
    assert any(" — Korea JoongAng Daily" in n for n in names)
    assert any(n.startswith("Talks on Japanese trade") for n in names)


def test_the_menus_of_an_item_name_documents_by_title(docked: TimelineView) -> None:
    event = max(docked.events(), key=lambda e: len(e.sources))
    menu = docked._make_source_menu(event)
    entries = [a.text() for a in menu.actions() if a.isEnabled()]
    assert entries and not [t for t in entries if ".txt" in t.split("“")[0]]


@pytest.fixture
def crowded(qtbot: QtBot) -> Iterator[TimelineView]:
    """Two busy weeks and a quiet year around them."""
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 200)
    view.show()
    qtbot.waitExposed(view)
    events = [
        make_event(1, "2019-01-10", "A quiet start", 2),
        make_event(2, "2019-12-20", "The end"),
    ]
    base = dt.date(2019, 7, 1)
    for i in range(30):
        day = base + dt.timedelta(days=i % 14)
        events.append(make_event(10 + i, day.isoformat(), f"Busy day item number {i}", 1 + i % 3))
    view.set_events(events)
    yield view


def test_clicking_a_cluster_zooms_in_and_its_events_get_labels(
    crowded: TimelineView, qtbot: QtBot
) -> None:
    view = crowded
    (cluster,) = view.clusters()
    assert cluster.count >= 5
    members = {view._timeline.events[i].id for i in cluster.members}
    pos = view.cluster_pos(0)
    assert pos is not None
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    )
    assert f"{cluster.count} more events" in QToolTip.text() and "Busy day" in QToolTip.text()
    QToolTip.hideText()
    scale = view.scale_px_per_day()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.scale_px_per_day() > 1.5 * scale
    labelled = {e.id for e in view.labelled_events()}
    assert len(members & labelled) >= cluster.count // 2
    qtbot.keyClick(view, Qt.Key.Key_F)  # fit all: clustered again
    assert view.clusters() and view.scale_px_per_day() == pytest.approx(scale)


def test_a_cluster_at_one_moment_lists_its_events(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(800, 160)
    view.show()
    view.set_events([make_event(i, "2019-07-04T10:00", f"Same hour {i}") for i in range(1, 9)])
    (cluster,) = view.clusters()
    pos = view.cluster_pos(0)
    assert pos is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert view.source_menu is not None
    entries = [a for a in view.source_menu.actions() if a.isEnabled() and a.text()]
    assert len(entries) == cluster.count
    with qtbot.waitSignal(view.event_activated) as blocker:
        entries[0].trigger()
    assert blocker.args == [view._timeline.events[cluster.members[0]].id, 0]
    view.source_menu.close()


def test_lanes_scroll_with_a_scroll_bar_when_they_overflow(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_events([make_event(i, "2019-07-04", f"Same day {i}") for i in range(1, 7)])
    assert view.lane_scroll_range() == 0 and not view.lane_scroll_bar.isVisible()
    view.resize(900, 120)  # four lanes are kept, and they no longer fit
    assert view.lane_scroll_range() > 0
    bar = view.lane_scroll_bar
    assert bar.isVisible() and bar.maximum() == view.lane_scroll_range()
    assert bar.geometry().right() >= view.viewport().width() - 1
    shown = [e for e in view.events() if view.event_pos(e.id) is not None]
    lowest = max(shown, key=lambda e: view.event_pos(e.id).y())  # type: ignore[union-attr]
    y = view.event_pos(lowest.id).y()  # type: ignore[union-attr]
    bar.setValue(bar.maximum())
    assert view.lane_scroll() == bar.maximum()
    moved = view.event_pos(lowest.id)
    assert moved is not None and abs(moved.y() - (y - bar.maximum())) <= 1
    view.viewport().grab()  # paints scrolled


def test_long_items_are_thin_bars_above_the_day_events(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 220)
    view.show()
    events = [make_event(1, "2019", "The whole year"), make_event(2, "2019-07", "July")]
    events += [make_event(10 + i, f"2019-07-{1 + 3 * i:02d}", f"Day {i}") for i in range(5)]
    view.set_events(events)
    bars = [view.event_pos(1), view.event_pos(2)]
    days = [view.event_pos(10 + i) for i in range(5)]
    assert all(p is not None for p in bars + days)
    assert max(p.y() for p in bars) < min(p.y() for p in days)  # type: ignore[union-attr]
    assert view.event_at(bars[0]).id == 1  # type: ignore[arg-type,union-attr]


def test_panel_legend_on_a_case_uses_titles(case: Case, qtbot: QtBot) -> None:
    titled = case.add_document(
        file_name="a-file-name.txt",
        text="Some text here.",
        sha256="x",
        format="txt",
        title="Controls are tightened on three chemicals",
        publisher="The Example Herald",
    )
    untitled = case.add_document(
        file_name="another-file.txt",
        text="Other text.",
        sha256="y",
        format="txt",
        publisher="Wire Service",
        published="2019-07-06",
    )
    for doc, value in ((titled, "2019-07-04"), (untitled, "2019-07-08")):
        p = period(value)
        assert p is not None
        fact = case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, provenance, created_at, "
            "updated_at) VALUES (?, 'event', 0, 4, 'Some', 'test', ?, ?)",
            (doc, now_iso(), now_iso()),
        ).lastrowid
        eid = case.conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title) VALUES (?,?,?,?,?)",
            (value, p.start.isoformat(), p.end.isoformat(), p.precision, f"Event {doc}"),
        ).lastrowid
        case.conn.execute("INSERT INTO event_sources VALUES (?, ?)", (eid, fact))
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 260)
    panel.show()
    panel.set_case(case)
    names = sorted(name for _, name, _ in panel.view.legend())
    assert names == ["Controls are tightened on… — The Example Herald", "Wire Service, 6 July 2019"]


def test_the_item_one_steps_to_keeps_its_label_even_in_a_crowd(
    crowded: TimelineView, qtbot: QtBot
) -> None:
    view = crowded
    (cluster,) = view.clusters()
    hidden = view._timeline.events[cluster.members[-1]]  # the least important of the crowd
    view.set_current_event(hidden.id)
    assert hidden.id in {e.id for e in view.labelled_events()}
    assert view.event_pos(hidden.id) is not None
    view.set_current_event(None)
    for _ in view.events():  # "." steps through every item: each is shown as it is reached
        qtbot.keyClick(view, Qt.Key.Key_Period)
        current = view.current_event_id()
        assert current is not None and view.event_pos(current) is not None

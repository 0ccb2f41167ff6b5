"""The timeline widget driven as a user would: click, wheel, drag, keys, filters, colours."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from casedesk.extract.timex import period
from casedesk.store import Case, now_iso
from casedesk.timeline import EventSource, TimelineEvent, event_colour
from casedesk.ui.timeline_view import TimelinePanel, TimelineView


def make_event(
    event_id: int, value: str, title: str, docs: tuple[int, ...] = (1,)
) -> TimelineEvent:
    p = period(value)
    assert p is not None
    sources = [
        EventSource(d, f"doc{d}.txt", event_id * 10 + d, 0, 20, f"Sentence {d} about {title}")
        for d in docs
    ]
    return TimelineEvent(
        event_id, value, p.start, p.end, p.precision, title, sources, [], list(docs)
    )


EVENTS = [
    make_event(1, "2019-07-01", "Export controls announced", docs=(1, 2, 3)),
    make_event(2, "2019-07-04", "Controls take effect", docs=(2,)),
    make_event(3, "2019-08", "Boycott spreads", docs=(3,)),
    make_event(4, "2019-08-22", "Pact ended", docs=(4,)),
    make_event(5, "2020-06-02", "Complaint revived", docs=(2,)),
]


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[TimelineView]:
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(1000, 260)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(list(EVENTS))
    yield widget


def wheel(view: TimelineView, pos: QPoint, notches: float, shift: bool = False) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, round(120 * notches)),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_clicking_a_single_source_event_activates_it(view: TimelineView, qtbot: QtBot) -> None:
    pos = view.event_pos(2)
    assert pos is not None
    assert view.event_at(pos) is not None and view.event_at(pos).id == 2  # type: ignore[union-attr]
    with qtbot.waitSignal(view.event_activated, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [2, 0]


def test_clicking_an_event_with_several_sources_offers_them(
    view: TimelineView, qtbot: QtBot
) -> None:
    pos = view.event_pos(1)
    assert pos is not None
    activated: list[tuple[int, int]] = []
    view.event_activated.connect(lambda eid, i: activated.append((eid, i)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    menu = view.source_menu
    assert menu is not None and menu.isVisible()
    choices = [a for a in menu.actions() if a.data() is not None]
    assert [a.text().split(":")[0] for a in choices] == ["doc1.txt", "doc2.txt", "doc3.txt"]
    assert activated == []
    choices[2].trigger()
    assert activated == [(1, 2)]


def test_clicking_empty_space_activates_nothing(view: TimelineView, qtbot: QtBot) -> None:
    activated: list[int] = []
    view.event_activated.connect(lambda eid, i: activated.append(eid))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(990, 250))
    assert activated == []


def test_wheel_zooms_around_the_cursor(view: TimelineView, qtbot: QtBot) -> None:
    before = view.time_viewport()
    cursor = QPoint(300, 120)
    with qtbot.waitSignal(view.zoom_changed, timeout=1000) as blocker:
        wheel(view, cursor, 2)
    after = view.time_viewport()
    assert after.scale == pytest.approx(before.scale * 1.25**2)
    assert blocker.args == [pytest.approx(after.scale)]
    assert after.t(300) == pytest.approx(before.t(300), abs=1e-6)
    wheel(view, cursor, -2)
    assert view.time_viewport().scale == pytest.approx(before.scale)


def test_dragging_pans_without_activating(view: TimelineView, qtbot: QtBot) -> None:
    before = view.time_viewport()
    activated: list[int] = []
    view.event_activated.connect(lambda eid, i: activated.append(eid))
    start = view.event_pos(2)
    assert start is not None
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), start + QPoint(60, 0))
    qtbot.mouseMove(view.viewport(), start + QPoint(120, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(120, 0))
    after = view.time_viewport()
    assert after.x(before.t(start.x())) == pytest.approx(start.x() + 120)
    assert activated == []


def test_fit_all_brings_every_event_back(view: TimelineView, qtbot: QtBot) -> None:
    view.zoom_by(40, 100)
    view.pan_by(-300)
    assert any(view.event_pos(e.id) is None for e in EVENTS)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.layout_mode() == "labels"
    for event in EVENTS:
        assert view.event_pos(event.id) is not None, event.title
    view.zoom_by(5)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert all(view.event_pos(e.id) is not None for e in EVENTS)


def test_plus_and_minus_keys_zoom(view: TimelineView, qtbot: QtBot) -> None:
    scale = view.scale_px_per_day()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale_px_per_day() > scale
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale_px_per_day() < scale


def test_hovering_shows_a_tooltip_listing_the_sources(view: TimelineView, qtbot: QtBot) -> None:
    pos = view.event_pos(1)
    assert pos is not None
    help_event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), help_event)
    text = QToolTip.text()
    assert "Export controls announced" in text
    assert "3 sources" in text
    for name in ("doc1.txt", "doc2.txt", "doc3.txt"):
        assert name in text
    QToolTip.hideText()


def _pixel(view: TimelineView, event_id: int) -> QColor:
    pos = view.event_pos(event_id)
    assert pos is not None
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(pos.x() * ratio), round(pos.y() * ratio))


def test_markers_take_the_colour_of_their_source_or_entity(view: TimelineView) -> None:
    assert _pixel(view, 2).name() == event_colour(EVENTS[1], "source")
    EVENTS[1].entity_ids.append(7)
    try:
        view.set_colour_by("entity")
        assert _pixel(view, 2).name() == event_colour(EVENTS[1], "entity")
        assert event_colour(EVENTS[1], "entity") != event_colour(EVENTS[1], "source")
    finally:
        EVENTS[1].entity_ids.clear()


def test_highlighting_a_document_fades_the_other_events(view: TimelineView) -> None:
    plain = _pixel(view, 4)
    view.highlight_document(2)
    assert _pixel(view, 4) != plain  # event 4 is not from document 2
    assert _pixel(view, 2).name() == event_colour(EVENTS[1], "source")
    view.highlight_document(None)
    assert _pixel(view, 4) == plain


def test_paints_with_a_dark_palette(view: TimelineView) -> None:
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(palette)
    image = view.viewport().grab().toImage()
    corner = image.pixelColor(image.width() - 3, image.height() - 30)
    assert corner.lightnessF() < 0.2
    assert _pixel(view, 2).name() == event_colour(EVENTS[1], "source")


def test_many_events_become_a_histogram_that_a_click_zooms_into(qtbot: QtBot) -> None:
    import datetime as dt

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(800, 240)
    view.show()
    base = dt.date(2015, 1, 1)
    view.set_events(
        [make_event(i, (base + dt.timedelta(days=i % 1500)).isoformat(), "e") for i in range(6000)]
    )
    assert view.layout_mode() == "density"
    pos = QPoint(400, 200)
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    )
    assert " events, " in QToolTip.text() and "click to zoom in" in QToolTip.text()
    QToolTip.hideText()
    scale = view.scale_px_per_day()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 150))
    assert view.scale_px_per_day() == pytest.approx(scale * 4)


# -- the panel on a real case ------------------------------------------------------------------


def _add(case: Case, value: str, title: str, doc: int, entity: int | None) -> int:
    p = period(value)
    assert p is not None
    fact = case.conn.execute(
        "INSERT INTO facts(document_id, kind, start, end, text, provenance, created_at, "
        "updated_at) VALUES (?, 'event', 0, 10, 'Some text', 'test', ?, ?)",
        (doc, now_iso(), now_iso()),
    ).lastrowid
    eid = case.conn.execute(
        "INSERT INTO events(date, date_start, date_end, precision, title) VALUES (?, ?, ?, ?, ?)",
        (value, p.start.isoformat(), p.end.isoformat(), p.precision, title),
    ).lastrowid
    case.conn.execute("INSERT INTO event_sources VALUES (?, ?)", (eid, fact))
    if entity is not None:
        case.conn.execute("INSERT INTO event_entities VALUES (?, ?)", (eid, entity))
    return int(eid or 0)


def test_panel_loads_a_case_and_filters_by_entity(case: Case, qtbot: QtBot) -> None:
    doc = case.add_document(file_name="a.txt", text="Some text here.", sha256="x", format="txt")
    japan = case.conn.execute(
        "INSERT INTO entities(kind, name, key) VALUES ('organization', 'Japan', 'japan')"
    ).lastrowid
    _add(case, "2019-07-04", "Controls", doc, japan)
    _add(case, "2019-08", "Boycott", doc, None)
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 300)
    panel.show()
    panel.set_case(case)
    assert {e.title for e in panel.view.events()} == {"Controls", "Boycott"}
    assert panel.count_label.text() == "2 events"
    assert panel.entity_combo.count() == 1  # filled when first opened
    panel.entity_combo.showPopup()
    panel.entity_combo.hidePopup()
    index = panel.entity_combo.findData(japan)
    assert index > 0
    panel.entity_combo.setCurrentIndex(index)
    assert [e.title for e in panel.view.events()] == ["Controls"]
    assert panel.count_label.text() == "1 event"
    panel.entity_combo.setCurrentIndex(0)
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("organization"))
    assert [e.title for e in panel.view.events()] == ["Controls"]
    with qtbot.waitSignal(panel.event_activated, timeout=1000) as blocker:
        pos = panel.view.event_pos(panel.view.events()[0].id)
        assert pos is not None
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args[1] == 0
    panel.set_case(None)
    assert panel.view.events() == []
    assert panel.entity_combo.count() == 1
    assert panel.kind_combo.currentData() is None


def test_reload_keeps_a_zoom_the_user_chose(case: Case, qtbot: QtBot) -> None:
    doc = case.add_document(file_name="a.txt", text="Some text here.", sha256="x", format="txt")
    first = _add(case, "2019-07-04", "Controls", doc, None)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 240)
    view.show()
    view.set_case(case)
    assert view.event_by_id(first) is not None
    later = _add(case, "2021-03-01", "Later", doc, None)
    view.reload()  # still fitted: the new event comes into view
    assert view.event_pos(later) is not None and view.event_pos(first) is not None
    view.zoom_by(50, view.event_pos(first).x())  # type: ignore[union-attr]
    scale = view.scale_px_per_day()
    view.reload()
    assert view.scale_px_per_day() == scale
    assert view.event_pos(later) is None


def test_a_big_case_is_read_in_the_background(
    case: Case, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import casedesk.ui.timeline_view as timeline_view

    monkeypatch.setattr(timeline_view, "ASYNC_LOAD_ABOVE", 3)
    doc = case.add_document(file_name="a.txt", text="Some text here.", sha256="x", format="txt")
    ids = [_add(case, f"2019-07-{d:02d}", f"Event {d}", doc, None) for d in range(1, 6)]
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(900, 260)
    panel.show()
    with qtbot.waitSignal(panel.view.events_loaded, timeout=5000) as blocker:
        panel.set_case(case)
        assert panel.view.is_loading()
        assert panel.count_label.text() == "Reading events…"
    assert blocker.args == [5]
    assert not panel.view.is_loading()
    assert [e.id for e in panel.view.events()] == ids
    assert panel.count_label.text() == "5 events"
    assert all(panel.view.event_pos(i) is not None for i in ids)


def test_benchmark_smoke(qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark still runs (on a few events) and prints its figures."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "timeline.py"
    spec = importlib.util.spec_from_file_location("bench_timeline", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--events", "400", "--rounds", "1", "--width", "600"]) == 0
    out = capsys.readouterr().out
    assert "400 events" in out
    for figure in ("load_events", "fit all (F)", "one zoom frame", "one pan frame"):
        assert figure in out


def test_legend_names_the_documents_behind_the_colours(view: TimelineView) -> None:
    legend = view.legend()
    # events 1 (docs 1-3) and 3 come first from documents 1 and 3; 2 and 5 from document 2
    by_name = {name: (colour, n) for colour, name, n in legend}
    assert by_name["doc2.txt"] == (event_colour(EVENTS[1], "source"), 2)
    assert sum(n for _, _, n in legend) == len(EVENTS)
    assert legend[0][1] == "doc2.txt"  # most events first


def test_arrow_keys_pan_and_shift_wheel_scrolls_lanes(view: TimelineView, qtbot: QtBot) -> None:
    start = view.time_viewport().start
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.time_viewport().start > start
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.time_viewport().start == pytest.approx(start)
    view.set_events([make_event(10 + i, "2019-07-04", f"Same day {i}") for i in range(6)])
    view.resize(1000, 120)  # fewer lanes fit than the events need
    assert view.lane_scroll_range() > 0
    top = view.event_pos(10)
    wheel(view, QPoint(500, 80), -1, shift=True)
    moved = view.event_pos(10)
    assert top is not None and (moved is None or moved.y() < top.y())


def test_a_closed_case_gives_a_message_not_a_traceback(case: Case, qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view.show()
    view.set_case(case)
    case.conn.close()
    view.reload()
    assert view.events() == []
    assert view.error().startswith("Could not read the timeline")
    view.viewport().grab()  # paints the message

"""Editing the timeline in the window: by key, by context menu, with undo, redo and reopening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QMenu
from pytestqt.qtbot import QtBot

from casedesk.store import Case
from casedesk.timeline import TimelineEvent
from casedesk.ui.actions import ActionId
from casedesk.ui.commands import TimelineCommand
from casedesk.ui.main_window import MainWindow
from casedesk.ui.timeline_dialogs import AddEventDialog, DateField, EventDateDialog, date_value


def _panel(window: MainWindow) -> Any:
    if window.timeline is None:
        pytest.skip("the timeline is not in this build")
    return window.timeline


def _by_id(window: MainWindow, event_id: int) -> TimelineEvent | None:
    return _panel(window).view.event_by_id(event_id)  # type: ignore[no-any-return]


def _pick(qtbot: QtBot, window: MainWindow, *, sources: int = 1) -> TimelineEvent:
    """Click an item with at least ``sources`` reports (it becomes the current item)."""
    view = _panel(window).view
    event = next(e for e in view.events() if len(e.sources) >= sources)
    view.fit_all()
    view.zoom_by(1.0)
    pos = view.event_pos(event.id)
    if pos is None:
        view.set_current_event(event.id)
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        menu = view.source_menu
        if menu is not None:
            menu.close()
    assert view.current_event_id() == event.id
    view.setFocus()
    return event  # type: ignore[no-any-return]


def _undo(window: MainWindow) -> None:
    window.registry[ActionId.UNDO].trigger()


def _redo(window: MainWindow) -> None:
    window.registry[ActionId.REDO].trigger()


def _reopen(window: MainWindow, path: Path) -> None:
    assert window.open_case(path)


def test_rename_by_key_undo_redo_and_reopen(
    qtbot: QtBot, window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _pick(qtbot, window)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Curbs take effect", True))
    qtbot.keyClick(_panel(window).view, Qt.Key.Key_F2)
    assert isinstance(window.undo_stack.command(window.undo_stack.index() - 1), TimelineCommand)
    renamed = _by_id(window, event.id)
    assert renamed is not None and renamed.title == "Curbs take effect"
    assert "edited by you" in _panel(window).view._tooltip(renamed)
    _undo(window)
    assert _by_id(window, event.id).title == event.title  # type: ignore[union-attr]
    _redo(window)
    assert _by_id(window, event.id).title == "Curbs take effect"  # type: ignore[union-attr]
    _reopen(window, sample_path)
    assert _by_id(window, event.id).title == "Curbs take effect"  # type: ignore[union-attr]


def test_change_date_to_a_month_from_the_context_menu(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _pick(qtbot, window)
    panel = _panel(window)

    def choose_month(dialog: EventDateDialog) -> bool:
        field: DateField = dialog.date
        field.precision.setCurrentIndex(field.precision.findData("month"))
        assert "2019" in field.words.text() or field.words.text()
        return True

    monkeypatch.setattr(EventDateDialog, "exec", choose_month)
    pos = panel.view.event_pos(event.id) or QPoint(10, 60)
    panel.view.context_menu_requested.emit(event.id, panel.view.mapToGlobal(pos), event.t)
    menu = panel.context_menu
    assert isinstance(menu, QMenu)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Rename Item…" in texts and "Hide Item" in texts and "Merge With…" in texts
    next(a for a in menu.actions() if a.text() == "Change &Date…").trigger()
    menu.close()
    moved = _by_id(window, event.id)
    assert moved is not None and moved.precision == "month"
    assert moved.date == event.date[:7]
    _undo(window)
    assert _by_id(window, event.id).date == event.date  # type: ignore[union-attr]


def test_hide_with_delete_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    event = _pick(qtbot, window)
    count = len(_panel(window).view.events())
    qtbot.keyClick(_panel(window).view, Qt.Key.Key_Delete)
    assert _by_id(window, event.id) is None
    assert len(_panel(window).view.events()) == count - 1
    _undo(window)
    assert _by_id(window, event.id) is not None


def test_merge_two_items_then_move_a_report_out(
    qtbot: QtBot, window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _pick(qtbot, window)
    other = next(e for e in _panel(window).view.events() if e.id != event.id)
    from casedesk.ui.timeline_dialogs import EventPickerDialog

    def choose(dialog: EventPickerDialog) -> bool:
        for i in range(dialog.list.count()):
            if dialog.list.item(i).data(Qt.ItemDataRole.UserRole) == other.id:
                dialog.list.setCurrentRow(i)
        return True

    monkeypatch.setattr(EventPickerDialog, "exec", choose)
    qtbot.keyClick(_panel(window).view, Qt.Key.Key_M)
    merged = _by_id(window, event.id)
    assert _by_id(window, other.id) is None
    assert merged is not None
    assert len(merged.sources) == len(event.sources) + len(other.sources)

    # the report that came with the other item goes out again, by the context menu
    moved = other.sources[0]
    panel = _panel(window)
    panel.view.set_current_event(event.id)
    panel.view.context_menu_requested.emit(event.id, QPoint(0, 0), event.t)
    out = next(a.menu() for a in panel.context_menu.actions() if a.menu() is not None)
    next(
        a
        for a in out.actions()
        if moved.text.split()[0] in a.text() and (moved.document or moved.file_name) in a.text()
    ).trigger()
    panel.context_menu.close()
    assert len(_by_id(window, event.id).sources) == len(merged.sources) - 1  # type: ignore[union-attr]
    new_id = panel.view.current_event_id()
    assert new_id not in (None, event.id)
    _undo(window)  # the move out
    _undo(window)  # the merge
    assert _by_id(window, other.id) is not None
    assert len(_by_id(window, event.id).sources) == len(event.sources)  # type: ignore[union-attr]
    _redo(window)
    _redo(window)
    _reopen(window, sample_path)
    assert _by_id(window, other.id) is None
    assert _by_id(window, new_id) is not None


def test_add_an_item_from_the_selected_sentence_and_from_nothing(
    qtbot: QtBot, window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None
    doc_id = window.reader.document_id
    assert doc_id is not None
    text = window.case.document(doc_id)["text"]
    end = text.index(".") + 1
    window.reader.select_span(0, end)
    window.reader.setFocus()
    seen: dict[str, Any] = {}

    def accept(dialog: AddEventDialog) -> bool:
        seen["title"] = dialog.title
        dialog.title_edit.setText("Hand-made item")
        dialog.date.set_value("2019-07-02")
        return True

    monkeypatch.setattr(AddEventDialog, "exec", accept)
    qtbot.keyClick(
        window.reader,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert seen["title"]  # the sentence's first words were offered
    view = _panel(window).view
    added = next(e for e in view.events() if e.title == "Hand-made item")
    assert added.date == "2019-07-02" and added.status == "manual"
    assert added.sources[0].document_id == doc_id and added.sources[0].start == 0

    # from nothing: the context menu of empty space
    window.reader.select_span(0, 0)
    view.context_menu_requested.emit(-1, QPoint(0, 0), added.t)
    add_here = next(
        a for a in _panel(window).context_menu.actions() if a.text().startswith("&Add Item on")
    )
    assert "2019" in add_here.text()

    def accept_plain(dialog: AddEventDialog) -> bool:
        dialog.title_edit.setText("Talks in Vienna")
        return True

    monkeypatch.setattr(AddEventDialog, "exec", accept_plain)
    cursor = window.reader.textCursor()
    cursor.clearSelection()
    window.reader.setTextCursor(cursor)
    add_here.trigger()
    _panel(window).context_menu.close()
    plain = next(e for e in view.events() if e.title == "Talks in Vienna")
    assert plain.sources == []
    _undo(window)
    assert all(e.title != "Talks in Vienna" for e in view.events())
    _redo(window)
    _reopen(window, sample_path)
    titles = {e.title for e in _panel(window).view.events()}
    assert {"Hand-made item", "Talks in Vienna"} <= titles


def test_tooltips_name_documents_and_dates_in_words(window: MainWindow) -> None:
    view = _panel(window).view
    assert window.case is not None
    event = next(e for e in view.events() if e.sources and e.precision == "day")
    tip = view._tooltip(event)
    doc = window.case.document(event.sources[0].document_id)
    assert doc["file_name"] not in tip
    assert (doc["title"] or "")[:20].replace("&", "&amp;") in tip
    weekday = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert any(day in tip for day in weekday)
    assert event.date not in tip
    legend = [name for _colour, name, _n in view.legend()]
    assert all(not name.endswith((".txt", ".md", ".html")) for name in legend)


def test_the_date_field_makes_values_at_each_precision(qtbot: QtBot) -> None:
    import datetime as dt

    moment = dt.datetime(2020, 6, 22, 19, 30)
    assert [date_value(moment, p) for p in ("year", "month", "week", "day", "time")] == [
        "2020",
        "2020-06",
        "2020-W26",
        "2020-06-22",
        "2020-06-22T19:30",
    ]
    field = DateField("2020-06-22T19:30")
    qtbot.addWidget(field)
    assert field.value == "2020-06-22T19:30"
    assert field.words.text() == "Monday, 22 June 2020, 19:30"


def test_reextracting_a_document_keeps_timeline_edits(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _pick(qtbot, window)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Kept title", True))
    qtbot.keyClick(_panel(window).view, Qt.Key.Key_F2)
    assert window.case is not None
    from casedesk.extract.pipeline import extract_document

    case: Case = window.case
    extract_document(case, event.sources[0].document_id)
    window._reload_timeline()
    assert _by_id(window, event.id).title == "Kept title"  # type: ignore[union-attr]


def test_fact_tooltips_say_dates_in_words(window: MainWindow) -> None:
    assert window.case is not None
    start, value = window.case.conn.execute(
        "SELECT start, value FROM facts WHERE document_id = ? AND kind = 'date' "
        "AND length(value) = 10 AND status != 'rejected' LIMIT 1",
        (window.reader.document_id,),
    ).fetchone()
    from casedesk.words import spoken_date

    tip = window.reader._tooltip(start)
    assert spoken_date(value) in tip and value not in tip
    index = window.facts_model.find_fact(
        window.case.conn.execute(
            "SELECT id FROM facts WHERE document_id = ? AND start = ? AND kind = 'date'",
            (window.reader.document_id, start),
        ).fetchone()[0]
    )
    panel_tip = window.facts_model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert spoken_date(value) in panel_tip and value not in panel_tip

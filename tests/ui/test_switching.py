"""Switching documents does its work once: one facts reload, one highlight pass."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from casedesk.timeline import Timeline, TimelineEvent
from casedesk.ui.main_window import MainWindow


def test_clicking_a_document_loads_its_facts_and_highlights_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    reloads: list[int] = []
    window.facts_model.reloaded.connect(lambda: reloads.append(1))
    applied: list[int] = []
    original = window.reader._apply_layers

    def counting() -> None:
        applied.append(1)
        original()

    monkeypatch.setattr(window.reader, "_apply_layers", counting)
    view = window.sources_panel.view
    row = 3 if view.currentIndex().row() != 3 else 2
    rect = view.visualRect(window.sources_model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.document_id == window.sources_model.doc_id(row)
    assert view.currentIndex().row() == row
    assert len(reloads) == 1
    assert len(applied) == 1
    assert window.reader.layer("facts")


def _event(event_id: int, day: int, docs: list[int]) -> TimelineEvent:
    date = dt.date(2019, 7, day)
    return TimelineEvent(
        event_id, date.isoformat(), date, date, "day", f"event {event_id}", document_ids=docs
    )


def test_timeline_marks_exactly_the_events_of_the_shown_document() -> None:
    events = [_event(1, 9, [2]), _event(2, 4, [1, 2]), _event(3, 20, [1]), _event(4, 1, [3])]
    timeline = Timeline(events)
    timeline.set_highlight_document(2)
    assert timeline._highlight_mids == sorted([events[0].t, events[1].t])
    timeline.set_highlight_document(3)
    assert timeline._highlight_mids == [events[3].t]
    timeline.set_highlight_document(99)
    assert timeline._highlight_mids == []
    timeline.set_highlight_document(None)
    assert timeline._highlight_mids == []

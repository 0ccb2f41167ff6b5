"""The window shows a denial as a denial: in the facts panel (a "⊘ denies:" prefix in the
denial colour), in the reader (a wavy underline and a tooltip that says so), and a happening
reported only as denied as such. The article is written for this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from casedesk.extract.pipeline import extract_documents
from casedesk.ingest import import_paths
from casedesk.ingest.model import DocumentMeta
from casedesk.store import Case
from casedesk.ui.colours import DENIAL
from casedesk.ui.main_window import MainWindow
from casedesk.ui.models import KIND_ROLE
from casedesk.ui.settings import Settings

ARTICLE = (
    "Ferry operator rejects safety claims\n\n"
    "Nordlink Ferries on Monday denied that its crews had skipped lifeboat drills. "
    "Captain Ada Moen said the drills were held every week.\n"
)


def _window_on(qtbot: QtBot, tmp_path: Path, name: str, text: str) -> Iterator[MainWindow]:
    """A window on a new case holding one extracted article."""
    article = tmp_path / f"{name}.txt"
    article.write_text(text, encoding="utf-8")
    path = tmp_path / f"{name}.casedesk"
    with Case.create(path) as case:
        report = import_paths(case, [article], meta=DocumentMeta(published="2024-03-08"))
        extract_documents(case, [doc_id for _, doc_id in report.imported])
    win = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(win)
    assert win.open_case(path)
    win.show()
    yield win
    win.set_case(None)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    yield from _window_on(qtbot, tmp_path, "ferry", ARTICLE)


def panel_rows(win: MainWindow, kind: str) -> list[tuple[str, object]]:
    model = win.facts_model
    rows = []
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        if model.data(parent, KIND_ROLE) != kind:
            continue
        while model.canFetchMore(parent):
            model.fetchMore(parent)
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
            rows.append((str(model.data(index)), brush.color().name() if brush else None))
    return rows


def test_the_facts_panel_marks_denials(window: MainWindow) -> None:
    claims = panel_rows(window, "claim")
    denied = [r for r in claims if "skipped lifeboat drills" in r[0]]
    asserted = [r for r in claims if "held every week" in r[0]]
    assert denied == [("⊘ denies: its crews had skipped lifeboat drills", DENIAL.lower())]
    assert asserted and not asserted[0][0].startswith("⊘") and asserted[0][1] is None
    events = panel_rows(window, "event")
    assert any(text.startswith("⊘ denied: ") for text, _ in events)


def test_the_reader_draws_and_explains_a_denial(window: MainWindow) -> None:
    text = ARTICLE
    at = text.index("skipped lifeboat")
    tip = window.reader._tooltip(at)
    assert "Nordlink Ferries denies this (denied): not their assertion" in tip
    wavy = [
        s
        for s in window.reader._layers["facts"]
        if s.start <= at < s.end
        and s.fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    ]
    assert wavy
    other = text.index("held every week")
    assert "denies" not in window.reader._tooltip(other)
    # the rest of the sentence, whose happening is only denied, is dotted in the denial colour
    before = text.index("Ferries on Monday")
    dotted = [
        s
        for s in window.reader._layers["facts"]
        if s.start <= before < s.end
        and s.fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
        and s.fmt.underlineColor().name() == DENIAL.lower()
    ]
    assert dotted and "reported only as denied" in window.reader._tooltip(before)


NESTED = (
    "Ministry rejects valve claims\n\n"
    "The transport ministry on Wednesday rejected claims that engineer Pavel Novak told "
    "inspectors the ferry's valves were faulty.\n"
)


@pytest.fixture
def nested_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    yield from _window_on(qtbot, tmp_path, "valves", NESTED)


def test_a_denied_statement_of_a_named_person_shows_as_the_deniers_denial(
    nested_window: MainWindow,
) -> None:
    """The engineer's words are what the ministry says was never said: in the panel and the
    reader they are the ministry's denial, never an assertion by anyone."""
    claims = panel_rows(nested_window, "claim")
    faulty = [r for r in claims if "valves were faulty" in r[0]]
    assert faulty == [
        (
            "⊘ denies: engineer Pavel Novak told inspectors the ferry's valves were faulty",
            DENIAL.lower(),
        )
    ]
    at = NESTED.index("valves were faulty")
    tip = nested_window.reader._tooltip(at)
    assert "The transport ministry denies this (rejected): not their assertion" in tip
    assert "Novak denies" not in tip and "asserts" not in tip

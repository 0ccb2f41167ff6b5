"""The main window driven as a user drives it, offscreen, on a copy of the sample case."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casedesk import edits
from casedesk.store import Case
from casedesk.ui.actions import ActionId
from casedesk.ui.main_window import MainWindow
from casedesk.ui.models import KIND_ROLE, FactsModel, SearchResultsModel, SourcesModel
from casedesk.ui.worker import ImportSummary, PropertiesWorker


def first_fact_index(win: MainWindow, kind: str | None = None) -> QModelIndex:
    model = win.facts_model
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        if kind and model.data(parent, KIND_ROLE) != kind:
            continue
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        if model.rowCount(parent):
            first = model.index(0, 0, parent)
            if model.group_at(first) is not None:  # the mentions of one entity: open it
                win.facts_panel.view.expand(first)
                if model.canFetchMore(first):
                    model.fetchMore(first)
                return model.index(0, 0, first)
            return first
    raise AssertionError(f"no {kind or ''} fact in the facts panel")


def click_index(qtbot: QtBot, win: MainWindow, index: QModelIndex) -> None:
    view = win.facts_panel.view
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def select_in_reader(win: MainWindow, start: int, end: int) -> None:
    win.reader.select_span(start, end)


def doc_text(win: MainWindow) -> str:
    assert win.case is not None and win.reader.document_id is not None
    return str(win.case.document(win.reader.document_id)["text"])


# -- models ------------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester: Any, sample_path: Path) -> None:
    case = Case.open(sample_path)
    try:
        sources = SourcesModel(case)
        qtmodeltester.check(sources)
        sources.sort(0, Qt.SortOrder.DescendingOrder)
        sources.set_filter("Japan")
        qtmodeltester.check(sources)
        facts = FactsModel(case)
        facts.set_document(case.document_ids()[0])
        qtmodeltester.check(facts)
        facts.set_whole_case(True)
        for g in range(facts.rowCount()):
            facts.fetchMore(facts.index(g, 0))
        qtmodeltester.check(facts)
        results = SearchResultsModel()
        results.set_results("Japan", case.search("Japan"))
        qtmodeltester.check(results)
    finally:
        case.close()


def test_sources_sort_and_filter_by_sql(sample_path: Path) -> None:
    case = Case.open(sample_path)
    try:
        model = SourcesModel(case)
        model.sort(2, Qt.SortOrder.DescendingOrder)
        dates = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
        assert dates == sorted(dates, reverse=True)
        model.set_filter("Mainichi")
        assert model.rowCount() == 1
        assert "Mainichi" in model.data(model.index(0, 1))
    finally:
        case.close()


def test_sources_load_lazily_in_batches(case: Case) -> None:
    for i in range(450):
        case.add_document(file_name=f"{i}.txt", text=f"text {i}", sha256=f"{i:064d}", format="txt")
    model = SourcesModel(case)
    assert model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()


# -- the window --------------------------------------------------------------------------------


def test_opens_the_sample_with_its_documents(window: MainWindow) -> None:
    assert window.sources_model.rowCount() == 5
    assert window.reader.document_id is not None
    assert len(window.reader.toPlainText()) > 500
    assert window.case is not None and window.case.name in window.windowTitle()
    # Web debris is greyed as its own layer.
    assert window.reader.layer("debris")
    # The facts panel opens with every kind expanded and its facts listed.
    model, view = window.facts_model, window.facts_panel.view
    groups = [model.index(r, 0) for r in range(model.rowCount())]
    assert groups and all(view.isExpanded(g) and model.rowCount(g) > 0 for g in groups)


def test_selecting_a_document_shows_it(qtbot: QtBot, window: MainWindow) -> None:
    view = window.sources_panel.view
    rect = view.visualRect(window.sources_model.index(3, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    doc_id = window.sources_model.doc_id(3)
    assert window.reader.document_id == doc_id
    assert window.case is not None
    assert window.reader.toPlainText() == window.case.document(doc_id)["text"]


def test_clicking_a_fact_selects_its_span_in_the_reader(qtbot: QtBot, window: MainWindow) -> None:
    index = first_fact_index(window)
    fact = window.facts_model.fact_at(index)
    assert fact is not None
    click_index(qtbot, window, index)
    cursor = window.reader.textCursor()
    assert cursor.selectedText() == fact.text.replace("\n", "\u2029")
    assert window.reader.selected_span() is not None


def test_confirm_a_fact_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    index = first_fact_index(window)
    fact = window.facts_model.fact_at(index)
    assert fact is not None and window.case is not None
    click_index(qtbot, window, index)
    qtbot.keyClick(window.facts_panel.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert edits.fact(window.case, fact.id)["status"] == "confirmed"
    shown = window.facts_model.fact_at(window.facts_panel.view.currentIndex())
    assert shown is not None and shown.id == fact.id and shown.status == "confirmed"
    window.registry[ActionId.UNDO].trigger()
    assert edits.fact(window.case, fact.id)["status"] == fact.status


def test_reject_hides_the_fact_from_the_text(qtbot: QtBot, window: MainWindow) -> None:
    index = first_fact_index(window)
    fact = window.facts_model.fact_at(index)
    assert fact is not None and window.case is not None
    click_index(qtbot, window, index)
    assert (fact.start, fact.end) in window.reader.layer("facts")
    window.registry[ActionId.REJECT_FACT].trigger()
    assert edits.fact(window.case, fact.id)["status"] == "rejected"
    assert (fact.start, fact.end) not in window.reader.layer("facts")
    window.undo_stack.undo()
    assert (fact.start, fact.end) in window.reader.layer("facts")


def test_edit_value_keeps_the_machine_value(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = first_fact_index(window, "place")
    fact = window.facts_model.fact_at(index)
    assert fact is not None and window.case is not None
    click_index(qtbot, window, index)
    monkeypatch.setattr(
        "casedesk.ui.main_window.QInputDialog.getText", lambda *a, **k: ("corrected", True)
    )
    window.registry[ActionId.EDIT_FACT_VALUE].trigger()
    row = edits.fact(window.case, fact.id)
    assert (row["value"], row["status"]) == ("corrected", "confirmed")
    assert row["original_value"] == fact.value
    window.undo_stack.undo()
    assert edits.fact(window.case, fact.id)["value"] == fact.value


def test_annotate_a_selection_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    assert window.case is not None
    text = doc_text(window)
    start = text.index("Japan")
    select_in_reader(window, start, start + len("Japan"))
    assert window.registry[ActionId.TAG_SELECTION].isEnabled()
    window.registry[ActionId.TAG_SELECTION].trigger()
    rows = window.case.conn.execute("SELECT start, end, text, tag_id FROM annotations").fetchall()
    assert rows == [(start, start + 5, "Japan", rows[0][3])] and rows[0][3] is not None
    assert (start, start + 5) in window.reader.layer("annotations")
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
    assert window.reader.layer("annotations") == []
    qtbot.keyClick(
        window.reader,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1


def test_selection_offers_the_annotation_tools(qtbot: QtBot, window: MainWindow) -> None:
    text = doc_text(window)
    start = text.index("Japan")
    select_in_reader(window, start, start + 5)
    window.reader.show_selection_tools()
    toolbar = window.reader.selection_toolbar
    assert toolbar.isVisible()
    window.reader.select_span(0, 0)
    assert not window.reader.textCursor().hasSelection()


def test_annotation_over_a_fact_keeps_the_fact_visible(window: MainWindow) -> None:
    index = first_fact_index(window)
    fact = window.facts_model.fact_at(index)
    assert fact is not None and window.commands is not None
    window.commands.add_annotation(fact.document_id, fact.start, fact.end, tag_id=1)
    merged = [
        s
        for s in window.reader.extraSelections()
        if s.cursor.selectionStart() == window.reader.to_qt(fact.start)
    ]
    assert merged, "no highlight where fact and annotation overlap"
    fmt = merged[0].format
    # The fact's underline and the annotation's background both survive the merge.
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert fmt.background().color().alpha() == 150


def test_note_is_saved_and_edited(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.case is not None and window.commands is not None
    text = doc_text(window)
    start = text.index("Japan")
    doc_id = window.reader.document_id
    assert doc_id is not None
    ann = window.commands.add_annotation(doc_id, start, start + 5, note="*first* note")
    window.reader.select_span(start + 1, start + 1)
    assert window.reader.annotation_under_cursor() == ann

    class FakeDialog:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.tag_id = 2
            self.note = "second **note**"

        def exec(self) -> bool:
            return True

    monkeypatch.setattr("casedesk.ui.main_window.AnnotationDialog", FakeDialog)
    window.registry[ActionId.EDIT_ANNOTATION].trigger()
    assert edits.annotation(window.case, ann)["note"] == "second **note**"
    assert "<strong>note</strong>" in window.reader._tooltip(start + 1)
    window.registry[ActionId.DELETE_ANNOTATION].trigger()
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert edits.annotation(window.case, ann)["note"] == "*first* note"


def test_add_selection_as_fact(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.case is not None
    text = doc_text(window)
    start = text.index("photoresist")
    select_in_reader(window, start, start + len("photoresist"))

    class FakeDialog:
        kind = "material"
        value = "photoresist"

        def __init__(self, *args: Any) -> None:
            pass

        def exec(self) -> bool:
            return True

    monkeypatch.setattr("casedesk.ui.main_window.AddFactDialog", FakeDialog)
    window.registry[ActionId.FACT_FROM_SELECTION].trigger()
    row = window.case.conn.execute(
        "SELECT kind, status, provenance FROM facts WHERE start = ? AND kind = 'material' "
        "AND provenance = 'user'",
        (start,),
    ).fetchone()
    assert row == ("material", "manual", "user")
    current = window.facts_model.fact_at(window.facts_panel.view.currentIndex())
    assert current is not None and current.start == start


def test_legend_hides_a_kind(qtbot: QtBot, window: MainWindow) -> None:
    index = first_fact_index(window)
    fact = window.facts_model.fact_at(index)
    assert fact is not None
    assert (fact.start, fact.end) in window.reader.layer("facts")
    qtbot.mouseClick(window.legend.button(fact.kind), Qt.MouseButton.LeftButton)
    assert (fact.start, fact.end) not in window.reader.layer("facts")
    assert fact.kind in window.settings.hidden_kinds


def test_search_the_case_and_open_a_hit(qtbot: QtBot, window: MainWindow) -> None:
    window.registry[ActionId.SEARCH_CASE].trigger()
    assert window.search_panel.edit.hasFocus() or window.search_dock.isVisible()
    qtbot.keyClicks(window.search_panel.edit, "photoresist")
    qtbot.keyClick(window.search_panel.edit, Qt.Key.Key_Return)
    model = window.search_panel.model
    assert model.rowCount() >= 1
    window.search_panel.view.activated.emit(model.index(0, 0))
    assert window.reader.document_id == model.hit(0).document_id  # type: ignore[union-attr]
    assert window.reader.search_hits()
    assert window.reader.textCursor().selectedText().lower().startswith("photoresist")


def test_search_with_a_broken_query_does_not_fail(window: MainWindow) -> None:
    window.search_case('"unbalanced AND (')
    assert window.search_panel.model.rowCount() >= 0


def test_find_in_document(qtbot: QtBot, window: MainWindow) -> None:
    window.registry[ActionId.FIND].trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "japan")
    count = doc_text(window).lower().count("japan")
    assert len(window.reader.search_hits()) == count
    assert window.reader.textCursor().selectedText().lower() == "japan"
    assert f"of {count}" in window.find_bar.count_label.text()
    window.find_bar.close_bar()
    assert window.reader.search_hits() == []


def test_timeline_event_opens_its_sentence(window: MainWindow) -> None:
    if window.timeline is None:
        pytest.skip("the timeline is not in this build")
    events = window.timeline.view.events()
    assert events, "the sample case has events"
    event = next(e for e in events if e.sources)
    window.timeline.event_activated.emit(event.id, 0)
    source = event.sources[0]
    assert window.reader.document_id == source.document_id
    assert window.reader.selected_span() is not None
    assert window.reader.textCursor().selectedText() == source.text.replace("\n", "\u2029")


class _DateDialog:
    """Stands in for the properties dialog: the user typed a new date and title."""

    changes_made: dict[str, Any] = {}

    def __init__(self, *args: Any) -> None:
        pass

    def exec(self) -> bool:
        return True

    def changes(self) -> dict[str, Any]:
        return dict(self.changes_made)


def test_document_date_change_runs_in_a_worker_and_is_undoable(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None
    doc_id = window.reader.document_id
    assert doc_id is not None
    before = window.case.document(doc_id)["published"]
    facts_before = window.case.conn.execute(
        "SELECT count(*) FROM facts WHERE document_id = ?", (doc_id,)
    ).fetchone()[0]
    stack_before = window.undo_stack.count()
    # Make the worker's part take a noticeable time, as loading the language model does.
    slow_started = threading.Event()
    real = edits.set_document_properties

    def slow(case: Case, doc: int, fields: dict[str, Any], **kw: Any) -> dict[str, Any]:
        if threading.current_thread() is not threading.main_thread() and not slow_started.is_set():
            slow_started.set()
            time.sleep(0.4)
        return real(case, doc, fields, **kw)

    monkeypatch.setattr(edits, "set_document_properties", slow)
    _DateDialog.changes_made = {
        "published": "2019-08-01",
        "published_inferred": 0,
        "title": "New title",
    }
    monkeypatch.setattr("casedesk.ui.main_window.PropertiesDialog", _DateDialog)
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    window.registry[ActionId.PROPERTIES].trigger()
    # The GUI thread is back at once; the change happens meanwhile.
    assert window.progress.isVisible()
    assert window.case.document(doc_id)["published"] == before
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    timer.stop()
    assert slow_started.is_set()
    assert len(ticks) >= 5, "the window kept handling events while the date was applied"
    assert window.case.document(doc_id)["published"] == "2019-08-01"
    assert "New title" in window.doc_header.text()
    row = window.sources_model.row_of(doc_id)
    assert row is not None
    assert window.sources_model.data(window.sources_model.index(row, 0)) == "New title"
    assert window.undo_stack.count() == stack_before + 1
    assert window.undo_stack.undoText() == "Edit document properties"
    assert not window.progress.isVisible()
    # Undo and redo extract the document again too, in a worker as well.
    window.registry[ActionId.UNDO].trigger()
    assert isinstance(window.worker, PropertiesWorker)
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    assert window.case.document(doc_id)["published"] == before
    assert window.case.document(doc_id)["title"] != "New title"
    assert "New title" not in window.doc_header.text()
    facts_after = window.case.conn.execute(
        "SELECT count(*) FROM facts WHERE document_id = ?", (doc_id,)
    ).fetchone()[0]
    assert facts_after == facts_before
    window.registry[ActionId.REDO].trigger()
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    assert window.case.document(doc_id)["published"] == "2019-08-01"
    assert "New title" in window.doc_header.text()
    window.registry[ActionId.UNDO].trigger()
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    assert window.case.document(doc_id)["published"] == before


def test_undo_waits_while_the_date_change_runs(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None and window.commands is not None
    doc_id = window.reader.document_id
    assert doc_id is not None
    window.commands.add_annotation(doc_id, 0, 5, note="earlier")
    real = edits.set_document_properties

    def slow(case: Case, doc: int, fields: dict[str, Any], **kw: Any) -> dict[str, Any]:
        time.sleep(0.3)
        return real(case, doc, fields, **kw)

    monkeypatch.setattr(edits, "set_document_properties", slow)
    _DateDialog.changes_made = {"published": "2019-08-01", "published_inferred": 0}
    monkeypatch.setattr("casedesk.ui.main_window.PropertiesDialog", _DateDialog)
    window.registry[ActionId.PROPERTIES].trigger()
    window.registry[ActionId.UNDO].trigger()
    assert "Wait until" in window.statusBar().currentMessage()
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    window.registry[ActionId.UNDO].trigger()
    window.registry[ActionId.UNDO].trigger()  # refused: the undo above is still running
    assert "Wait until" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    assert window.case.document(doc_id)["published"] != "2019-08-01"
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 1
    window.registry[ActionId.UNDO].trigger()
    assert window.case.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0


def test_a_refused_date_from_the_worker_is_a_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = window.reader.document_id
    assert window.case is not None and doc_id is not None
    _DateDialog.changes_made = {"published": "the 31st", "published_inferred": 0}
    monkeypatch.setattr("casedesk.ui.main_window.PropertiesDialog", _DateDialog)
    warnings_shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings_shown.append(text)
    )
    stack_before = window.undo_stack.count()
    window.registry[ActionId.PROPERTIES].trigger()
    qtbot.waitUntil(lambda: window.worker is None, timeout=30000)
    qtbot.waitUntil(lambda: bool(warnings_shown))
    assert "not a date" in warnings_shown[0]
    assert window.undo_stack.count() == stack_before


def _machine_fact(window: MainWindow, doc_id: int) -> tuple[int, int, int, str]:
    assert window.case is not None
    row = window.case.conn.execute(
        "SELECT id, start, end, kind FROM facts WHERE document_id = ? AND status = 'extracted' "
        "AND kind IN ('person', 'organization', 'place') ORDER BY start LIMIT 1",
        (doc_id,),
    ).fetchone()
    assert row is not None, "the document has a machine-made name"
    return int(row[0]), int(row[1]), int(row[2]), str(row[3])


def test_undo_steps_follow_facts_that_were_extracted_again(window: MainWindow) -> None:
    """Redo "Confirm fact" after the document's facts were replaced: it confirms the same
    mention under its new id."""
    assert window.case is not None and window.commands is not None
    conn = window.case.conn
    doc_id = window.reader.document_id
    assert doc_id is not None
    window.commands.set_document_properties(doc_id, {"published": "2019-08-01"})
    fact_id, start, end, kind = _machine_fact(window, doc_id)
    window.commands.set_fact_status([fact_id], "confirmed")
    window.undo_stack.undo()  # the fact is machine-made again...
    window.undo_stack.undo()  # ...so putting the old date back replaces it
    window.undo_stack.redo()
    window.undo_stack.redo()
    status = conn.execute(
        "SELECT status FROM facts WHERE document_id = ? AND start = ? AND end = ? AND kind = ?",
        (doc_id, start, end, kind),
    ).fetchall()
    assert status == [("confirmed",)]
    assert window.undo_stack.canUndo() and not window.undo_stack.canRedo()


def test_a_step_that_cannot_be_made_any_more_drops_itself(window: MainWindow) -> None:
    """Undo "Delete fact" after extraction put the same mention back: a message in the status
    bar, the step leaves the history, no dialog and no traceback; older steps still work."""
    assert window.case is not None and window.commands is not None
    conn = window.case.conn
    doc_id = window.reader.document_id
    assert doc_id is not None
    window.commands.add_annotation(doc_id, 0, 5, note="older step")
    fact_id, start, end, kind = _machine_fact(window, doc_id)
    window.commands.delete_fact(fact_id)
    window.commands.set_document_properties(doc_id, {"published": "2019-08-01"})
    window.undo_stack.undo()  # the old date again: extraction finds the mention again
    count = window.undo_stack.count()
    window.undo_stack.undo()  # "Delete fact" cannot put back what is there already
    message = window.statusBar().currentMessage()
    assert "Cannot undo" in message and "extracted again" in message
    assert window.undo_stack.count() == count - 1
    same = conn.execute(
        "SELECT count(*) FROM facts WHERE document_id = ? AND start = ? AND end = ? AND kind = ?",
        (doc_id, start, end, kind),
    ).fetchone()[0]
    assert same == 1
    assert window.undo_stack.undoText() == "Add note"
    window.undo_stack.undo()
    assert (
        conn.execute("SELECT count(*) FROM annotations WHERE note = 'older step'").fetchone()[0]
        == 0
    )


def test_merge_and_split_entities_undo(window: MainWindow) -> None:
    assert window.case is not None and window.commands is not None
    conn = window.case.conn
    kinds = conn.execute(
        "SELECT kind FROM entities GROUP BY kind HAVING count(*) >= 2 LIMIT 1"
    ).fetchone()
    assert kinds, "the sample has two entities of one kind"
    a, b = (
        r[0] for r in conn.execute("SELECT id FROM entities WHERE kind = ? LIMIT 2", (kinds[0],))
    )
    entities_before = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    b_name = conn.execute("SELECT name FROM entities WHERE id = ?", (b,)).fetchone()[0]
    b_facts = {r[0] for r in conn.execute("SELECT id FROM facts WHERE entity_id = ?", (b,))}
    window.commands.merge_entities(a, b)
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities_before - 1
    # Split the merged name off again, as a user who merged too eagerly would.
    alias = conn.execute(
        "SELECT id FROM aliases WHERE entity_id = ? AND alias = ?", (a, b_name)
    ).fetchone()
    window.commands.split_entity(a, [alias[0]], sorted(b_facts)[:1], "Split off")
    new_id = conn.execute("SELECT id FROM entities WHERE name = 'Split off'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities_before
    window.undo_stack.undo()
    assert conn.execute("SELECT count(*) FROM entities WHERE id = ?", (new_id,)).fetchone()[0] == 0
    window.undo_stack.undo()
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities_before
    assert {r[0] for r in conn.execute("SELECT id FROM facts WHERE entity_id = ?", (b,))} == b_facts


# -- bad actions get messages, not tracebacks ---------------------------------------------------


def test_opening_a_file_that_is_not_a_case(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "casedesk.ui.main_window.QMessageBox.warning",
        lambda parent, title, text, *a: shown.append(text),
    )
    bogus = tmp_path / "notes.casedesk"
    bogus.write_text("just some notes", "utf-8")
    old = window.case
    assert not window.open_case(bogus)
    assert shown and "not a Casedesk case" in shown[0]
    assert window.case is old


def test_case_file_deleted_while_open(
    window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    for suffix in ("", "-wal", "-shm"):
        Path(str(sample_path) + suffix).unlink(missing_ok=True)
    assert not window.check_case_file()
    assert window.case is None
    assert not window.registry[ActionId.IMPORT].isEnabled()


def test_case_file_deleted_can_be_saved_elsewhere(
    window: MainWindow, sample_path: Path, tmp_path: Path
) -> None:
    assert window.case is not None
    documents = window.sources_model.rowCount()
    sample_path.unlink()
    assert window.save_copy_as(tmp_path / "rescued")
    assert window.case.path == tmp_path / "rescued.casedesk"
    assert window.sources_model.rowCount() == documents


def test_import_runs_off_the_gui_thread_and_reports_bad_files(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "open", lambda self: None)
    good = tmp_path / "new.txt"
    good.write_text(
        "Seoul filed a complaint with the WTO on September 11, 2019.\n\nMore text follows.",
        "utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with qtbot.waitSignal(window.work_finished, timeout=60_000) as blocker:
        window.handle_dropped([good, empty])
        assert window.worker is not None and window.progress.isVisible()
    summary = blocker.args[0]
    assert isinstance(summary, ImportSummary)
    assert [Path(p).name for p, _ in summary.imported] == ["new.txt"]
    assert [Path(p).name for p, _ in summary.failed] == ["empty.txt"]
    assert window.sources_model.rowCount() == 6


def test_recent_cases_and_layout_persist(
    qtbot: QtBot, window: MainWindow, sample_path: Path
) -> None:
    assert window.settings.recent_cases[0] == sample_path.resolve()
    window.facts_dock.hide()
    window.close()
    assert window.settings.window_state is not None
    again = MainWindow(window.settings)
    qtbot.addWidget(again)
    assert again.facts_dock.isHidden()
    again.close()


def test_context_menu_of_reader_lists_annotation_tools(window: MainWindow, qtbot: QtBot) -> None:
    text = doc_text(window)
    start = text.index("Japan")
    select_in_reader(window, start, start + 5)
    actions = [a.text() for a in window.reader._context_actions if a is not None]
    assert any("Highlight" in a for a in actions)
    assert any("Note" in a for a in actions)
    assert window.reader.offset_at(QPoint(5, 5)) >= 0


def test_export_summary_opens_the_export_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_dialog = pytest.importorskip("casedesk.ui.export_dialog")
    opened: list[Any] = []

    def fake_exec(self: Any) -> int:
        opened.append(self.case)
        return 0

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", fake_exec)
    assert window.registry[ActionId.EXPORT].shortcut().toString() == "Ctrl+E"
    window.registry[ActionId.EXPORT].trigger()
    assert opened == [window.case]


def test_export_brief_opens_the_dialog_on_the_brief(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_dialog = pytest.importorskip("casedesk.ui.export_dialog")
    opened: list[str] = []

    def fake_exec(self: Any) -> int:
        opened.append(self.preset())
        return 0

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", fake_exec)
    action = window.registry[ActionId.EXPORT_BRIEF]
    assert action.shortcut().toString() == "Ctrl+Shift+B" and action.isEnabled()
    action.trigger()
    assert opened == [export_dialog.BRIEF]


def test_hovering_a_fact_names_its_value_and_entity(window: MainWindow) -> None:
    assert window.case is not None
    row = window.case.conn.execute(
        "SELECT f.start, f.value, e.name FROM facts f JOIN entities e ON e.id = f.entity_id "
        "WHERE f.document_id = ? AND f.status != 'rejected' LIMIT 1",
        (window.reader.document_id,),
    ).fetchone()
    assert row is not None, "the first document has a fact with an entity"
    tip = window.reader._tooltip(row[0])
    assert "entity" in tip and row[2] in tip


def test_tags_are_managed_and_undoable(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from casedesk.ui.dialogs import TagsDialog

    assert window.case is not None and window.commands is not None
    dialog = TagsDialog(window.case, window.commands, window)
    before = dialog.list.count()
    monkeypatch.setattr(
        "casedesk.ui.dialogs.QInputDialog.getText", lambda *a, **k: ("Timeline gap", True)
    )
    monkeypatch.setattr(
        "casedesk.ui.dialogs.QColorDialog.getColor",
        lambda *a, **k: __import__("PySide6.QtGui").QtGui.QColor("#123456"),
    )
    dialog._add()
    assert dialog.list.count() == before + 1
    assert any(t["name"] == "Timeline gap" for t in edits.tags(window.case))
    window.undo_stack.undo()
    assert not any(t["name"] == "Timeline gap" for t in edits.tags(window.case))
    dialog.close()


def test_cancelled_import_stops_before_the_next_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from casedesk.ui.worker import ImportWorker

    assert window.case is not None
    files = []
    for i in range(3):
        f = tmp_path / f"f{i}.txt"
        f.write_text(f"Document number {i} about export controls.", "utf-8")
        files.append(f)
    worker = ImportWorker(window.case.path, files)
    worker.cancel()
    with qtbot.waitSignal(worker.import_finished, timeout=30_000) as blocker:
        worker.start()
    worker.wait()
    summary = blocker.args[0]
    assert summary.cancelled and summary.imported == []


def test_dropping_a_case_file_opens_it(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "other.casedesk"
    Case.create(other, name="Other case").close()
    window.handle_dropped([other])
    assert window.case is not None and window.case.name == "Other case"
    assert window.sources_model.rowCount() == 0
    assert "no documents yet" in window.doc_header.text()


def test_clicking_a_fact_in_the_text_selects_it_in_the_panel(
    qtbot: QtBot, window: MainWindow
) -> None:
    index = first_fact_index(window, "place")
    fact = window.facts_model.fact_at(index)
    assert fact is not None
    window.reader.select_span(fact.start, fact.start)
    cursor = window.reader.textCursor()
    cursor.setPosition(window.reader.to_qt(fact.start + 1))
    rect = window.reader.cursorRect(cursor)
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    current = window.facts_model.fact_at(window.facts_panel.view.currentIndex())
    assert current is not None and current.start <= fact.start + 1 < current.end


def test_search_marks_what_fts_matched() -> None:
    import re

    from casedesk.ui.main_window import search_pattern

    rx = re.compile(search_pattern('export* AND "South Korea" curbs'), re.IGNORECASE)
    text = "Exports and export curbs on South Korea; curbside"
    assert [m.group() for m in rx.finditer(text)] == [
        "Exports",
        "export",
        "curbs",
        "South",
        "Korea",
    ]


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.registry.all():
        key = action.shortcut().toString()
        if key:
            assert key not in seen, f"{key} is both {seen[key]} and {action.text()}"
            seen[key] = action.text()
    assert seen["Ctrl+Z"].replace("&", "").startswith("Undo")
    assert seen["Ctrl+Shift+Z"].replace("&", "").startswith("Redo")


def test_fit_timeline_after_zooming(window: MainWindow) -> None:
    if window.timeline is None:
        pytest.skip("the timeline is not in this build")
    view = window.timeline.view
    view.fit_all()
    fitted = view.scale_px_per_day()
    view.zoom_by(8.0)
    assert view.scale_px_per_day() > fitted * 4
    window.registry[ActionId.FIT_TIMELINE].trigger()
    assert view.scale_px_per_day() == pytest.approx(fitted, rel=0.05)


def test_choosing_a_document_highlights_its_events(qtbot: QtBot, window: MainWindow) -> None:
    if window.timeline is None:
        pytest.skip("the timeline is not in this build")
    calls: list[int | None] = []
    original = window.timeline.highlight_document
    window.timeline.highlight_document = lambda doc: (calls.append(doc), original(doc))  # type: ignore[method-assign]
    doc_id = window.sources_model.doc_id(2)
    assert doc_id is not None
    window.show_document(doc_id)
    assert calls[-1] == doc_id


def test_merge_by_button_with_the_entity_picker(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None
    conn = window.case.conn
    index = first_fact_index(window, "place")
    fact = window.facts_model.fact_at(index)
    assert fact is not None and fact.entity_id is not None
    other = conn.execute(
        "SELECT id FROM entities WHERE kind = 'place' AND id != ? LIMIT 1", (fact.entity_id,)
    ).fetchone()[0]
    other_facts = [r[0] for r in conn.execute("SELECT id FROM facts WHERE entity_id = ?", (other,))]

    class FakePicker:
        chosen = other

        def __init__(self, *args: Any) -> None:
            pass

        def exec(self) -> bool:
            return True

    monkeypatch.setattr("casedesk.ui.main_window.EntityPickerDialog", FakePicker)
    click_index(qtbot, window, index)
    assert window.registry[ActionId.MERGE_ENTITIES].isEnabled()
    window.registry[ActionId.MERGE_ENTITIES].trigger()
    moved = {
        r[0]
        for r in conn.execute(
            f"SELECT entity_id FROM facts WHERE id IN ({','.join('?' * len(other_facts))})",
            other_facts,
        )
    }
    assert moved == {fact.entity_id}
    assert "Merge" in window.registry[ActionId.UNDO].text()
    window.registry[ActionId.UNDO].trigger()
    assert conn.execute("SELECT count(*) FROM entities WHERE id = ?", (other,)).fetchone()[0] == 1


def test_a_date_value_must_be_a_date(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None
    index = first_fact_index(window, "date")
    fact = window.facts_model.fact_at(index)
    assert fact is not None
    click_index(qtbot, window, index)
    warned: list[str] = []
    monkeypatch.setattr(
        "casedesk.ui.main_window.QInputDialog.getText", lambda *a, **k: ("last summer", True)
    )
    monkeypatch.setattr(
        "casedesk.ui.main_window.QMessageBox.warning",
        lambda parent, title, text, *a: warned.append(text),
    )
    window.registry[ActionId.EDIT_FACT_VALUE].trigger()
    assert warned and "not a date value" in warned[0]
    assert edits.fact(window.case, fact.id)["value"] == fact.value
    assert not window.undo_stack.canUndo()


def test_about_names_the_version(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    import casedesk

    shown: list[str] = []
    monkeypatch.setattr(
        "casedesk.ui.main_window.QMessageBox.about", lambda parent, title, text: shown.append(text)
    )
    window.registry[ActionId.ABOUT].trigger()
    assert shown and casedesk.__version__ in shown[0]


def test_new_case_from_the_menu(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fresh"
    monkeypatch.setattr(
        "casedesk.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    window.registry[ActionId.NEW_CASE].trigger()
    assert window.case is not None and window.case.path == tmp_path / "fresh.casedesk"
    assert window.sources_model.rowCount() == 0
    assert not window.undo_stack.canUndo()


def test_debris_follows_a_palette_switch(window: MainWindow) -> None:
    from casedesk.ui.app import dark_palette

    start, end = window.reader.layer("debris")[0]

    def debris_colour() -> str:
        for sel in window.reader.extraSelections():
            if sel.cursor.selectionStart() == window.reader.to_qt(start):
                return sel.format.foreground().color().name()
        raise AssertionError("no highlight on the debris")

    light = debris_colour()
    window.reader.setPalette(dark_palette())
    assert debris_colour() != light


def test_delete_in_the_facts_list_rejects(qtbot: QtBot, window: MainWindow) -> None:
    assert window.case is not None
    index = first_fact_index(window, "place")
    fact = window.facts_model.fact_at(index)
    assert fact is not None
    click_index(qtbot, window, index)
    qtbot.keyClick(window.facts_panel.view, Qt.Key.Key_Delete)
    assert edits.fact(window.case, fact.id)["status"] == "rejected"


def test_undoing_a_merge_after_its_facts_were_extracted_again(window: MainWindow) -> None:
    """The merged entity's facts were replaced by extraction: undoing the merge cannot put
    them back; it says so and leaves the history, and the case stays as it is."""
    assert window.case is not None and window.commands is not None
    conn = window.case.conn
    doc_id = window.reader.document_id
    assert doc_id is not None
    pair = conn.execute(
        "SELECT a.entity_id, b.entity_id FROM facts a "
        "JOIN facts b ON a.document_id = b.document_id "
        "JOIN entities ea ON ea.id = a.entity_id JOIN entities eb ON eb.id = b.entity_id "
        "WHERE a.document_id = ? AND a.status = 'extracted' AND b.status = 'extracted' "
        "AND ea.kind = eb.kind AND a.entity_id < b.entity_id LIMIT 1",
        (doc_id,),
    ).fetchone()
    assert pair is not None, "the document names two entities of one kind"
    keep, drop = pair
    window.commands.merge_entities(keep, drop)
    window.commands.set_document_properties(doc_id, {"published": "2019-08-01"})
    window.undo_stack.undo()  # the date: the document's facts are extracted again
    entities = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    count = window.undo_stack.count()
    window.undo_stack.undo()  # the merge
    assert "Cannot undo" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == count - 1
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities


def test_every_kind_in_the_legend_is_in_sight(qtbot: QtBot, window: MainWindow) -> None:
    """At 1280×800 the legend is narrower than its nine kinds: they wrap, none is hidden,
    cut off or drawn over another."""
    from casedesk.store import FACT_KINDS

    qtbot.waitUntil(lambda: window.legend.height() > 0)
    rects = []
    for kind in FACT_KINDS:
        button = window.legend.button(kind)
        assert button.isVisible(), kind
        rect = button.geometry()
        assert window.legend.rect().contains(rect), kind
        rects.append(rect)
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    window.resize(800, 700)
    qtbot.waitUntil(
        lambda: all(
            window.legend.rect().contains(window.legend.button(k).geometry()) for k in FACT_KINDS
        )
    )


def test_merging_several_selected_entities_is_one_step(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QItemSelectionModel

    assert window.case is not None
    conn = window.case.conn
    model = window.facts_model
    view = window.facts_panel.view
    chosen: list[QModelIndex] = []
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        while model.canFetchMore(parent):
            model.fetchMore(parent)
        by_entity: dict[int, QModelIndex] = {}
        for r in range(model.rowCount(parent)):
            fact = model.fact_at(model.index(r, 0, parent))
            if fact is not None and fact.entity_id is not None:
                by_entity.setdefault(fact.entity_id, model.index(r, 0, parent))
        if len(by_entity) >= 3:
            chosen = list(by_entity.values())[:3]
            break
    assert chosen, "the document names three entities of one kind"
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    view.setCurrentIndex(chosen[0])
    for index in chosen[1:]:
        view.selectionModel().select(index, flags)
    entities_before = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    steps = window.undo_stack.count()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.registry[ActionId.MERGE_ENTITIES].trigger()
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities_before - 2
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText().startswith("Merge 2 entities into")
    window.undo_stack.undo()
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == entities_before


def test_redoing_a_split_keeps_the_new_entity_for_later_steps(window: MainWindow) -> None:
    assert window.case is not None and window.commands is not None
    conn = window.case.conn
    kind, source = conn.execute(
        "SELECT e.kind, e.id FROM entities e JOIN aliases a ON a.entity_id = e.id "
        "GROUP BY e.id HAVING count(*) >= 2 LIMIT 1"
    ).fetchone()
    other = conn.execute(
        "SELECT id FROM entities WHERE kind = ? AND id != ? LIMIT 1", (kind, source)
    ).fetchone()[0]
    alias = conn.execute(
        "SELECT id FROM aliases WHERE entity_id = ? ORDER BY id DESC LIMIT 1", (source,)
    ).fetchone()[0]
    window.commands.split_entity(source, [alias], [], "Split off")
    new_id = conn.execute("SELECT id FROM entities WHERE name = 'Split off'").fetchone()[0]
    # An entity made meanwhile takes the next id, so SQLite would not hand the old one out.
    edits.create_entity(window.case, kind, "Made meanwhile")
    window.commands.merge_entities(other, new_id)  # a later step that names the new entity
    after = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    window.undo_stack.undo()
    window.undo_stack.undo()
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert window.statusBar().currentMessage() == ""
    assert conn.execute("SELECT entity_id FROM aliases WHERE id = ?", (alias,)).fetchone()[0] == (
        other
    )
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == after
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert conn.execute("SELECT entity_id FROM aliases WHERE id = ?", (alias,)).fetchone()[0] == (
        source
    )

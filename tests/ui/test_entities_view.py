"""The Entities view: the list, its mentions, each correction by keyboard and mouse with undo,
redo and reopening, the review queue and the corrections list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog
from pytestqt.qtbot import QtBot

from casedesk import queries
from casedesk.store import Case, now_iso
from casedesk.ui.actions import ActionId
from casedesk.ui.commands import EntitiesCommand
from casedesk.ui.entities_view import PAGE, EntitiesModel, EntitiesPanel
from casedesk.ui.entity_editor import MergeEntitiesDialog, SplitEntityDialog
from casedesk.ui.main_window import MainWindow


def _panel(window: MainWindow) -> EntitiesPanel:
    return window.entities_panel


def _show(qtbot: QtBot, window: MainWindow) -> EntitiesPanel:
    window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = _panel(window)
    qtbot.waitUntil(lambda: window.entities_dock.isVisible())
    return panel


def _select(panel: EntitiesPanel, *ids: int) -> None:
    panel.select_entities(list(ids))
    assert panel.selected_ids() == sorted(ids, key=lambda i: panel.model.row_of(i) or 0)


def _entity(case: Case, name: str) -> queries.EntityRow:
    (found,) = [e for e in queries.find_entities(case, name) if e.name == name]
    return found


def _top(case: Case, kind: str, n: int = 1) -> list[queries.EntityRow]:
    return queries.entities_page(case, kind, sort="mentions", descending=True, limit=n)


# the mentions of an entity (a claim also links its speaker's entity, as speaker)
MENTIONS = (
    "SELECT status FROM facts WHERE entity_id = ? AND kind IN "
    "('person', 'organization', 'place', 'material', 'quantity')"
)


def _undo(window: MainWindow) -> None:
    window.registry[ActionId.UNDO].trigger()


def _redo(window: MainWindow) -> None:
    window.registry[ActionId.REDO].trigger()


# -- the list ----------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester: Any, sample_path: Path) -> None:
    from casedesk.ui.entities_view import CorrectionsModel, MentionsModel

    case = Case.open(sample_path)
    try:
        qtmodeltester.check(EntitiesModel(case))
        model = EntitiesModel(case)
        model.sort(1, Qt.SortOrder.AscendingOrder)
        model.set_filter(kind="place", text="a")
        qtmodeltester.check(model)
        mentions = MentionsModel()
        mentions.set_entity(case, _top(case, "place")[0].id)
        qtmodeltester.check(mentions)
        corrections = CorrectionsModel()
        corrections.set_case(case)
        qtmodeltester.check(corrections)
    finally:
        case.close()


def _many_entities(case: Case, n: int) -> None:
    stamp = now_iso()
    doc = case.add_document(file_name="big.txt", text="x " * 50, sha256="b" * 64, format="txt")
    with case.transaction():
        kinds = ("person", "organization", "place", "material", "quantity")
        case.conn.executemany(
            "INSERT INTO entities(id, kind, name, key) VALUES (?, ?, ?, ?)",
            [(i, kinds[i % 5], f"Entity {i:06d}", f"entity {i:06d}") for i in range(1, n + 1)],
        )
        case.conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, ?, 0, 1, 'x', 'x', ?, 't', ?, ?)",
            [(doc, kinds[i % 5], i, stamp, stamp) for i in range(1, n + 1, 7)],
        )


def test_a_hundred_thousand_entities_load_a_page_at_a_time(case: Case, qtbot: QtBot) -> None:
    """Scrolling reads one page per step; sorted by mentions, the order is read once and no
    page counts every mention again. (Figures: bench/entities.py.)"""
    _many_entities(case, 100_000)
    model = EntitiesModel(case)
    assert model.total == 100_000
    assert model.rowCount() == PAGE
    from casedesk.ui.entities_view import _table

    view = _table(None, model, "big")  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    statements: list[str] = []
    case.conn.set_trace_callback(statements.append)
    try:
        for _ in range(10):
            view.scrollToBottom()
            qtbot.wait(1)
    finally:
        case.conn.set_trace_callback(None)
    assert PAGE * 5 < model.rowCount() < 100_000
    assert not [q for q in statements if "ORDER BY n DESC" in q]  # the order is read once
    first = [model.entity_at(r).mentions for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert first == sorted(first, reverse=True)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == PAGE and model.entity_at(0).name == "Entity 000001"  # type: ignore[union-attr]
    model.set_filter(kind="place", text="0999")
    assert model.total == len([i for i in range(1, 100_001) if i % 5 == 2 and "0999" in f"{i:06d}"])


def test_a_large_list_passes_the_model_tester(case: Case, qtmodeltester: Any) -> None:
    _many_entities(case, 3_000)
    qtmodeltester.check(EntitiesModel(case))


def test_a_large_list_sorted_by_name_passes_the_model_tester(
    case: Case, qtmodeltester: Any
) -> None:
    _many_entities(case, 3_000)
    model = EntitiesModel(case)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_filter_by_kind_and_text_and_sort(qtbot: QtBot, window: MainWindow) -> None:
    panel = _show(qtbot, window)
    assert panel.model.total > 0
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("place"))
    assert {panel.model.entity_at(r).kind for r in range(panel.model.rowCount())} == {"place"}  # type: ignore[union-attr]
    qtbot.keyClicks(panel.filter_edit, "jap")
    qtbot.waitUntil(
        lambda: (
            panel.model.total >= 1
            and all(
                "jap" in (e.name + " ".join(e.aliases)).casefold()
                for e in (panel.model.entity_at(r) for r in range(panel.model.rowCount()))
                if e is not None
            )
        )
    )
    panel.filter_edit.clear()
    panel.kind_combo.setCurrentIndex(0)
    counts = [panel.model.entity_at(r).mentions for r in range(panel.model.rowCount())]  # type: ignore[union-attr]
    assert counts == sorted(counts, reverse=True)
    panel.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = [panel.model.entity_at(r).name.casefold() for r in range(5)]  # type: ignore[union-attr]
    assert names == sorted(names)


def test_selecting_an_entity_lists_its_mentions_and_a_click_opens_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = _show(qtbot, window)
    first = panel.model.entity_at(0)
    assert first is not None and first.mentions > 1
    qtbot.mouseClick(
        panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.view.visualRect(panel.model.index(0, 1)).center(),
    )
    assert panel.selected_ids() == [first.id]
    assert panel.mentions.rowCount() == min(first.mentions, 500) or panel.mentions.rowCount()
    mention = panel.mentions.mention_at(1)
    assert mention is not None and mention.text.split()[0] in mention.sentence
    panel.tabs.setCurrentIndex(0)
    rect = panel.mentions_view.visualRect(panel.mentions.index(1, 1))
    qtbot.mouseClick(panel.mentions_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.document_id == mention.document_id
    assert window.reader.selected_span() == (mention.start, mention.end)


# -- corrections, each one step ----------------------------------------------------------------


def test_rename_by_keyboard_undo_redo_and_reopen(
    qtbot: QtBot, window: MainWindow, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.case is not None
    panel = _show(qtbot, window)
    target = _top(window.case, "place")[0]
    _select(panel, target.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Nippon", True))
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.undo_stack.command(window.undo_stack.index() - 1), EntitiesCommand)
    assert queries.entity(window.case, target.id).name == "Nippon"  # type: ignore[union-attr]
    shown = panel.model.entity_at(panel.model.row_of(target.id) or 0)
    assert shown is not None and shown.name == "Nippon"
    _undo(window)
    assert queries.entity(window.case, target.id).name == target.name  # type: ignore[union-attr]
    _redo(window)
    assert window.open_case(sample_path)
    assert queries.entity(window.case, target.id).name == "Nippon"  # type: ignore[union-attr]


def test_change_kind_from_the_context_menu_changes_every_mention(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    target = _top(case, "organization")[0]
    _select(panel, target.id)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Person", True))
    panel._on_view_context_menu_requested(panel.view.visualRect(panel.view.currentIndex()).center())
    row = panel.model.row_of(target.id)
    menu = panel.context_menu
    next(a for a in menu.actions() if a.text().startswith("Change Entity")).trigger()
    menu.close()
    # the row stays where it was (the list does not jump), showing the new kind
    assert panel.model.row_of(target.id) == row
    assert panel.model.entity_at(row or 0).kind == "person"  # type: ignore[union-attr]
    kinds = {
        r[0] for r in case.conn.execute("SELECT kind FROM facts WHERE entity_id = ?", (target.id,))
    }
    assert kinds == {"person"}
    _undo(window)
    kinds = {
        r[0] for r in case.conn.execute("SELECT kind FROM facts WHERE entity_id = ?", (target.id,))
    }
    assert kinds == {"organization"}


def test_merging_entities_of_different_kinds_asks_which_kind_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    place = _top(case, "place")[0]
    org = _top(case, "organization")[0]
    _select(panel, place.id, org.id)
    seen: dict[str, Any] = {}

    def answer(dialog: MergeEntitiesDialog) -> bool:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["blocked"] = not ok.isEnabled()  # nothing can be merged before the kind is chosen
        dialog.group.button(org.id).setChecked(True)
        assert dialog.kind_choice is not None
        dialog.kind_choice.setCurrentIndex(dialog.kind_choice.findData("organization"))
        dialog.name_edit.setText("Merged Thing")
        seen["enabled"] = ok.isEnabled()
        return True

    monkeypatch.setattr(MergeEntitiesDialog, "exec", answer)
    steps = window.undo_stack.count()
    window.registry[ActionId.MERGE_SELECTED].trigger()
    assert seen == {"blocked": True, "enabled": True}
    assert window.undo_stack.count() == steps + 1
    merged = queries.entity(case, org.id)
    assert merged is not None and merged.name == "Merged Thing" and merged.kind == "organization"
    assert merged.mentions == place.mentions + org.mentions
    assert queries.entity(case, place.id) is None
    _undo(window)
    assert queries.entity(case, place.id) is not None
    assert queries.entity(case, org.id).name == org.name  # type: ignore[union-attr]


def test_refusing_the_kind_question_merges_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    place, org = _top(case, "place")[0], _top(case, "organization")[0]
    _select(panel, place.id, org.id)
    monkeypatch.setattr(MergeEntitiesDialog, "exec", lambda dialog: False)
    steps = window.undo_stack.count()
    window.registry[ActionId.MERGE_SELECTED].trigger()
    assert window.undo_stack.count() == steps
    assert queries.entity(case, place.id) is not None and queries.entity(case, org.id) is not None


def test_split_a_spelling_into_a_new_entity_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    target = next(
        e for kind in ("place", "organization", "person") for e in _top(case, kind, 20) if e.aliases
    )
    spelling = target.aliases[0]

    def choose(dialog: SplitEntityDialog) -> bool:
        for i in range(dialog.spellings.count()):
            if dialog.spellings.item(i).text() == spelling:
                dialog.spellings.item(i).setCheckState(Qt.CheckState.Checked)
        return True

    monkeypatch.setattr(SplitEntityDialog, "exec", choose)
    _select(panel, target.id)
    qtbot.keyClick(
        panel.view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    new_ids = panel.selected_ids()
    assert new_ids and new_ids[0] != target.id
    new = queries.entity(case, new_ids[0])
    assert new is not None and new.name == spelling and new.kind == target.kind
    _undo(window)
    assert queries.entity(case, new_ids[0]) is None


def test_not_an_entity_rejects_every_mention_and_is_revocable(
    qtbot: QtBot, window: MainWindow
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    target = _top(case, "person")[0]
    _select(panel, target.id)
    panel.view.setFocus()
    qtbot.keyClick(
        panel.view,
        Qt.Key.Key_Delete,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    statuses = {r[0] for r in case.conn.execute(MENTIONS, (target.id,))}
    assert statuses == {"rejected"}
    assert panel.model.row_of(target.id) is None  # gone from the list
    assert "not an entity" in window.statusBar().currentMessage()
    # the decision is listed, and Delete in the list revokes it
    panel.tabs.setCurrentIndex(2)
    assert panel.corrections.rowCount() >= 1
    first = panel.corrections.correction_at(0)
    assert first is not None and first.action == "reject" and not first.revoked
    panel.corrections_view.setCurrentIndex(panel.corrections.index(0, 0))
    panel.corrections_view.setFocus()
    qtbot.keyClick(panel.corrections_view, Qt.Key.Key_Delete)
    revoked = panel.corrections.correction_at(0)
    assert revoked is not None and revoked.revoked
    _undo(window)  # the revocation
    _undo(window)  # the rejection
    statuses = {r[0] for r in case.conn.execute(MENTIONS, (target.id,))}
    assert "rejected" not in statuses


# -- the review queue --------------------------------------------------------------------------


def _propose(case: Case, a: int, b: int) -> int:
    with case.transaction():
        cur = case.conn.execute(
            "INSERT INTO merge_proposals(entity_a, entity_b, score, reason) "
            "VALUES (?, ?, 0.6, 'similar names')",
            (a, b),
        )
    return int(cur.lastrowid or 0)


def test_review_queue_accept_reject_skip_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    case = window.case
    assert case is not None
    with case.transaction():  # only the two proposals made here
        case.conn.execute("UPDATE merge_proposals SET status = 'rejected'")
    a, b, c = _top(case, "place", 3)
    _propose(case, a.id, b.id)
    _propose(case, a.id, c.id)
    window._on_corrections_changed()
    assert window.proposals_label.isVisible()
    assert "2 merge proposals" in window.proposals_label.text()
    window.registry[ActionId.REVIEW_PROPOSALS].trigger()
    review = _panel(window).review
    assert _panel(window).tabs.currentWidget() is review
    first = review.current()
    assert first is not None and review.sides[0].text() and review.sides[1].text()
    review.setFocus()
    qtbot.keyClick(review, Qt.Key.Key_S)  # skip: the other one comes up
    second = review.current()
    assert second is not None and second.id != first.id
    qtbot.keyClick(review, Qt.Key.Key_R)  # reject it
    assert "1 merge proposal " in window.proposals_label.text()
    rejected = case.conn.execute(
        "SELECT status FROM merge_proposals WHERE id = ?", (second.id,)
    ).fetchone()[0]
    assert rejected == "rejected"
    qtbot.keyClick(review, Qt.Key.Key_A)  # accept the first
    assert queries.proposals_count(case) == 0
    assert not window.proposals_label.isVisible()
    survivors = [queries.entity(case, e.entity_id) for e in (first.a, first.b)]
    assert sum(s is not None for s in survivors) == 1
    _undo(window)
    assert queries.proposals_count(case) == 1
    assert "1 merge proposal " in window.proposals_label.text()


def test_no_two_window_actions_share_a_key(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.registry.all():
        key = action.shortcut().toString()
        if key:
            assert key not in seen, f"{key} is both {seen[key]} and {action.text()}"
            seen[key] = action.text()
    assert seen["Ctrl+Shift+E"] == "Show &Entities"


def test_entities_are_read_when_the_view_is_first_shown(
    qtbot: QtBot, window: MainWindow, sample_path: Path
) -> None:
    window.sources_dock.raise_()
    qtbot.waitUntil(lambda: not window._entities_shown())
    assert window.open_case(sample_path)
    assert _panel(window).model.case is None  # behind Sources: nothing read yet
    assert _panel(window).model.rowCount() == 0
    _show(qtbot, window)
    qtbot.waitUntil(lambda: _panel(window).model.case is window.case)
    assert _panel(window).model.rowCount() > 0


def test_an_entity_action_with_the_view_hidden_shows_it_and_changes_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    case = window.case
    assert case is not None
    panel = _show(qtbot, window)
    target = _top(case, "person")[0]
    _select(panel, target.id)
    window.sources_dock.raise_()
    qtbot.waitUntil(lambda: not window._entities_shown())
    steps = window.undo_stack.count()
    window.registry[ActionId.NOT_AN_ENTITY].trigger()
    assert window.undo_stack.count() == steps
    assert queries.entity(case, target.id) is not None
    qtbot.waitUntil(window._entities_shown)


def test_rows_stay_put_while_their_counts_change(case: Case) -> None:
    """Sorted by mentions, a row whose mentions are rejected keeps its place (the list does
    not jump under the user while they correct it); sorting again orders it."""
    _many_entities(case, 20)  # entities 1, 8, 15 have one mention each
    stamp = now_iso()
    doc = case.document_ids()[0]
    with case.transaction():
        case.conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, 'organization', 2, 3, 'x', 'x', ?, "
            "'t', ?, ?)",
            [(doc, 1, stamp, stamp)] * 3 + [(doc, 8, stamp, stamp)],
        )
    model = EntitiesModel(case)
    assert [model.entity_at(r).id for r in range(2)] == [1, 8]  # type: ignore[union-attr]
    with case.transaction():
        case.conn.execute("UPDATE facts SET status = 'rejected' WHERE entity_id = 1")
    assert model.refresh_rows()
    first = model.entity_at(0)
    assert first is not None and (first.id, first.mentions) == (1, 0)
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert model.entity_at(0).id == 8  # type: ignore[union-attr]

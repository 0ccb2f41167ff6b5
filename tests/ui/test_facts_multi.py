"""Several facts at once in the Facts panel: confirm, reject and change kind in one step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from casedesk.ui.actions import ActionId
from casedesk.ui.commands import FactsCommand
from casedesk.ui.main_window import MainWindow


def _rows_of_kind(window: MainWindow, kind: str, n: int) -> list[QModelIndex]:
    model = window.facts_model
    for g in range(model.rowCount()):
        parent = model.index(g, 0)
        if model.data(parent, Qt.ItemDataRole.UserRole + 3) != kind:
            continue
        while model.canFetchMore(parent):
            model.fetchMore(parent)
        rows = [model.index(r, 0, parent) for r in range(model.rowCount(parent))]
        if len(rows) >= n:
            return rows[:n]
    raise AssertionError(f"no {n} rows of {kind}")


def _select(qtbot: QtBot, window: MainWindow, rows: list[QModelIndex]) -> None:
    view = window.facts_panel.view
    view.setCurrentIndex(rows[0])
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for index in rows[1:]:
        view.selectionModel().select(index, flags)
    view.setFocus()


def _statuses(window: MainWindow, ids: list[int]) -> list[str]:
    assert window.case is not None
    marks = ",".join("?" * len(ids))
    return [
        r[0]
        for r in window.case.conn.execute(
            f"SELECT status FROM facts WHERE id IN ({marks}) ORDER BY id", ids
        )
    ]


def test_confirm_many_facts_by_keyboard_is_one_step(qtbot: QtBot, window: MainWindow) -> None:
    rows = _rows_of_kind(window, "date", 3)
    _select(qtbot, window, rows)
    ids = [f.id for f in window.facts_panel.selected_facts()]
    assert len(ids) >= 3
    before = _statuses(window, ids)
    steps = window.undo_stack.count()
    qtbot.keyClick(window.facts_panel.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert _statuses(window, ids) == ["confirmed"] * len(ids)
    assert window.undo_stack.count() == steps + 1
    assert isinstance(window.undo_stack.command(steps), FactsCommand)
    window.registry[ActionId.UNDO].trigger()
    assert _statuses(window, ids) == before
    window.registry[ActionId.REDO].trigger()
    assert _statuses(window, ids) == ["confirmed"] * len(ids)


def test_reject_a_whole_group_of_mentions(qtbot: QtBot, window: MainWindow) -> None:
    model = window.facts_model
    group = next(
        index
        for g in range(model.rowCount())
        for index in [
            model.index(r, 0, model.index(g, 0)) for r in range(model.rowCount(model.index(g, 0)))
        ]
        if model.group_at(index) is not None
    )
    found = model.group_at(group)
    assert found is not None
    _select(qtbot, window, [group])
    ids = [f.id for f in window.facts_panel.selected_facts()]
    assert len(ids) == found.count
    window.registry[ActionId.REJECT_FACT].trigger()
    assert set(_statuses(window, ids)) == {"rejected"}
    window.registry[ActionId.UNDO].trigger()
    assert "rejected" not in _statuses(window, ids)


def test_change_kind_of_many_facts(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows_of_kind(window, "date", 2)
    _select(qtbot, window, rows)
    ids = [f.id for f in window.facts_panel.selected_facts()]
    assert window.registry[ActionId.CHANGE_FACT_KIND].isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Duration", True))
    qtbot.keyClick(window.facts_panel.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.case is not None
    marks = ",".join("?" * len(ids))
    kinds = {
        r[0] for r in window.case.conn.execute(f"SELECT kind FROM facts WHERE id IN ({marks})", ids)
    }
    assert kinds == {"duration"}
    window.registry[ActionId.UNDO].trigger()
    kinds = {
        r[0] for r in window.case.conn.execute(f"SELECT kind FROM facts WHERE id IN ({marks})", ids)
    }
    assert kinds == {"date"}

"""The Facts panel groups the mentions of one entity into one row with a count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from pytestqt.qtbot import QtBot

from casedesk.store import Case, now_iso
from casedesk.ui.models import FactGroup, FactsModel
from casedesk.ui.panels import FactsPanel

SENTENCE = "Kestrel Freight moved the cargo. "


def _case_naming_one_company(case: Case, times: int = 34) -> tuple[int, int]:
    """A document that names one company ``times`` times, a person once and a date once."""
    text = SENTENCE * times + "Ann Smith signed on 4 July 2019."
    doc = case.add_document(file_name="k.txt", text=text, sha256="k" * 64, format="txt")
    stamp = now_iso()
    with case.transaction():
        conn = case.conn
        company = int(
            conn.execute(
                "INSERT INTO entities(kind, name, key) VALUES ('organization', "
                "'Kestrel Freight Ltd', 'kestrel freight ltd')"
            ).lastrowid
            or 0
        )
        person = int(
            conn.execute(
                "INSERT INTO entities(kind, name, key) VALUES ('person', 'Ann Smith', 'ann smith')"
            ).lastrowid
            or 0
        )
        rows = [
            (
                doc,
                "organization",
                i * len(SENTENCE),
                i * len(SENTENCE) + 15,
                "Kestrel Freight",
                company,
            )
            for i in range(times)
        ]
        at = text.index("Ann Smith")
        rows.append((doc, "person", at, at + 9, "Ann Smith", person))
        at = text.index("4 July 2019")
        rows.append((doc, "date", at, at + 11, "4 July 2019", None))
        conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)",
            [(d, k, s, e, t, t, ent, stamp, stamp) for d, k, s, e, t, ent in rows],
        )
    return doc, company


def _kind_row(model: FactsModel, label: str) -> QModelIndex:
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if str(model.data(index)).startswith(label):
            return index
    raise AssertionError(f"no {label} row")


def test_one_row_per_entity_with_its_count(case: Case, qtbot: QtBot, qtmodeltester: Any) -> None:
    doc, company = _case_naming_one_company(case)
    model = FactsModel(case)
    model.set_document(doc)
    orgs = _kind_row(model, "Organi")
    assert model.data(orgs).endswith("(34)")  # the kind counts facts
    model.fetchMore(orgs)
    assert model.rowCount(orgs) == 1  # ...but shows one row for the company
    group_index = model.index(0, 0, orgs)
    group = model.group_at(group_index)
    assert isinstance(group, FactGroup) and group.count == 34
    assert model.data(group_index) == "Kestrel Freight Ltd (34)"
    assert model.hasChildren(group_index) and model.canFetchMore(group_index)
    model.fetchMore(group_index)
    assert model.rowCount(group_index) == 34
    member = model.fact_at(model.index(5, 0, group_index))
    assert member is not None and member.entity_id == company
    qtmodeltester.check(model)
    # a single mention stays a plain fact row
    people = _kind_row(model, "People")
    model.fetchMore(people)
    assert model.group_at(model.index(0, 0, people)) is None
    assert model.fact_at(model.index(0, 0, people)) is not None


def test_the_whole_case_groups_across_documents(
    case: Case, tmp_path: Path, qtmodeltester: Any
) -> None:
    _case_naming_one_company(case, times=3)
    other = case.add_document(file_name="b.txt", text=SENTENCE * 2, sha256="b" * 64, format="txt")
    stamp = now_iso()
    with case.transaction():
        company = case.conn.execute(
            "SELECT id FROM entities WHERE kind = 'organization'"
        ).fetchone()[0]
        case.conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, 'organization', ?, ?, "
            "'Kestrel Freight', 'Kestrel Freight', ?, 'test', ?, ?)",
            [
                (other, i * len(SENTENCE), i * len(SENTENCE) + 15, company, stamp, stamp)
                for i in range(2)
            ],
        )
    model = FactsModel(case)
    model.set_whole_case(True)
    qtmodeltester.check(model)
    orgs = _kind_row(model, "Organi")
    model.fetchMore(orgs)
    group = model.group_at(model.index(0, 0, orgs))
    assert group is not None and group.count == 5
    assert len(model.group_members(model.index(0, 0, orgs))) == 5


def test_selecting_the_group_selects_every_mention_and_find_opens_it(
    case: Case, qtbot: QtBot
) -> None:
    doc, company = _case_naming_one_company(case)
    model = FactsModel(case)
    panel = FactsPanel(model, [])
    qtbot.addWidget(panel)
    model.set_document(doc)
    orgs = _kind_row(model, "Organi")
    assert panel.view.isExpanded(orgs)
    group_index = model.index(0, 0, orgs)
    assert not panel.view.isExpanded(group_index)  # closed until the user opens it
    panel.view.selectionModel().select(
        group_index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = panel.selected_facts()
    assert len(chosen) == 34 and {f.entity_id for f in chosen} == {company}
    # a fact clicked in the text is shown inside its group
    last = case.conn.execute(
        "SELECT max(id) FROM facts WHERE entity_id = ?", (company,)
    ).fetchone()[0]
    assert panel.select_fact(int(last))
    current = panel.view.currentIndex()
    assert current.parent() == group_index
    assert panel.view.isExpanded(group_index)
    assert model.fact_at(current).id == last  # type: ignore[union-attr]


def test_a_status_change_refreshes_the_group_in_place(case: Case) -> None:
    doc, company = _case_naming_one_company(case, times=4)
    model = FactsModel(case)
    model.set_document(doc)
    orgs = _kind_row(model, "Organi")
    model.fetchMore(orgs)
    group_index = model.index(0, 0, orgs)
    model.fetchMore(group_index)
    case.conn.execute("UPDATE facts SET status = 'confirmed' WHERE entity_id = ?", (company,))
    assert model.refresh_in_place()
    assert model.data(model.index(0, 3, orgs)) == "✓"
    assert model.rowCount(model.index(0, 0, orgs)) == 4

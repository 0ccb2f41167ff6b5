"""The small dialogs: what they hand back is what the user changed, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from casedesk.store import Case
from casedesk.ui.dialogs import AddFactDialog, AnnotationDialog, PropertiesDialog, render_markdown


def _document(case: Case) -> dict[str, Any]:
    doc = case.add_document(
        file_name="a.txt",
        text="Seoul, July 4, 2019.",
        sha256="b" * 64,
        format="txt",
        title="Old title",
        published="2019-07-05",
        published_inferred=True,
    )
    return case.document(doc)


def test_properties_report_only_what_changed(qtbot: QtBot, case: Case) -> None:
    dialog = PropertiesDialog(_document(case))
    qtbot.addWidget(dialog)
    assert dialog.changes() == {}
    dialog.title_edit.setText("New title")
    assert dialog.changes() == {"title": "New title"}
    dialog.inferred.setChecked(False)
    assert dialog.changes()["published"] == "2019-07-05"
    assert dialog.changes()["published_inferred"] == 0


def test_properties_refuse_a_date_that_is_not_one(
    qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    dialog = PropertiesDialog(_document(case))
    qtbot.addWidget(dialog)
    dialog.date_edit.setText("5 July")
    dialog._on_accept()
    assert warned and "YYYY-MM-DD" in warned[0]
    assert dialog.result() == 0


def test_add_fact_dialog_guesses_the_kind(qtbot: QtBot) -> None:
    date = AddFactDialog("July 4, 2019")
    qtbot.addWidget(date)
    assert date.kind == "date" and date.value == "July 4, 2019"
    assert date.kind_combo.currentText() == "Date"
    amount = AddFactDialog("100 industrial products")
    qtbot.addWidget(amount)
    assert amount.kind == "quantity"


def test_note_preview_renders_markdown_and_escapes_html(qtbot: QtBot, case: Case) -> None:
    dialog = AnnotationDialog(case, "quote", note="**bold** <script>x</script>")
    qtbot.addWidget(dialog)
    assert dialog.note == "**bold** <script>x</script>"
    html = render_markdown(dialog.note)
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_entity_names_in_dialog_headings_are_text_not_markup(case: Case, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    from casedesk import edits
    from casedesk.ui.dialogs import EntityPickerDialog, SplitDialog

    ent = edits.create_entity(case, "organization", "<i>AT&T</i>")
    for dialog in (
        EntityPickerDialog(case, edits.entity(case, ent)),
        SplitDialog(case, edits.entity(case, ent)),
    ):
        qtbot.addWidget(dialog)
        heading = dialog.findChildren(QLabel)[0]
        assert "&lt;i&gt;AT&amp;T&lt;/i&gt;" in heading.text()
        assert heading.wordWrap()

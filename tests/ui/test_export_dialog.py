"""The export dialog: options drive a live preview; Save and Copy give the same summary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from casedesk.export import ExportOptions, brief_markdown, brief_text, summary_markdown
from casedesk.store import Case
from casedesk.ui.export_dialog import BRIEF, ExportDialog, preview_markdown

STAMP = "2020-06-01T09:30:00Z"
TEXT = (
    "Japan tightened export controls on July 4, 2019. Officials | said <b>nothing</b>.\n"
    "Seoul protested the move."
)


@pytest.fixture
def small_case(case: Case) -> Case:
    conn = case.conn
    with case.transaction():
        doc = conn.execute(
            "INSERT INTO documents(file_name, title, publisher, url, published, sha256, format, "
            "imported_at, text) VALUES ('a.txt', 'Curbs', 'Wire', 'https://example.org/a', "
            "'2019-07-05', 'x', 'txt', ?, ?)",
            (STAMP, TEXT),
        ).lastrowid
        japan = conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('place', 'Japan', 'japan')"
        ).lastrowid
        seoul = conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('place', 'Seoul', 'seoul')"
        ).lastrowid
        for ent, word in ((japan, "Japan"), (seoul, "Seoul")):
            s = TEXT.index(word)
            conn.execute(
                "INSERT INTO facts(document_id, kind, start, end, text, entity_id, provenance, "
                "created_at, updated_at) VALUES (?, 'place', ?, ?, ?, ?, 't', ?, ?)",
                (doc, s, s + len(word), word, ent, STAMP, STAMP),
            )
        s = TEXT.index("tightened")
        fact = conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, provenance, "
            "created_at, updated_at) VALUES (?, 'event', ?, ?, 'tightened', '2019-07-04', 't', "
            "?, ?)",
            (doc, s, s + 9, STAMP, STAMP),
        ).lastrowid
        ev = conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title) "
            "VALUES ('2019-07-04', '2019-07-04', '2019-07-04', 'day', "
            "'Japan tightens curbs | <b>now</b>')"
        ).lastrowid
        conn.execute("INSERT INTO event_sources VALUES (?, ?)", (ev, fact))
        s = TEXT.index("Seoul protested")
        conn.execute(
            "INSERT INTO annotations(document_id, start, end, text, tag_id, note, created_at, "
            "updated_at) VALUES (?, ?, ?, 'Seoul protested', "
            "(SELECT id FROM tags WHERE name = 'Question'), 'Why *now*?', ?, ?)",
            (doc, s, s + 15, STAMP, STAMP),
        )
        case.set_meta("modified_at", STAMP)
    return case


@pytest.fixture
def export_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "export.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog(qtbot: QtBot, small_case: Case, export_settings: QSettings) -> Iterator[ExportDialog]:
    dlg = ExportDialog(small_case, settings=export_settings)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.preview_updated, timeout=10_000):
        dlg.show()
    yield dlg
    dlg.done(0)


def test_opens_with_a_rendered_preview(dialog: ExportDialog) -> None:
    shown = dialog.preview.toPlainText()
    assert "Test case" in shown
    assert "Japan tightens curbs" in shown
    assert "Japan tightens curbs | <b>now</b>" in shown  # text from the case shown literally
    assert "Why now?" in shown  # the note's Markdown is rendered
    assert "<table>" in dialog.preview.toHtml() or "<table" in dialog.preview.toHtml()
    assert "words" in dialog.status.text()


def test_toggling_a_section_updates_the_preview(qtbot: QtBot, dialog: ExportDialog) -> None:
    assert "Annotations" in dialog.preview.toPlainText()
    with qtbot.waitSignal(dialog.preview_updated, timeout=10_000):
        dialog.section_boxes["annotations"].setChecked(False)
    assert "Annotations" not in dialog.preview.toPlainText()
    assert "Why now?" not in dialog.preview.toPlainText()
    assert "Chronology" in dialog.preview.toPlainText()


def test_entity_and_tag_narrow_the_preview(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.preview_updated, timeout=10_000):
        dialog.entity_combo.setCurrentIndex(dialog.entity_combo.findText("Seoul (place)"))
    shown = dialog.preview.toPlainText()
    assert "narrowed to: about Seoul" in shown
    assert "Japan tightens curbs" not in shown
    with qtbot.waitSignal(dialog.preview_updated, timeout=10_000):
        dialog.tag_combo.setCurrentIndex(dialog.tag_combo.findData("Key point"))
    assert "Why now?" not in dialog.preview.toPlainText()


def test_save_writes_markdown_and_html(
    qtbot: QtBot,
    dialog: ExportDialog,
    small_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "out" / "summary.md"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    with qtbot.waitSignal(dialog.summary_saved, timeout=10_000) as saved:
        dialog.save_md_button.click()
    assert saved.args == [str(target)]
    assert target.read_text(encoding="utf-8") == summary_markdown(small_case)
    assert dialog.status.text() == "Saved summary.md"
    page_target = tmp_path / "out" / "summary"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(page_target), ""))
    )
    # Save stays disabled until the first save's thread has finished, not just reported.
    qtbot.waitUntil(dialog.save_html_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(dialog.summary_saved, timeout=10_000):
        dialog.save_html_button.click()
    page = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert "<script" not in page


def test_a_failed_save_says_why(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing folder" / "summary.md"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    shown: list[str] = []
    monkeypatch.setattr(
        "casedesk.ui.export_dialog.QMessageBox.warning",
        staticmethod(lambda _parent, _title, text: shown.append(text)),
    )
    dialog.save_md_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "summary.md: could not be saved" in shown[0] and "does not exist" in shown[0]
    assert not target.exists()
    qtbot.waitUntil(dialog.save_md_button.isEnabled, timeout=10_000)


def test_save_follows_the_options_even_before_the_preview(
    dialog: ExportDialog, small_case: Case, tmp_path: Path
) -> None:
    dialog.confirmed_box.setChecked(True)  # preview not refreshed yet (debounce)
    written = dialog.save_to(tmp_path / "confirmed.md")
    assert written.read_text(encoding="utf-8") == summary_markdown(
        small_case, ExportOptions(confirmed_only=True)
    )


def test_copy_puts_markdown_and_html_on_the_clipboard(dialog: ExportDialog) -> None:
    dialog.copy_button.click()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == dialog.current_markdown()
    assert "<table>" in mime.html()


def test_options_are_remembered(
    qtbot: QtBot, dialog: ExportDialog, small_case: Case, export_settings: QSettings
) -> None:
    dialog.section_boxes["claims"].setChecked(False)
    dialog.confirmed_box.setChecked(True)
    dialog.from_box.setChecked(True)
    dialog.tag_combo.setCurrentIndex(dialog.tag_combo.findData("Question"))
    dialog.entity_combo.setCurrentIndex(dialog.entity_combo.findText("Japan (place)"))
    expected = dialog.options()
    dialog.done(0)
    again = ExportDialog(small_case, settings=export_settings)
    qtbot.addWidget(again)
    assert again.options() == expected
    assert "claims" not in again.options().sections
    with qtbot.waitSignal(again.preview_updated, timeout=10_000):
        pass
    again.done(0)


def test_big_summaries_preview_their_first_part() -> None:
    rows = "\n\n".join(f"Paragraph {i} cites[^{i}]." for i in range(1, 2001))
    notes = "\n".join(f"[^{i}]: note {i}" for i in range(1, 2001))
    text = f"# Big\n\n{rows}\n\n{notes}\n"
    shown, truncated = preview_markdown(text, limit=2_000)
    assert truncated and len(shown) < 4_000
    assert shown.rstrip().endswith(f"[^{shown.count('cites[^')}]: note {shown.count('cites[^')}")
    assert preview_markdown(text) == (text, False)


def test_a_range_that_ends_before_it_starts_is_explained(
    qtbot: QtBot, dialog: ExportDialog
) -> None:
    dialog.from_edit.setDate(dialog.from_edit.date().addYears(2))
    with qtbot.waitSignal(dialog.preview_updated, timeout=10_000):
        dialog.from_box.setChecked(True)
        dialog.to_box.setChecked(True)
    assert dialog.status.text() == "The summary cannot be made with these options"
    assert "is after" in dialog.preview.toPlainText()


# -- the brief preset ----------------------------------------------------------------------------


def _choose_brief(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.preview_updated, timeout=10_000):
        dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData(BRIEF))


def test_brief_preset_previews_the_brief(
    qtbot: QtBot, dialog: ExportDialog, small_case: Case
) -> None:
    assert not dialog.save_text_button.isVisibleTo(dialog)
    _choose_brief(qtbot, dialog)
    assert dialog.current_markdown() == brief_markdown(small_case)
    assert "Key events" in dialog.preview.toPlainText()
    # The summary's options do not shape the brief: they are shown disabled, with why.
    assert not dialog.sections_group.isEnabled() and not dialog.narrow_group.isEnabled()
    assert dialog.preset_help.isVisibleTo(dialog)
    assert dialog.save_text_button.isVisibleTo(dialog)
    assert dialog.windowTitle().startswith("Export brief")
    assert dialog.status.text() == f"{len(brief_markdown(small_case).split()):,} words"


def test_brief_saves_as_markdown_html_and_text_and_copies_as_text(
    qtbot: QtBot,
    dialog: ExportDialog,
    small_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _choose_brief(qtbot, dialog)
    for button, name, expected in (
        (dialog.save_md_button, "brief.md", brief_markdown(small_case)),
        (dialog.save_text_button, "brief", brief_text(small_case)),
        (dialog.save_html_button, "brief.html", None),
    ):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, t=target, **k: (str(t), ""))
        )
        qtbot.waitUntil(button.isEnabled, timeout=10_000)
        with qtbot.waitSignal(dialog.summary_saved, timeout=10_000) as saved:
            button.click()
        written = Path(saved.args[0])
        if expected is not None:
            assert written.read_text(encoding="utf-8") == expected
    assert (tmp_path / "brief.txt").read_text(encoding="utf-8") == brief_text(small_case)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "<title>Test case — brief</title>" in page and "<script" not in page
    dialog.copy_text_button.click()
    assert QGuiApplication.clipboard().text() == brief_text(small_case)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().mimeData().text() == brief_markdown(small_case)


def test_brief_preset_is_remembered(
    qtbot: QtBot, dialog: ExportDialog, small_case: Case, export_settings: QSettings
) -> None:
    _choose_brief(qtbot, dialog)
    dialog.done(0)
    again = ExportDialog(small_case, settings=export_settings)
    qtbot.addWidget(again)
    assert again.preset() == BRIEF
    with qtbot.waitSignal(again.preview_updated, timeout=10_000):
        pass
    assert again.current_markdown() == brief_markdown(small_case)
    again.done(0)

"""Text from sources, notes and case fields is shown as text: never markup, never a resource.

Each place the window shows case content is fed strings that would make Qt's rich-text engine
load a file (``<img src="/dev/zero">`` reads forever), follow a ``file:`` or ``javascript:``
link, or run markup. What the place shows is rendered in a document that records every
resource Qt asks for; none may be asked for, and the hostile text must appear as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from casedesk import edits
from casedesk.safe_html import note_html, safe_href, sanitise
from casedesk.store import Case, now_iso
from casedesk.timeline import EventSource, TimelineEvent
from casedesk.ui.dialogs import (
    AddFactDialog,
    AnnotationDialog,
    EntityPickerDialog,
    PropertiesDialog,
    SplitDialog,
)
from casedesk.ui.models import FactsModel, SearchResultsModel, SourcesModel
from casedesk.ui.panels import SnippetDelegate
from casedesk.ui.reader import DocumentReader
from casedesk.ui.safe_text import InertDocument, InertTextBrowser, inert
from casedesk.ui.timeline_view import TimelineView

HOSTILE = [
    '<img src="/dev/zero">',
    "![x](/dev/zero)",
    '<a href="file:///etc/passwd">passwords</a>',
    "[passwords](file:///etc/passwd)",
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
    '<table background="/dev/zero"><tr><td>cell</td></tr></table>',
    '<p style="background-image:url(/dev/zero)">styled</p>',
    '<link rel="stylesheet" href="/dev/zero">',
    "&#99999999999; &#x110000; " + "&amp;" * 2_000,
]
# One string carrying all of them, as a document or a note might.
EVERYTHING = " ".join(HOSTILE)


class RecordingDocument(QTextDocument):
    """Lays out HTML and records every resource it is asked to load (and loads none)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def loadResource(self, type: int, name: QUrl) -> Any:  # noqa: A002, N802
        self.loads.append(name.toString())
        return None


def shown(text: str, rich: bool | None = None) -> RecordingDocument:
    """``text`` as a widget would show it: rich text when Qt's guess (or ``rich``) says so."""
    doc = RecordingDocument()
    as_rich = QtGuiNamespace.mightBeRichText(text) if rich is None else rich
    if as_rich:
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    doc.setTextWidth(400)
    doc.size()  # lays the document out, which fetches images
    return doc


def assert_inert(text: str, rich: bool | None = None) -> str:
    """No resource is loaded and no link leads anywhere but http(s)/mailto; the visible text."""
    doc = shown(text, rich)
    assert doc.loads == [], f"Qt was asked to load {doc.loads[:3]} for {text[:120]!r}"
    html = doc.toHtml()
    assert "<img" not in html
    for marker in ('href="file:', 'href="javascript:', 'href="/dev'):
        assert marker not in html
    return doc.toPlainText()


@pytest.fixture(autouse=True)
def _app(qapp: Any) -> None:
    """Text documents need the application object."""


def test_the_recording_document_catches_a_resource_load() -> None:
    """The check itself: unescaped hostile HTML is caught."""
    assert shown('<img src="/dev/zero">').loads == ["/dev/zero"]
    assert shown('<table background="/dev/zero"><tr><td>x</td></tr></table>').loads


@pytest.fixture
def hostile_case(tmp_path: Path) -> Iterator[tuple[Case, int]]:
    case = Case.create(tmp_path / "hostile.casedesk", name="<img src='/dev/zero'>")
    text = f"Seoul said on Monday that {EVERYTHING} was final.\n\nTokyo disagreed."
    with case.transaction():
        doc_id = case.add_document(
            file_name='<img src="x.png">.txt',
            text=text,
            sha256="0" * 64,
            format="txt",
            title='<img src="/dev/zero"> headline',
            publisher="<b>Publisher</b>",
            url="javascript:alert(1)",
            published="2019-07-04",
            published_evidence='<img src="/dev/zero">',
        )
        stamp = now_iso()
        cur = case.conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES ('person', ?, 'hostile')",
            ('<img src="/dev/zero">',),
        )
        entity_id = int(cur.lastrowid or 0)
        case.conn.execute(
            "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, 'hostile')",
            (entity_id, "![x](/dev/zero)"),
        )
        start = text.index("<img")
        end = start + len(EVERYTHING)
        case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, 'person', ?, ?, ?, ?, ?, 'test', ?, ?)",
            (doc_id, start, end, text[start:end], '<img src="/dev/zero">', entity_id, stamp, stamp),
        )
    edits.add_annotation(case, doc_id, start, end, note=EVERYTHING)
    try:
        yield case, doc_id
    finally:
        case.close()


def test_notes_render_without_images_or_unsafe_links() -> None:
    for text in [*HOSTILE, EVERYTHING]:
        rendered = note_html(text)
        assert_inert(rendered, rich=True)
        assert "<script" not in rendered and "javascript:" not in rendered
    assert "[x]" in note_html("![x](/dev/zero)")  # the image's alt text stays readable
    assert 'href="https://example.org/a"' in note_html("[ok](https://example.org/a)")
    assert 'href="mailto:desk@example.org"' in note_html("[m](mailto:desk@example.org)")


def test_sanitise_keeps_text_and_drops_active_content() -> None:
    html = sanitise(
        '<p onclick="x()">Hi <img src="/dev/zero" alt="pic"><script>bad()</script>'
        '<a href="  java&#x09;script:alert(1)">j</a> <a href="vbscript:x">v</a>'
        '<a href="data:text/html,x">d</a><svg><image href="/dev/zero"/></svg></p>'
    )
    assert html == "<p>Hi [pic]<a>j</a> <a>v</a><a>d</a></p>"
    assert safe_href("https://example.org") == "https://example.org"
    assert safe_href("notes/a.html") == "notes/a.html"
    for bad in (
        "file:///etc/passwd",
        "JAVASCRIPT:x",
        "java\nscript:x",
        "c:evil",
        "&#106;avascript:x",
    ):
        assert safe_href(bad) is None


def test_every_view_shows_hostile_case_content_as_text(
    qtbot: QtBot, hostile_case: tuple[Case, int]
) -> None:
    case, doc_id = hostile_case
    # Sources list tooltip (title, file name, publisher, URL).
    sources = SourcesModel(case)
    row = next(r for r in range(sources.rowCount()) if sources.index(r, 0).isValid())
    for col in range(sources.columnCount()):
        tip = sources.index(row, col).data(3)  # ToolTipRole
        if tip:
            visible = assert_inert(tip)
            assert '<img src="x.png">.txt' in visible
    # Facts panel tooltip.
    facts = FactsModel(case)
    facts.set_document(doc_id)
    tips: list[str] = []

    def walk(parent: QModelIndex) -> None:
        while facts.canFetchMore(parent):
            facts.fetchMore(parent)
        for r in range(facts.rowCount(parent)):
            index = facts.index(r, 0, parent)
            tip = index.data(3)
            if tip:
                tips.append(tip)
            walk(index)

    walk(QModelIndex())
    assert any("/dev/zero" in assert_inert(t) for t in tips)
    # Search hit tooltip and the hit's drawing.
    hits = case.search("Seoul")
    assert hits
    results = SearchResultsModel()
    results.set_results("Seoul", hits)
    tip = results.index(0, 0).data(3)
    assert "<img" in assert_inert(tip)
    delegate = SnippetDelegate()
    option = QStyleOptionViewItem()
    doc = delegate._document(option, results.index(0, 0))
    assert isinstance(doc, InertDocument)
    assert_inert(doc.toHtml(), rich=True)
    # Reader tooltip over the fact and the annotation (its note is Markdown).
    reader = DocumentReader()
    qtbot.addWidget(reader)
    reader.show_document(case, doc_id)
    offset = case.document(doc_id)["text"].index("<img") + 3
    tip = reader._tooltip(offset)
    assert tip
    assert "<script" in assert_inert(tip)
    # Timeline tooltip.
    view = TimelineView()
    qtbot.addWidget(view)
    import datetime as dt

    event = TimelineEvent(
        1,
        "2019-07-04",
        dt.date(2019, 7, 4),
        dt.date(2019, 7, 4),
        "day",
        EVERYTHING[:200],
        [EventSource(doc_id, '<img src="x.png">.txt', 1, 0, 10, EVERYTHING)],
    )
    assert "<img" in assert_inert(view._tooltip(event))


def _labels_are_inert(widget: Any) -> None:
    for label in widget.findChildren(QLabel):
        fmt = label.textFormat()
        rich = None if fmt.name == "AutoText" else fmt.name == "RichText"
        assert_inert(label.text(), rich)
    for lst in widget.findChildren(QListWidget):
        for i in range(lst.count()):
            tip = lst.item(i).toolTip()
            if tip:
                assert_inert(tip)


def test_dialogs_show_hostile_case_content_as_text(
    qtbot: QtBot, hostile_case: tuple[Case, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    case, doc_id = hostile_case
    document = case.document(doc_id)
    entity = dict(
        zip(
            ("id", "kind", "name"),
            case.conn.execute("SELECT id, kind, name FROM entities").fetchone(),
            strict=True,
        )
    )
    note = AnnotationDialog(case, EVERYTHING, note=EVERYTHING)
    qtbot.addWidget(note)
    note._render()
    assert isinstance(note.preview, InertTextBrowser)
    assert isinstance(note.preview.document(), InertDocument)
    assert_inert(note.preview.toHtml(), rich=True)
    dialogs = [
        note,
        AddFactDialog(EVERYTHING),
        PropertiesDialog(document),
        EntityPickerDialog(case, entity),
        SplitDialog(case, entity),
    ]
    for dialog in dialogs[1:]:
        qtbot.addWidget(dialog)
    for dialog in dialogs:
        _labels_are_inert(dialog)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    props = dialogs[2]
    assert isinstance(props, PropertiesDialog)
    props.date_edit.setText('<img src="/dev/zero">')
    props._on_accept()
    assert warned
    assert '<img src="/dev/zero">' in assert_inert(warned[0])


def test_message_text_is_shown_as_itself() -> None:
    name = '<img src="/dev/zero">.txt: not a readable PDF'
    assert assert_inert(inert(name)) == name
    assert inert("plain words") == "plain words"  # nothing to escape, nothing changed


def test_a_document_longer_than_the_reader_shows_is_cut_with_a_note(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 60 MB document took the reader minutes and gigabytes to paint: it shows the first
    ``MAX_SHOWN_CHARS`` characters and says so; facts past that point draw nothing."""
    from casedesk.ui import reader as reader_module

    monkeypatch.setattr(reader_module, "MAX_SHOWN_CHARS", 500, raising=False)
    case = Case.create(tmp_path / "long.casedesk")
    try:
        text = "Ferry services resumed on Monday, the operator said. " * 60
        with case.transaction():
            doc_id = case.add_document(
                file_name="long.txt", text=text, sha256="5" * 64, format="txt"
            )
            stamp = now_iso()
            for start in (100, 495, 2500):
                case.conn.execute(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, provenance, "
                    "created_at, updated_at) VALUES (?, 'date', ?, ?, ?, ?, 'test', ?, ?)",
                    (doc_id, start, start + 10, text[start : start + 10], "2020", stamp, stamp),
                )
        reader = DocumentReader()
        qtbot.addWidget(reader)
        reader.show_document(case, doc_id)
        shown_text = reader.toPlainText()
        assert shown_text.startswith(text[:500])
        assert f"shows the first 500 of the document's {len(text):,} characters" in shown_text
        assert len(shown_text) < 700
        assert reader.extraSelections()  # the facts that are shown are drawn
        reader.select_span(2500, 2510)  # past the end: clamped, no error
    finally:
        case.close()

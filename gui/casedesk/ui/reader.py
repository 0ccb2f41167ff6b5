"""The document reader: the stored text, read-only, with highlight layers.

Facts, annotations, web debris, search hits and OCR pages read with low confidence are separate
layers. Each layer only sets the
properties it owns (debris: text colour; facts: a tinted background and an underline in the
kind's colour; annotations: the tag colour as background; search hits: a strong background and
bold), and the layers are merged per character run in priority order. So an annotation over a
fact keeps the fact's underline, and a search hit over debris keeps it grey.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QIcon,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QPixmap,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QToolTip,
    QWidget,
)

from casedesk.extract.timex import period
from casedesk.polarity import denial_sql, denial_text
from casedesk.safe_html import note_html, rich_tooltip
from casedesk.store import FACT_KINDS, Case
from casedesk.ui.colours import (
    DENIAL,
    KIND_COLOURS,
    KIND_LABELS,
    KIND_NAMES,
    SEARCH_HIT,
    kind_colour,
    tag_colour,
)
from casedesk.words import spoken_date

# The reader shows at most this many characters of a document (about 300,000 words); past
# it, a note says how much more there is. Laying out and painting a 60 MB text took minutes
# and gigabytes. Search, facts and export always cover the whole document.
MAX_SHOWN_CHARS = 2_000_000
LAYER_PRIORITY = {"ocr": 5, "debris": 10, "facts": 20, "annotations": 30, "search": 40}
SENTENCE_KINDS = ("event", "claim")


@dataclass
class Span:
    start: int
    end: int
    fmt: QTextCharFormat
    data: dict[str, Any] = field(default_factory=dict)


class DocumentReader(QPlainTextEdit):
    """Shows one document with its highlight layers.

    Signals:
        document_changed(int): a document (id, or -1 for none) is now shown.
        text_selected(bool): a non-empty selection appeared (True) or went away (False).
        fact_clicked(int): the user clicked on a highlighted fact (its id; the innermost one).
        annotation_edit_requested(int): the user double-clicked an annotation.
    """

    document_changed = Signal(int)
    text_selected = Signal(bool)
    fact_clicked = Signal(int)
    annotation_edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setObjectName("reader")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 0.5)
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self._case: Case | None = None
        self._doc_id: int | None = None
        self._text = ""
        self._total_chars = 0
        self._wide: list[int] | None = None  # UTF-16 offsets when the text has astral chars
        self._layers: dict[str, list[Span]] = {name: [] for name in LAYER_PRIORITY}
        self._hidden_kinds: set[str] = set()
        self._facts: list[dict[str, Any]] = []
        self._annotations: list[dict[str, Any]] = []
        self._context_actions: list[QAction | None] = []
        self._annotation_actions: list[QAction] = []
        self._floating = _SelectionToolbar(self)
        # Above the text: how an OCR'd document was recognised, and which pages to check.
        self.ocr_banner = QLabel(self)
        self.ocr_banner.setObjectName("ocrBanner")
        self.ocr_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.ocr_banner.setWordWrap(True)
        self.ocr_banner.setAutoFillBackground(True)
        self.ocr_banner.setContentsMargins(8, 4, 8, 4)
        self.ocr_banner.hide()
        self.selectionChanged.connect(self._on_selection_changed)
        self.verticalScrollBar().valueChanged.connect(lambda _: self._floating.hide())

    # -- loading --------------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        return self._doc_id

    def clear_document(self) -> None:
        self._case = None
        self._doc_id = None
        self._text = ""
        self._facts = []
        self._annotations = []
        for name in self._layers:
            self._layers[name] = []
        self._set_banner("", False)
        self.setPlainText("")
        self.setExtraSelections([])
        self.document_changed.emit(-1)

    def show_document(self, case: Case, doc_id: int) -> None:
        if self._case is case and self._doc_id == doc_id:
            return
        row = case.conn.execute(
            "SELECT substr(text, 1, ?), length(text) FROM documents WHERE id = ?",
            (MAX_SHOWN_CHARS, doc_id),
        ).fetchone()
        if row is None:
            self.clear_document()
            return
        self._case = case
        self._doc_id = doc_id
        self._text = str(row[0])
        self._total_chars = int(row[1] or 0)
        self._wide = None
        if any(ord(c) > 0xFFFF for c in self._text):
            offsets, pos = [], 0
            for c in self._text:
                offsets.append(pos)
                pos += 2 if ord(c) > 0xFFFF else 1
            offsets.append(pos)
            self._wide = offsets
        self._layers["search"] = []
        self.setPlainText(self._text)
        if self._total_chars > len(self._text):
            cursor = QTextCursor(self.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(
                f"\n\n[Casedesk shows the first {len(self._text):,} of the document's "
                f"{self._total_chars:,} characters here. Search, facts and export cover all of it.]"
            )
        self._load_debris()
        self._load_ocr()
        # Both layers are read first and the highlights drawn once.
        self.reload_facts(apply=False)
        self.reload_annotations(apply=False)
        self._apply_layers()
        self.document_changed.emit(doc_id)

    def _load_debris(self) -> None:
        assert self._case is not None and self._doc_id is not None
        fmt = QTextCharFormat()
        grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        fmt.setForeground(grey)
        spans = [
            Span(s, e, fmt, {"reason": reason})
            for s, e, reason in self._case.boilerplate(self._doc_id)
        ]
        self._layers["debris"] = spans

    def _load_ocr(self) -> None:
        """The banner and the low-confidence layer of a document recognised by OCR."""
        assert self._case is not None and self._doc_id is not None
        self._layers["ocr"] = []
        try:
            row = self._case.conn.execute(
                "SELECT ocr FROM documents WHERE id = ?", (self._doc_id,)
            ).fetchone()
            info = json.loads(row[0]) if row and row[0] else None
        except (sqlite3.Error, ValueError, TypeError):
            info = None
        if not isinstance(info, dict):
            self._set_banner("", False)
            return
        pages = [p for p in info.get("pages") or [] if isinstance(p, dict)]
        engine = str(info.get("engine") or "OCR")
        langs = "+".join(str(x) for x in info.get("languages") or [])
        low = [p for p in pages if p.get("low")]
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#d9822b"))
        for page in low:
            start, end = page.get("start"), page.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                self._layers["ocr"].append(Span(start, min(end, len(self._text)), fmt, page))
        noun = "page" if len(pages) == 1 else "pages"
        text = f"Text recognised by OCR from {len(pages)} scanned {noun} ({engine}, {langs})."
        if low:
            listed = ", ".join(
                f"{p.get('page')} ({_percent(p.get('confidence'))})" for p in low[:12]
            )
            more = f" and {len(low) - 12} more" if len(low) > 12 else ""
            text += (
                f" Low confidence on page {listed}{more}: the text there is underlined and may "
                "be misread; check it against the original."
            )
        self._set_banner(text, bool(low))

    def _set_banner(self, text: str, warn: bool) -> None:
        banner = self.ocr_banner
        banner.setText(text)
        banner.setProperty("warning", warn)
        palette = banner.palette()
        role = QPalette.ColorRole.Window
        base = self.palette().color(QPalette.ColorRole.AlternateBase)
        palette.setColor(role, QColor("#fbe3c8") if warn else base)
        if warn:
            palette.setColor(QPalette.ColorRole.WindowText, QColor("#3a2a10"))
        banner.setPalette(palette)
        banner.setVisible(bool(text))
        self._place_banner()

    def _place_banner(self) -> None:
        banner = self.ocr_banner
        if banner.isHidden():
            self.setViewportMargins(0, 0, 0, 0)
            return
        width = self.contentsRect().width()
        height = banner.heightForWidth(width) if banner.wordWrap() else banner.sizeHint().height()
        height = max(height, banner.sizeHint().height())
        banner.setGeometry(self.contentsRect().x(), self.contentsRect().y(), width, height)
        self.setViewportMargins(0, height, 0, 0)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_banner()

    def reload_facts(self, *, apply: bool = True) -> None:
        if self._case is None or self._doc_id is None:
            return
        cur = self._case.conn.execute(
            "SELECT f.id, f.kind, f.start, f.end, f.text, f.value, f.status, e.name AS entity, "
            f"{denial_sql('f')} AS denial "
            "FROM facts f LEFT JOIN entities e ON e.id = f.entity_id "
            "WHERE f.document_id = ? AND f.status != 'rejected' ORDER BY f.start",
            (self._doc_id,),
        )
        cols = [c[0] for c in cur.description]
        self._facts = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        self._build_fact_layer(apply=apply)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        # Light/dark switch: debris is drawn in the palette's disabled text colour.
        if event.type() == QEvent.Type.PaletteChange and self._doc_id is not None:
            self._load_debris()
            self._apply_layers()

    def _build_fact_layer(self, *, apply: bool = True) -> None:
        spans = []
        formats: dict[tuple[str, bool], QTextCharFormat] = {}
        for fact in self._facts:
            kind = fact["kind"]
            if kind in self._hidden_kinds:
                continue
            denied = fact.get("denial") is not None
            if (kind, denied) not in formats:
                fmt = QTextCharFormat()
                if denied:
                    # A denial, not an assertion: the denied words with a wavy line in the
                    # denial colour, a sentence whose happening is only denied dotted in it.
                    fmt.setUnderlineStyle(
                        QTextCharFormat.UnderlineStyle.WaveUnderline
                        if kind == "claim"
                        else QTextCharFormat.UnderlineStyle.DotLine
                    )
                    fmt.setUnderlineColor(QColor(DENIAL))
                elif kind in SENTENCE_KINDS:
                    # Whole sentences: a dotted line only, so the names and dates inside them
                    # keep their own colours.
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                    fmt.setUnderlineColor(kind_colour(kind))
                else:
                    fmt.setBackground(kind_colour(kind, 48))
                    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                    fmt.setUnderlineColor(kind_colour(kind))
                formats[kind, denied] = fmt
            spans.append(Span(fact["start"], fact["end"], formats[kind, denied], fact))
        # Longer spans first: a name inside an event sentence merges over the sentence.
        spans.sort(key=lambda sp: -(sp.end - sp.start))
        self._layers["facts"] = spans
        if apply:
            self._apply_layers()

    def reload_annotations(self, *, apply: bool = True) -> None:
        if self._case is None or self._doc_id is None:
            return
        cur = self._case.conn.execute(
            "SELECT a.id, a.start, a.end, a.note, a.text, coalesce(a.colour, t.colour) AS colour, "
            "t.name AS tag FROM annotations a LEFT JOIN tags t ON t.id = a.tag_id "
            "WHERE a.document_id = ? ORDER BY a.start",
            (self._doc_id,),
        )
        cols = [c[0] for c in cur.description]
        self._annotations = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        spans = []
        for ann in self._annotations:
            fmt = QTextCharFormat()
            fmt.setBackground(tag_colour(ann["colour"], 150))
            if ann["note"]:
                fmt.setFontUnderline(True)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(tag_colour(ann["colour"]).darker(150))
            spans.append(Span(ann["start"], ann["end"], fmt, ann))
        self._layers["annotations"] = spans
        if apply:
            self._apply_layers()

    # -- layers ---------------------------------------------------------------------------

    def set_hidden_kinds(self, kinds: set[str]) -> None:
        self._hidden_kinds = set(kinds)
        self._build_fact_layer()

    @property
    def hidden_kinds(self) -> set[str]:
        return set(self._hidden_kinds)

    def set_search_terms(self, pattern: str | None, *, regex: bool = False) -> list[int]:
        """Mark every case-insensitive match of ``pattern``; return the match starts."""
        spans: list[Span] = []
        if pattern:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(SEARCH_HIT))
            fmt.setForeground(QColor("#000000"))
            fmt.setFontWeight(QFont.Weight.Bold)
            rx = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE)
            for m in rx.finditer(self._text):
                if m.end() > m.start():
                    spans.append(Span(m.start(), m.end(), fmt))
                if len(spans) >= 5000:
                    break
        self._layers["search"] = spans
        self._apply_layers()
        return [s.start for s in spans]

    def search_hits(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self._layers["search"]]

    def layer(self, name: str) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self._layers[name]]

    def _apply_layers(self) -> None:
        """Merge the layers per run of characters, higher priority merged last."""
        bounds: set[int] = set()
        ordered = sorted(self._layers.items(), key=lambda kv: LAYER_PRIORITY[kv[0]])
        for _, spans in ordered:
            for span in spans:
                bounds.add(span.start)
                bounds.add(min(span.end, len(self._text)))
        points = sorted(b for b in bounds if 0 <= b <= len(self._text))
        if len(points) < 2:
            self.setExtraSelections([])
            return
        # For each run between two boundaries, which spans cover it (in priority order).
        run_formats: list[QTextCharFormat | None] = [None] * (len(points) - 1)
        for _, spans in ordered:
            for span in spans:
                i = bisect.bisect_left(points, span.start)
                j = bisect.bisect_left(points, min(span.end, len(self._text)))
                for k in range(i, j):
                    current = run_formats[k]
                    if current is None:
                        run_formats[k] = QTextCharFormat(span.fmt)
                    else:
                        current.merge(span.fmt)
        selections = []
        doc = self.document()
        for k, fmt in enumerate(run_formats):
            if fmt is None:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(self.to_qt(points[k]))
            cursor.setPosition(self.to_qt(points[k + 1]), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
        self.setExtraSelections(selections)

    # -- offsets --------------------------------------------------------------------------

    def to_qt(self, offset: int) -> int:
        """A Python string offset as a QTextDocument position (UTF-16 units)."""
        offset = max(0, min(offset, len(self._text)))
        return self._wide[offset] if self._wide else offset

    def from_qt(self, position: int) -> int:
        if not self._wide:
            return max(0, min(position, len(self._text)))
        return bisect.bisect_left(self._wide, position)

    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.from_qt(cursor.selectionStart())
        end = self.from_qt(cursor.selectionEnd())
        # Whitespace at the edges of a drag selection is never meant.
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll so it sits comfortably in view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._floating.hide()

    def selected_text(self) -> str:
        span = self.selected_span()
        return self._text[span[0] : span[1]] if span else ""

    # -- what is under a position -------------------------------------------------------------

    def offset_at(self, pos: QPoint) -> int:
        return self.from_qt(self.cursorForPosition(pos).position())

    def facts_at(self, offset: int) -> list[dict[str, Any]]:
        return [
            f
            for f in self._facts
            if f["start"] <= offset < f["end"] and f["kind"] not in self._hidden_kinds
        ]

    def annotations_at(self, offset: int) -> list[dict[str, Any]]:
        return [a for a in self._annotations if a["start"] <= offset < a["end"]]

    def annotation_under_cursor(self) -> int | None:
        cursor = self.textCursor()
        offset = self.from_qt(
            cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        )
        found = self.annotations_at(offset)
        if not found and cursor.hasSelection():
            span = self.selected_span()
            if span:
                found = [
                    a for a in self._annotations if a["start"] < span[1] and a["end"] > span[0]
                ]
        return int(found[-1]["id"]) if found else None

    def annotation(self, annotation_id: int) -> dict[str, Any] | None:
        return next((a for a in self._annotations if a["id"] == annotation_id), None)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            tip = self._tooltip(self.offset_at(pos))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, offset: int) -> str:
        parts = []
        for fact in self.facts_at(offset):
            label = KIND_NAMES.get(fact["kind"], fact["kind"])
            line = f"<b style='color:{KIND_COLOURS.get(fact['kind'])}'>{html.escape(label)}</b>"
            if fact["value"] and fact["kind"] in ("date", "event") and period(str(fact["value"])):
                # a date in words, with its weekday, never a raw TimeML value
                line += f": {html.escape(spoken_date(str(fact['value'])))}"
            elif fact["value"] and fact["value"] != fact["text"]:
                line += f": {html.escape(str(fact['value']))}"
            else:
                line += f": {html.escape(' '.join(str(fact['text']).split()))}"
            if fact["entity"]:
                line += f"<br>&nbsp;&nbsp;entity: {html.escape(str(fact['entity']))}"
            if fact.get("denial") is not None:
                said = denial_text(fact["kind"], fact["value"], str(fact["denial"]))
                line += f"<br>&nbsp;&nbsp;<b style='color:{DENIAL}'>{html.escape(said)}</b>"
            if fact["status"] != "extracted":
                line += f" <i>({html.escape(str(fact['status']))})</i>"
            parts.append(line)
        for ann in self.annotations_at(offset):
            line = f"<b>🏷 {html.escape(ann['tag'] or 'Annotation')}</b>"
            if ann["note"]:
                line += note_html(ann["note"])
            parts.append(line)
        for span in self._layers["ocr"]:
            if span.start <= offset < span.end:
                parts.append(
                    f"<i>OCR page {html.escape(str(span.data.get('page')))}: low confidence "
                    f"({html.escape(_percent(span.data.get('confidence')))}); check the "
                    "original</i>"
                )
        for start, end, reason in self._debris_at(offset):
            parts.append(f"<i>Web page debris ({html.escape(reason)}); extraction skips it</i>")
            del start, end
        return rich_tooltip("<hr>".join(parts))

    def _debris_at(self, offset: int) -> list[tuple[int, int, str]]:
        return [
            (s.start, s.end, s.data.get("reason", ""))
            for s in self._layers["debris"]
            if s.start <= offset < s.end
        ]

    # -- selection tools ----------------------------------------------------------------------

    def set_selection_actions(self, actions: list[QAction]) -> None:
        """Actions offered next to a fresh selection (and in the context menu)."""
        self._floating.set_actions(actions)
        self._context_actions = list(actions)

    def set_annotation_actions(self, actions: list[QAction]) -> None:
        self._annotation_actions = list(actions)

    def _on_selection_changed(self) -> None:
        has = self.textCursor().hasSelection()
        if not has:
            self._floating.hide()
        self.text_selected.emit(has)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.selected_span():
            self.show_selection_tools()
            return
        facts = self.facts_at(self.offset_at(event.position().toPoint()))
        if facts:
            innermost = min(facts, key=lambda f: f["end"] - f["start"])
            self.fact_clicked.emit(int(innermost["id"]))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        annotations = self.annotations_at(self.offset_at(event.position().toPoint()))
        if annotations and event.button() == Qt.MouseButton.LeftButton:
            self.annotation_edit_requested.emit(int(annotations[-1]["id"]))
            return
        super().mouseDoubleClickEvent(event)

    def show_selection_tools(self) -> None:
        rect = self.cursorRect(self.textCursor())
        self._floating.adjustSize()
        x = min(
            max(rect.left() - self._floating.width() // 2, 4),
            self.viewport().width() - self._floating.width() - 4,
        )
        y = rect.bottom() + 6
        if y + self._floating.height() > self.viewport().height():
            y = max(rect.top() - self._floating.height() - 6, 0)
        self._floating.move(self.viewport().mapTo(self, QPoint(x, y)))
        self._floating.show()
        self._floating.raise_()

    @property
    def selection_toolbar(self) -> QWidget:
        return self._floating

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = QMenu(self)
        copy = menu.addAction("&Copy")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setEnabled(self.textCursor().hasSelection())
        copy.triggered.connect(self.copy)
        offset = self.offset_at(event.pos())
        if not self.textCursor().hasSelection() and self.annotations_at(offset):
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.to_qt(offset))
            self.setTextCursor(cursor)
        if self._context_actions:
            menu.addSeparator()
            for action in self._context_actions:
                if action is not None:
                    menu.addAction(action)
        if self._annotation_actions and self.annotation_under_cursor() is not None:
            menu.addSeparator()
            for action in self._annotation_actions:
                menu.addAction(action)
        menu.exec(event.globalPos())


def _percent(value: Any) -> str:
    return f"{value:.0f} %" if isinstance(value, int | float) else "unknown"


class _SelectionToolbar(QFrame):
    """The small row of annotation tools shown next to a fresh selection."""

    def __init__(self, reader: DocumentReader) -> None:
        super().__init__(reader)
        self.setObjectName("selectionToolbar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(3, 3, 3, 3)
        self._layout.setSpacing(2)
        self.hide()

    def set_actions(self, actions: list[QAction]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            if action.menu() is not None:
                button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            self._layout.addWidget(button)


class KindLegend(QWidget):
    """One toggle per fact kind, in its colour; unchecking hides that kind in the reader.

    Signals:
        hidden_kinds_changed(object): the set of kinds now hidden.
    """

    hidden_kinds_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The kinds wrap onto a second line when the reader is narrow: every kind stays in
        # sight (an overflow menu would hide the last ones).
        layout = _FlowLayout(self, spacing=1)
        layout.setContentsMargins(6, 0, 6, 0)
        label = QLabel("Show: ", self)
        layout.addWidget(label)
        self._buttons: dict[str, QToolButton] = {}
        self._actions: dict[str, QAction] = {}
        for kind in FACT_KINDS:
            colour = KIND_COLOURS[kind]
            action = QAction(_swatch_icon(colour), KIND_LABELS[kind], self)
            action.setCheckable(True)
            action.setChecked(True)
            action.setToolTip(f"Show or hide {KIND_LABELS[kind].lower()} in the text")
            action.toggled.connect(self._on_toggled)
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setIconSize(QSize(10, 10))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(f"legend_{kind}")
            button.setStyleSheet(
                "QToolButton { border: none; padding: 0px 4px; margin-bottom: 2px;"
                " background: transparent; }"
                f"QToolButton:checked {{ border-bottom: 2px solid {colour};"
                " color: palette(text); }"
                "QToolButton:!checked { color: palette(mid); }"
                "QToolButton:hover { background: palette(midlight); }"
            )
            layout.addWidget(button)
            self._buttons[kind] = button
            self._actions[kind] = action
        # The label sits on the buttons' text line (they keep 2 px below for the underline).
        label.setContentsMargins(0, 0, 0, 2)
        label.setFixedHeight(button.sizeHint().height())

    def set_hidden(self, kinds: set[str]) -> None:
        for kind, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(kind not in kinds)
            action.blockSignals(False)

    def hidden(self) -> set[str]:
        return {k for k, a in self._actions.items() if not a.isChecked()}

    def button(self, kind: str) -> QToolButton:
        return self._buttons[kind]

    def _on_toggled(self, _checked: bool) -> None:
        self.hidden_kinds_changed.emit(self.hidden())


class _FlowLayout(QLayout):
    """Lays widgets out left to right, starting a new line when the width runs out."""

    def __init__(self, parent: QWidget, spacing: int = 0) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def _swatch_icon(colour: str) -> QIcon:
    pixmap = QPixmap(10, 10)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class FindBar(QWidget):
    """Find in the current document: marks every match and steps through them.

    Signals:
        closed(): the bar was closed (Escape or its close button).
    """

    closed = Signal()

    def __init__(self, reader: DocumentReader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._starts: list[int] = []
        self._current = -1
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Text in this document")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.edit.returnPressed.connect(self.find_next)
        layout.addWidget(self.edit, 1)
        prev_button = QToolButton(self)
        prev_button.setText("▲")
        prev_button.setToolTip("Previous match (Shift+F3)")
        prev_button.clicked.connect(self.find_previous)
        next_button = QToolButton(self)
        next_button.setText("▼")
        next_button.setToolTip("Next match (F3)")
        next_button.clicked.connect(self.find_next)
        layout.addWidget(prev_button)
        layout.addWidget(next_button)
        self.count_label = QLabel("", self)
        self.count_label.setMinimumWidth(90)
        layout.addWidget(self.count_label)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        for key, slot in (
            ("F3", self.find_next),
            ("Shift+F3", self.find_previous),
            ("Escape", self.close_bar),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        reader.document_changed.connect(lambda _: self.refresh())

    def open_bar(self) -> None:
        self.show()
        selected = self._reader.selected_text()
        if selected and "\n" not in selected and len(selected) < 80:
            self.edit.setText(selected)
        self.edit.setFocus()
        self.edit.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        self.hide()
        self._reader.set_search_terms(None)
        self._reader.setFocus()
        self.closed.emit()

    def refresh(self) -> None:
        if self.isHidden():
            return
        self._starts = self._reader.set_search_terms(self.edit.text())
        self._current = -1
        self._update_label()

    def _on_edit_text_changed(self, _text: str) -> None:
        self.refresh()
        if self._starts:
            self.find_next()

    def _step(self, forward: bool) -> None:
        if not self._starts:
            self._update_label()
            return
        here = self._reader.from_qt(self._reader.textCursor().selectionStart())
        if self._current < 0:
            i = bisect.bisect_left(self._starts, here)
            self._current = i % len(self._starts) if forward else (i - 1) % len(self._starts)
        else:
            self._current = (self._current + (1 if forward else -1)) % len(self._starts)
        start = self._starts[self._current]
        hits = self._reader.search_hits()
        self._reader.select_span(start, hits[self._current][1])
        self._update_label()

    def find_next(self) -> None:
        self._step(True)

    def find_previous(self) -> None:
        self._step(False)

    def _update_label(self) -> None:
        if not self.edit.text():
            self.count_label.setText("")
        elif not self._starts:
            self.count_label.setText("no matches")
        elif self._current < 0:
            self.count_label.setText(f"{len(self._starts)} matches")
        else:
            self.count_label.setText(f"{self._current + 1} of {len(self._starts)}")

"""Small dialogs: tags, annotation notes, document properties, new facts, merge and split."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casedesk import edits
from casedesk.safe_html import note_html, plain_tooltip
from casedesk.store import FACT_KINDS, Case
from casedesk.ui.colours import KIND_NAMES
from casedesk.ui.safe_text import InertTextBrowser, inert, plain_label


def render_markdown(text: str) -> str:
    """A note as HTML that can show nothing but text and safe links (``safe_html``)."""
    return note_html(text)


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class TagsDialog(QDialog):
    """Add, rename, recolour and delete tags. Changes go through ``on_change`` (undoable)."""

    def __init__(self, case: Case, commands: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags")
        self._case = case
        self._commands = commands
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tags give highlights their names and colours."))
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _: self._rename())
        layout.addWidget(self.list)
        row = QHBoxLayout()
        for text, slot in (
            ("&Add…", self._add),
            ("&Rename…", self._rename),
            ("&Colour…", self._recolour),
            ("&Delete", self._delete),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        current = self._current_id()
        self.list.clear()
        for tag in edits.tags(self._case):
            item = QListWidgetItem(swatch(tag["colour"]), tag["name"])
            item.setData(Qt.ItemDataRole.UserRole, tag["id"])
            self.list.addItem(item)
            if tag["id"] == current:
                self.list.setCurrentItem(item)

    def _current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _run(self, func: Any, *args: Any) -> None:
        try:
            func(*args)
        except edits.EditError as exc:
            QMessageBox.warning(self, "Tags", inert(str(exc)))
        self.reload()

    def _add(self) -> None:
        name, ok = QInputDialog.getText(self, "New tag", "Name:")
        if not ok or not name.strip():
            return
        colour = QColorDialog.getColor(QColor("#f6c343"), self, "Tag colour")
        if colour.isValid():
            self._run(self._commands.add_tag, name.strip(), colour.name())

    def _rename(self) -> None:
        tag_id = self._current_id()
        if tag_id is None:
            return
        old = self.list.currentItem().text()
        name, ok = QInputDialog.getText(self, "Rename tag", "Name:", text=old)
        if ok and name.strip() and name.strip() != old:
            self._run(self._commands.update_tag, tag_id, {"name": name.strip()})

    def _recolour(self) -> None:
        tag_id = self._current_id()
        if tag_id is None:
            return
        row = next(t for t in edits.tags(self._case) if t["id"] == tag_id)
        colour = QColorDialog.getColor(QColor(row["colour"]), self, "Tag colour")
        if colour.isValid():
            self._run(self._commands.update_tag, tag_id, {"colour": colour.name()})

    def _delete(self) -> None:
        tag_id = self._current_id()
        if tag_id is not None:
            self._run(self._commands.delete_tag, tag_id)


class AnnotationDialog(QDialog):
    """Choose a tag and write a Markdown note, with a live preview."""

    def __init__(
        self,
        case: Case,
        quote: str,
        *,
        tag_id: int | None = None,
        note: str = "",
        title: str = "Annotation",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        quote_label = plain_label(f"“{_shorten(quote, 200)}”", self)
        quote_label.setWordWrap(True)
        quote_label.setStyleSheet("font-style: italic;")
        layout.addWidget(quote_label)
        form = QFormLayout()
        self.tag_combo = QComboBox(self)
        self.tag_combo.addItem("(no tag)", None)
        for tag in edits.tags(case):
            self.tag_combo.addItem(swatch(tag["colour"]), tag["name"], tag["id"])
        if tag_id is not None:
            self.tag_combo.setCurrentIndex(max(self.tag_combo.findData(tag_id), 0))
        form.addRow("&Tag:", self.tag_combo)
        layout.addLayout(form)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText(
            "Note in Markdown: *emphasis*, **bold**, - lists, [links](…)"
        )
        self.editor.setPlainText(note)
        self.preview = InertTextBrowser(self)
        self.preview.setOpenExternalLinks(False)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._render)
        self.editor.textChanged.connect(self._timer.start)
        self._render()
        self.editor.setFocus()

    def _render(self) -> None:
        self.preview.setHtml(render_markdown(self.editor.toPlainText()))

    @property
    def tag_id(self) -> int | None:
        data = self.tag_combo.currentData()
        return int(data) if data is not None else None

    @property
    def note(self) -> str:
        return self.editor.toPlainText().strip()


class AddFactDialog(QDialog):
    """Mark a selection as a fact of a chosen kind, with its normalised value."""

    def __init__(self, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add fact")
        layout = QFormLayout(self)
        layout.addRow(plain_label(f"“{_shorten(quote, 160)}”"))
        self.kind_combo = QComboBox(self)
        for kind in FACT_KINDS:
            self.kind_combo.addItem(KIND_NAMES[kind], kind)
        self.kind_combo.setCurrentIndex(FACT_KINDS.index(_guess_kind(quote)))
        layout.addRow("&Kind:", self.kind_combo)
        self.value_edit = QLineEdit(" ".join(quote.split()), self)
        self.value_edit.setToolTip(
            "The normalised value: 2019-07-04 for a date, the full name for a person, …"
        )
        layout.addRow("&Value:", self.value_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def value(self) -> str:
        return self.value_edit.text().strip()


def _guess_kind(text: str) -> str:
    if re.search(r"\b(1[89]|20)\d\d\b", text) or re.search(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", text, re.I
    ):
        return "date"
    if re.search(r"\d", text):
        return "quantity"
    return "organization"


class PropertiesDialog(QDialog):
    """A document's title, publisher, publication date and URL."""

    def __init__(self, document: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Document properties")
        self.resize(520, 0)
        self._document = document
        layout = QFormLayout(self)
        layout.addRow("File:", plain_label(document["file_name"]))
        self.title_edit = QLineEdit(document["title"] or "", self)
        self.publisher_edit = QLineEdit(document["publisher"] or "", self)
        self.date_edit = QLineEdit(document["published"] or "", self)
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.inferred = QCheckBox("inferred from the text (not given by the source)", self)
        self.inferred.setChecked(bool(document["published_inferred"]))
        self.url_edit = QLineEdit(document["url"] or "", self)
        layout.addRow("&Title:", self.title_edit)
        layout.addRow("&Publisher:", self.publisher_edit)
        layout.addRow("Publication &date:", self.date_edit)
        layout.addRow("", self.inferred)
        if document.get("published_evidence"):
            evidence = plain_label(f"Evidence: {document['published_evidence']}")
            evidence.setWordWrap(True)
            layout.addRow("", evidence)
        layout.addRow("&URL:", self.url_edit)
        layout.addRow(QLabel("Changing the date re-resolves relative dates in the text."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def _on_accept(self) -> None:
        date = self.date_edit.text().strip()
        if date:
            try:
                dt.date.fromisoformat(date)
            except ValueError:
                QMessageBox.warning(
                    self,
                    "Document properties",
                    inert(f"“{date}” is not a date in the form YYYY-MM-DD."),
                )
                return
        self.accept()

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed."""
        new: dict[str, Any] = {
            "title": self.title_edit.text().strip() or None,
            "publisher": self.publisher_edit.text().strip() or None,
            "url": self.url_edit.text().strip() or None,
        }
        changed = {k: v for k, v in new.items() if v != self._document[k]}
        date = self.date_edit.text().strip() or None
        inferred = int(self.inferred.isChecked())
        if date != self._document["published"] or inferred != int(
            self._document["published_inferred"]
        ):
            changed["published"] = date
            changed["published_inferred"] = inferred
        return changed


class EntityPickerDialog(QDialog):
    """Choose another entity of the same kind to merge into the current one."""

    def __init__(self, case: Case, entity: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge entities")
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Merge into <b>{html.escape(str(entity['name']))}</b> "
            f"({html.escape(str(entity['kind']))}): its facts "
            "and other names join it. Undo splits them again.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter names")
        layout.addWidget(self.filter)
        self.list = QListWidget(self)
        rows = case.conn.execute(
            "SELECT e.id, e.name, (SELECT count(*) FROM facts f WHERE f.entity_id = e.id), "
            "(SELECT group_concat(alias, ', ') FROM aliases a WHERE a.entity_id = e.id) "
            "FROM entities e WHERE e.kind = ? AND e.id != ? ORDER BY e.name COLLATE NOCASE",
            (entity["kind"], entity["id"]),
        ).fetchall()
        for eid, name, count, aliases in rows:
            item = QListWidgetItem(f"{name}  ({count} mention{'' if count == 1 else 's'})")
            item.setToolTip(plain_tooltip(aliases or name))
            item.setData(Qt.ItemDataRole.UserRole, eid)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.filter.textChanged.connect(self._on_filter_text_changed)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_filter_text_changed(self, text: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(text.casefold() not in item.text().casefold())

    @property
    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None


class SplitDialog(QDialog):
    """Choose names (and mentions) of an entity that belong to a different entity."""

    def __init__(self, case: Case, entity: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Split entity")
        self.resize(520, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Move the checked names and mentions of "
            f"<b>{html.escape(str(entity['name']))}</b> to a new entity.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Names:"))
        self.aliases = QListWidget(self)
        for alias in edits.entity_aliases(case, entity["id"]):
            item = QListWidgetItem(alias["alias"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, alias["id"])
            self.aliases.addItem(item)
        layout.addWidget(self.aliases)
        layout.addWidget(QLabel("Mentions:"))
        self.facts = QListWidget(self)
        self.facts.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for fid, text, title in case.conn.execute(
            "SELECT f.id, f.text, coalesce(d.title, d.file_name) FROM facts f "
            "JOIN documents d ON d.id = f.document_id WHERE f.entity_id = ? "
            "ORDER BY d.id, f.start",
            (entity["id"],),
        ):
            item = QListWidgetItem(f"{' '.join(text.split())} — {_shorten(title, 60)}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, fid)
            self.facts.addItem(item)
        layout.addWidget(self.facts, 1)
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("(the first checked name)")
        form.addRow("New entity's &name:", self.name_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Split")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _checked(widget: QListWidget) -> list[int]:
        return [
            int(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    @property
    def alias_ids(self) -> list[int]:
        return self._checked(self.aliases)

    @property
    def fact_ids(self) -> list[int]:
        return self._checked(self.facts)

    @property
    def name(self) -> str | None:
        return self.name_edit.text().strip() or None


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

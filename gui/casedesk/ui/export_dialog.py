"""Case ▸ Export summary: a preset (the full summary or the brief), the summary's options, a
live preview, Save as Markdown, HTML or (the brief) plain text, Copy.

The preview is rendered off the GUI thread on its own read-only connection to the case file
(WAL lets it read while the window keeps working), after a short pause in option changes, so a
case of thousands of documents never freezes the window. Options are remembered in QSettings
(organisation "Casedesk", application "Casedesk", group "export").
"""

from __future__ import annotations

import re
import sqlite3
import traceback
from pathlib import Path

from PySide6.QtCore import QDate, QMimeData, QSettings, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casedesk.export import (
    SECTION_TITLES,
    SECTIONS,
    ExportOptions,
    brief_markdown,
    brief_text,
    html_page,
    summary_markdown,
    write_atomic,
)
from casedesk.export.html import case_title
from casedesk.store import Case
from casedesk.ui.safe_text import InertTextBrowser, inert, plain_label

ORGANISATION = "Casedesk"
APPLICATION = "Casedesk"
SETTINGS_GROUP = "export"
DEBOUNCE_MS = 250
# Past this many characters of Markdown the preview shows the first part (with its
# footnotes); saving and copying always use the whole summary.
PREVIEW_LIMIT = 300_000
_ENTITY_KINDS = ("person", "organization", "place", "material")
# What the dialog exports: everything the options select, or the brief (which chooses itself).
SUMMARY, BRIEF = "summary", "brief"
PRESETS = ((SUMMARY, "Full summary"), (BRIEF, "Brief (one or two pages)"))
_BRIEF_HELP = (
    "The brief chooses for itself: the key events (disputed ones first, then those the most "
    "documents report), the main actors, claims by named speakers, disputes and your notes, "
    "each cited. The options below shape the full summary only."
)
_KIND_NAMES = {
    "person": "person",
    "organization": "organisation",
    "place": "place",
    "material": "material",
}


class _ReadOnlyCase:
    """Just enough of a case for the summary: its own read-only connection."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self.conn.execute("PRAGMA query_only=ON")

    def close(self) -> None:
        self.conn.close()


def export_markdown(case: _ReadOnlyCase | Case, preset: str, options: ExportOptions) -> str:
    """The Markdown of a preset: the brief, or the summary the options select."""
    if preset == BRIEF:
        return brief_markdown(case)
    return summary_markdown(case, options)


def preview_markdown(text: str, limit: int = PREVIEW_LIMIT) -> tuple[str, bool]:
    """The Markdown to preview: all of it, or its first blocks and the footnotes they cite."""
    if len(text) <= limit:
        return text, False
    notes_at = text.find("\n[^1]: ")
    body = text if notes_at < 0 else text[:notes_at]
    cut = body.rfind("\n\n", 0, limit)
    head = body[: cut if cut > 0 else limit]
    cited = [int(n) for n in re.findall(r"\[\^(\d+)\]", head)]
    notes = ""
    if cited and notes_at >= 0:
        wanted = max(cited)
        lines = text[notes_at + 1 :].split("\n")
        notes = "\n".join(line for line in lines[:wanted] if line)
    return head + "\n\n" + notes + "\n", True


class PreviewWorker(QThread):
    """Renders one summary or brief (Markdown and HTML; the brief's plain text too) on its own
    connection.

    Signals:
        preview_rendered(int, str, str, bool, str): generation, Markdown, preview HTML,
            truncated, and the brief's plain text ("" for the summary).
        preview_failed(int, str): generation and a message for the user.
    """

    preview_rendered = Signal(int, str, str, bool, str)
    preview_failed = Signal(int, str)

    def __init__(
        self,
        path: Path,
        options: ExportOptions,
        generation: int,
        parent: QWidget,
        preset: str = SUMMARY,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.options = options
        self.generation = generation
        self.preset = preset

    def run(self) -> None:
        try:
            case = _ReadOnlyCase(self.path)
        except sqlite3.Error as exc:
            self.preview_failed.emit(self.generation, f"{self.path}: cannot read ({exc})")
            return
        try:
            text = export_markdown(case, self.preset, self.options)
            shown, truncated = preview_markdown(text)
            # QTextBrowser ignores CSS cell padding; the attribute gives the same look.
            page = html_page(shown, case_title(case)).replace(
                "<table>", '<table cellspacing="0" cellpadding="4">'
            )
            plain = brief_text(case) if self.preset == BRIEF else ""
            self.preview_rendered.emit(self.generation, text, page, truncated, plain)
        except ValueError as exc:
            self.preview_failed.emit(self.generation, str(exc))
        except Exception as exc:  # noqa: BLE001 - a preview failure is shown, not a crash
            traceback.print_exc()
            self.preview_failed.emit(self.generation, f"{type(exc).__name__}: {exc}")
        finally:
            case.close()


def write_summary(path: Path, markdown: str, title: str) -> Path:
    """Write Markdown, or the HTML page made from it for .html/.htm, atomically."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        raise ValueError(f"{path}: plain text is written from the case (write_text)")
    if path.suffix.lower() in (".html", ".htm"):
        return write_atomic(path, html_page(markdown, title))
    if path.suffix.lower() not in (".md", ".markdown"):
        path = path.with_name(path.name + ".md")
    return write_atomic(path, markdown)


TEXT_SUFFIXES = (".txt", ".text")


class SaveWorker(QThread):
    """Writes a summary file off the GUI thread (an HTML page of a big case takes seconds).

    Signals:
        summary_written(str): the path written.
        save_failed(str): a message naming the file and the reason.
    """

    summary_written = Signal(str)
    save_failed = Signal(str)

    def __init__(
        self,
        case_path: Path,
        options: ExportOptions,
        markdown: str | None,
        target: Path,
        title: str,
        parent: QWidget,
        preset: str = SUMMARY,
    ) -> None:
        super().__init__(parent)
        self.case_path = case_path
        self.options = options
        self.markdown = markdown
        self.target = target
        self.title = title
        self.preset = preset

    def run(self) -> None:
        try:
            if self.preset == BRIEF and self.target.suffix.lower() in TEXT_SUFFIXES:
                case = _ReadOnlyCase(self.case_path)
                try:
                    written = write_atomic(self.target, brief_text(case))
                finally:
                    case.close()
                self.summary_written.emit(str(written))
                return
            text = self.markdown
            if text is None:
                case = _ReadOnlyCase(self.case_path)
                try:
                    text = export_markdown(case, self.preset, self.options)
                finally:
                    case.close()
            written = write_summary(self.target, text, self.title)
        except (OSError, ValueError, sqlite3.Error) as exc:
            self.save_failed.emit(f"{self.target}: could not be saved ({exc})")
            return
        self.summary_written.emit(str(written))


class ExportDialog(QDialog):
    """Options, live preview and Save/Copy for a case summary.

    Signals:
        preview_updated(): the preview shows the summary for the current options.
        summary_saved(str): a summary file was written (its path).
    """

    preview_updated = Signal()
    summary_saved = Signal(str)

    def __init__(
        self,
        case: Case,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
        preset: str | None = None,
    ) -> None:
        """``preset`` (``SUMMARY`` or ``BRIEF``) chooses the preset; without it, the last one
        used is chosen again."""
        super().__init__(parent)
        self.case = case
        self._settings = settings or QSettings(ORGANISATION, APPLICATION)
        self._generation = 0
        self._worker: PreviewWorker | None = None
        self._pending = False
        self._markdown: str | None = None  # for the options of generation _shown
        self._plain: str | None = None  # the brief's plain text, likewise
        self._shown = -1
        self._loading = True
        self._savers: list[SaveWorker] = []
        self.setWindowTitle(f"Export summary — {case.name}")
        self.resize(1100, 760)

        self.preset_combo = QComboBox()
        for key, label in PRESETS:
            self.preset_combo.addItem(label, key)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        self.preset_help = plain_label(_BRIEF_HELP)
        self.preset_help.setWordWrap(True)
        preset_box = QGroupBox("Export")
        preset_form = QFormLayout(preset_box)
        preset_form.addRow("&Preset", self.preset_combo)
        preset_form.addRow(self.preset_help)

        self.section_boxes: dict[str, QCheckBox] = {}
        sections = QGroupBox("Sections")
        self.sections_group = sections
        sec_layout = QVBoxLayout(sections)
        for name in SECTIONS:
            box = QCheckBox(SECTION_TITLES[name])
            box.setChecked(True)
            box.toggled.connect(self._on_option_changed)
            self.section_boxes[name] = box
            sec_layout.addWidget(box)

        self.confirmed_box = QCheckBox("Only confirmed and hand-made facts")
        self.confirmed_box.toggled.connect(self._on_option_changed)
        first, last = self._case_dates()
        self.from_box = QCheckBox("From")
        self.from_edit = self._date_edit(first)
        self.to_box = QCheckBox("To")
        self.to_edit = self._date_edit(last)
        for box, edit in ((self.from_box, self.from_edit), (self.to_box, self.to_edit)):
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(self._on_option_changed)
            edit.setEnabled(False)
            edit.dateChanged.connect(self._on_option_changed)
        self.entity_combo = QComboBox()
        self.entity_combo.addItem("All entities", None)
        for ent_id, kind, name in self._entities():
            self.entity_combo.addItem(f"{name} ({_KIND_NAMES.get(kind, kind)})", ent_id)
        self.entity_combo.currentIndexChanged.connect(self._on_option_changed)
        self.tag_combo = QComboBox()
        self.tag_combo.addItem("All tags", None)
        for (tag,) in case.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE"):
            self.tag_combo.addItem(str(tag), str(tag))
        self.tag_combo.currentIndexChanged.connect(self._on_option_changed)

        narrow = QGroupBox("Narrow to")
        self.narrow_group = narrow
        form = QFormLayout(narrow)
        form.addRow(self.confirmed_box)
        form.addRow(self.from_box, self.from_edit)
        form.addRow(self.to_box, self.to_edit)
        form.addRow("Entity", self.entity_combo)
        form.addRow("Annotations tagged", self.tag_combo)

        options = QWidget()
        opt_layout = QVBoxLayout(options)
        opt_layout.setContentsMargins(0, 0, 0, 0)
        opt_layout.addWidget(preset_box)
        opt_layout.addWidget(sections)
        opt_layout.addWidget(narrow)
        opt_layout.addStretch(1)

        self.preview = InertTextBrowser()
        self.preview.setOpenExternalLinks(True)
        self.preview.setPlaceholderText("Preparing the preview…")
        self.status = plain_label("Preparing the preview…")

        splitter = QSplitter()
        splitter.addWidget(options)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])

        self.save_md_button = QPushButton("Save as Markdown…")
        self.save_html_button = QPushButton("Save as HTML…")
        self.save_text_button = QPushButton("Save as Text…")
        self.save_text_button.setToolTip("Save the brief as plain text (nothing escaped)")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy the summary (Markdown, and HTML for rich editors)")
        self.copy_text_button = QPushButton("Copy as Text")
        self.copy_text_button.setToolTip(
            "Copy the brief as plain text, for a memo or an e-mail (nothing escaped)"
        )
        self.save_md_button.clicked.connect(lambda: self._on_save_clicked("md"))
        self.save_html_button.clicked.connect(lambda: self._on_save_clicked("html"))
        self.save_text_button.clicked.connect(lambda: self._on_save_clicked("txt"))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.copy_text_button.clicked.connect(self._on_copy_text_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.copy_text_button)
        row.addWidget(self.save_md_button)
        row.addWidget(self.save_html_button)
        row.addWidget(self.save_text_button)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._render)

        self._restore()
        if preset is not None:
            self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(preset), 0))
        self._show_preset()
        self._loading = False
        self._render()

    # -- options -------------------------------------------------------------------------------

    def _date_edit(self, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMMM yyyy")
        return edit

    def _case_dates(self) -> tuple[QDate, QDate]:
        row = self.case.conn.execute(
            "SELECT min(d), max(d) FROM (SELECT date_start AS d FROM events "
            "WHERE status != 'rejected' UNION ALL SELECT date_end FROM events "
            "WHERE status != 'rejected' UNION ALL SELECT substr(published, 1, 10) "
            "FROM documents WHERE published IS NOT NULL)"
        ).fetchone()
        first = QDate.fromString(str(row[0] or ""), "yyyy-MM-dd")
        last = QDate.fromString(str(row[1] or ""), "yyyy-MM-dd")
        # A case with no dates yet: the current year is as good a start as any.
        fallback = QDate(QDate.currentDate().year(), 1, 1)
        return (first if first.isValid() else fallback, last if last.isValid() else fallback)

    def _entities(self) -> list[tuple[int, str, str]]:
        kinds = ", ".join(f"'{k}'" for k in _ENTITY_KINDS)
        rows = self.case.conn.execute(
            f"SELECT id, kind, name FROM entities WHERE kind IN ({kinds}) "
            "AND status != 'rejected' ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        return [(int(i), str(k), str(n)) for i, k, n in rows]

    def preset(self) -> str:
        """``SUMMARY`` or ``BRIEF``."""
        return str(self.preset_combo.currentData() or SUMMARY)

    def _show_preset(self) -> None:
        brief = self.preset() == BRIEF
        self.preset_help.setVisible(brief)
        self.sections_group.setEnabled(not brief)
        self.narrow_group.setEnabled(not brief)
        self.save_text_button.setVisible(brief)
        self.copy_text_button.setVisible(brief)
        noun = "brief" if brief else "summary"
        self.setWindowTitle(f"Export {noun} — {self.case.name}")
        self.copy_button.setToolTip(f"Copy the {noun} (Markdown, and HTML for rich editors)")

    def _on_preset_changed(self, *_args: object) -> None:
        self._show_preset()
        self._on_option_changed()

    def options(self) -> ExportOptions:
        """The options the dialog shows now."""
        return ExportOptions(
            confirmed_only=self.confirmed_box.isChecked(),
            date_from=self.from_edit.date().toString("yyyy-MM-dd")
            if self.from_box.isChecked()
            else None,
            date_to=self.to_edit.date().toString("yyyy-MM-dd") if self.to_box.isChecked() else None,
            entity_id=self.entity_combo.currentData(),
            tag=self.tag_combo.currentData(),
            sections=tuple(n for n in SECTIONS if self.section_boxes[n].isChecked()),
        )

    def _restore(self) -> None:
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            found = self.preset_combo.findData(str(s.value("preset", SUMMARY) or SUMMARY))
            self.preset_combo.setCurrentIndex(max(found, 0))
            sections = s.value("sections")
            if sections is not None:
                chosen = [sections] if isinstance(sections, str) else list(sections or [])
                for name, box in self.section_boxes.items():
                    box.setChecked(name in chosen)
            self.confirmed_box.setChecked(_as_bool(s.value("confirmed_only", False)))
            for key, box, edit in (
                ("date_from", self.from_box, self.from_edit),
                ("date_to", self.to_box, self.to_edit),
            ):
                day = QDate.fromString(str(s.value(key, "") or ""), "yyyy-MM-dd")
                if day.isValid():
                    edit.setDate(day)
                    box.setChecked(True)
            entity = str(s.value("entity", "") or "")
            if entity:
                found = self.entity_combo.findText(entity)
                if found >= 0:
                    self.entity_combo.setCurrentIndex(found)
            tag = str(s.value("tag", "") or "")
            if tag:
                found = self.tag_combo.findData(tag)
                if found >= 0:
                    self.tag_combo.setCurrentIndex(found)
        finally:
            s.endGroup()

    def _remember(self) -> None:
        o = self.options()
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            # An empty list reads back as None from some formats: store a marker-free string.
            s.setValue("preset", self.preset())
            s.setValue("sections", list(o.sections) if o.sections else "")
            s.setValue("confirmed_only", o.confirmed_only)
            s.setValue("date_from", o.date_from or "")
            s.setValue("date_to", o.date_to or "")
            s.setValue("entity", self.entity_combo.currentText() if o.entity_id else "")
            s.setValue("tag", o.tag or "")
        finally:
            s.endGroup()

    def _on_option_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._remember()
        self._generation += 1
        self.status.setText("Updating the preview…")
        self._timer.start()

    # -- preview -------------------------------------------------------------------------------

    def _render(self) -> None:
        if self._worker is not None:
            self._pending = True  # render again when the running one finishes
            return
        self._pending = False
        worker = PreviewWorker(
            self.case.path, self.options(), self._generation, self, self.preset()
        )
        worker.preview_rendered.connect(self._on_worker_preview_rendered)
        worker.preview_failed.connect(self._on_worker_preview_failed)
        worker.finished.connect(self._on_worker_finished)
        self._worker = worker
        worker.start()

    def _on_worker_finished(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.deleteLater()
        if self._pending:
            self._render()

    def _on_worker_preview_rendered(
        self, generation: int, text: str, page: str, truncated: bool, plain: str
    ) -> None:
        if generation != self._generation:
            return  # options changed meanwhile; a newer render follows
        self._markdown = text
        self._plain = plain or None
        self._shown = generation
        bar = self.preview.verticalScrollBar()
        keep = bar.value()
        self.preview.setHtml(page)
        bar.setValue(keep)
        words = len(text.split())
        note = " — the preview shows the first part" if truncated else ""
        self.status.setText(f"{words:,} words{note}")
        self.preview_updated.emit()

    def _on_worker_preview_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._markdown = self._plain = None
        self.preview.setPlainText(message)
        self.status.setText("The summary cannot be made with these options")
        self.preview_updated.emit()

    def current_markdown(self) -> str:
        """The summary or brief for the options shown now (rendered here if the preview lags)."""
        if self._markdown is not None and self._shown == self._generation:
            return self._markdown
        return export_markdown(self.case, self.preset(), self.options())

    # -- save and copy -------------------------------------------------------------------------

    def _title(self) -> str:
        return f"{self.case.name} — {'brief' if self.preset() == BRIEF else 'summary'}"

    def save_to(self, path: Path) -> Path:
        """Write the summary or brief to ``path`` (Markdown, HTML or, for the brief, text by
        its suffix), atomically, now."""
        if path.suffix.lower() in TEXT_SUFFIXES and self.preset() == BRIEF:
            written = write_atomic(path, brief_text(self.case))
        else:
            written = write_summary(path, self.current_markdown(), self._title())
        self._on_saver_summary_written(str(written))
        return written

    def _on_save_clicked(self, kind: str) -> None:
        folder = str(self._settings.value(f"{SETTINGS_GROUP}/last_dir", "") or Path.home())
        noun = "brief" if self.preset() == BRIEF else "summary"
        stem = re.sub(r"[\\/:*?\"<>|]+", "-", self.case.name).strip() or noun
        if kind == "html":
            caption, filt, suffix = f"Save {noun} as HTML", "HTML page (*.html *.htm)", ".html"
            known = (".html", ".htm")
        elif kind == "txt":
            caption, filt, suffix = f"Save {noun} as text", "Plain text (*.txt)", ".txt"
            known = TEXT_SUFFIXES
        else:
            caption, filt, suffix = f"Save {noun} as Markdown", "Markdown (*.md *.markdown)", ".md"
            known = (".md", ".markdown")
        chosen, _ = QFileDialog.getSaveFileName(
            self, caption, str(Path(folder) / f"{stem} {noun}{suffix}"), filt
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in known:
            path = path.with_name(path.name + suffix)
        current = self._markdown if self._shown == self._generation else None
        saver = SaveWorker(
            self.case.path, self.options(), current, path, self._title(), self, self.preset()
        )
        saver.summary_written.connect(self._on_saver_summary_written)
        saver.save_failed.connect(self._on_saver_save_failed)
        saver.finished.connect(self._on_saver_finished)
        self._savers.append(saver)
        self._set_saving(True)
        self.status.setText(f"Saving {path.name}…")
        saver.start()

    def _set_saving(self, busy: bool) -> None:
        for button in (self.save_md_button, self.save_html_button, self.save_text_button):
            button.setEnabled(not busy)

    def _on_saver_finished(self) -> None:
        saver = self.sender()
        self._savers = [s for s in self._savers if s is not saver]
        if isinstance(saver, SaveWorker):
            saver.deleteLater()
        self._set_saving(bool(self._savers))

    def _on_saver_summary_written(self, path: str) -> None:
        written = Path(path)
        self._settings.setValue(f"{SETTINGS_GROUP}/last_dir", str(written.parent))
        self.status.setText(f"Saved {written.name}")
        self.summary_saved.emit(path)

    def _on_saver_save_failed(self, message: str) -> None:
        self.status.setText("Not saved")
        QMessageBox.warning(self, "Export summary", inert(message))

    def _on_copy_clicked(self) -> None:
        try:
            text = self.current_markdown()
        except ValueError as exc:
            QMessageBox.warning(self, "Export summary", inert(str(exc)))
            return
        mime = QMimeData()
        mime.setText(text)
        if len(text) <= PREVIEW_LIMIT:  # rich text for editors; a huge page would stall here
            mime.setHtml(html_page(text, self._title()))
        QGuiApplication.clipboard().setMimeData(mime)
        noun = "brief" if self.preset() == BRIEF else "summary"
        self.status.setText(f"Copied the {noun} to the clipboard")

    def _on_copy_text_clicked(self) -> None:
        """The brief as plain text: what a memo or an e-mail takes, with nothing escaped."""
        current = self._plain if self._shown == self._generation else None
        QGuiApplication.clipboard().setText(current or brief_text(self.case))
        self.status.setText("Copied the brief to the clipboard as plain text")

    def done(self, result: int) -> None:
        self._timer.stop()
        if self._worker is not None:
            self._pending = False
            self._worker.wait()
        for saver in list(self._savers):
            saver.wait()  # a file being written is finished, never left half-done
        super().done(result)


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


__all__ = [
    "BRIEF",
    "SUMMARY",
    "ExportDialog",
    "PreviewWorker",
    "SaveWorker",
    "export_markdown",
    "preview_markdown",
    "write_summary",
]

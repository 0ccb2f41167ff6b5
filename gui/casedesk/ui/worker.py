"""Import and extraction off the GUI thread, with progress and cancel.

The worker opens its own connection to the case file (SQLite connections belong to one thread;
WAL lets the window keep reading meanwhile). Work is done a file and a document at a time, so
Cancel takes effect between two of them and leaves every finished one in the case.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from casedesk.store import Case, CaseError


@dataclass
class ImportSummary:
    imported: list[tuple[str, int]] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    extracted: int = 0
    extraction_error: str | None = None
    cancelled: bool = False


class ImportWorker(QThread):
    """Imports paths (or the sample) into a case file and extracts facts from what came in.

    Signals:
        progress_changed(int, int, str): done, total and what is being done now.
        import_finished(object): an ``ImportSummary`` (also when cancelled).
        import_failed(str): the work could not start or stopped on an error.
        documents_imported(): the documents are in the case; extraction follows (the window
            lists them at once so they can be read meanwhile).
    """

    progress_changed = Signal(int, int, str)
    documents_imported = Signal()
    import_finished = Signal(object)
    import_failed = Signal(str)

    def __init__(
        self,
        case_path: Path,
        paths: list[Path] | None = None,
        *,
        sample: bool = False,
        extract_ids: list[int] | None = None,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.case_path = case_path
        self.paths = list(paths or [])
        self.sample = sample
        self.extract_ids = list(extract_ids or [])
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def run(self) -> None:
        try:
            case = Case.open(self.case_path)
        except CaseError as exc:
            self.import_failed.emit(str(exc))
            return
        try:
            self.import_finished.emit(self._work(case))
        except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a crash
            traceback.print_exc()
            self.import_failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            case.close()

    def _work(self, case: Case) -> ImportSummary:
        summary = ImportSummary()
        try:
            import casedesk.ingest as ingest

            import_paths = ingest.import_paths
            import_sample = ingest.import_sample
        except (ImportError, AttributeError):
            if self.paths or self.sample:
                summary.failed.append(
                    ("import", "importing is not available in this build of Casedesk")
                )
                return summary
        if self.sample:
            self.progress_changed.emit(0, 0, "Importing the sample articles…")
            self._absorb(summary, import_sample(case))
        if self.paths:
            self.progress_changed.emit(0, 0, "Importing…")

            def progress(done: int, total: int, path: Path) -> None:
                self.progress_changed.emit(done, total, f"Imported {path.name}")

            try:
                self._absorb(
                    summary,
                    import_paths(
                        case, self.paths, progress=progress, cancel=lambda: self._cancelled
                    ),
                )
            except Exception as exc:  # noqa: BLE001 - a failure is reported, never a crash
                summary.failed.append((", ".join(p.name for p in self.paths[:3]), str(exc)))
            if self._cancelled:
                summary.cancelled = True
                return summary
        doc_ids = self.extract_ids + [doc_id for _, doc_id in summary.imported]
        if summary.imported:
            self.documents_imported.emit()
        if doc_ids:
            self._extract(case, doc_ids, summary)
        return summary

    @staticmethod
    def _absorb(summary: ImportSummary, report: object) -> None:
        summary.imported += [(str(p), int(d)) for p, d in getattr(report, "imported", [])]
        summary.duplicates += [(str(p), int(d)) for p, d in getattr(report, "duplicates", [])]
        summary.failed += [(str(p), str(r)) for p, r in getattr(report, "failed", [])]

    def _extract(self, case: Case, doc_ids: list[int], summary: ImportSummary) -> None:
        total = len(doc_ids)
        self.progress_changed.emit(0, 0, "Loading the language model…")
        try:
            from casedesk.extract.pipeline import extract_documents
        except ImportError as exc:
            summary.extraction_error = f"fact extraction is not available in this build ({exc})"
            return

        def progress(done: int, total: int) -> None:
            self.progress_changed.emit(done, total, f"Extracting facts ({done} of {total})…")

        self.progress_changed.emit(0, total, f"Extracting facts (0 of {total})…")
        # Large imports parse in a second process (the pipeline only starts processes when
        # there are enough documents for each).
        results = extract_documents(
            case,
            doc_ids,
            progress=progress,
            cancel=lambda: self._cancelled,
            workers=min(2, os.cpu_count() or 1),
        )
        errors = [r for r in results if getattr(r, "error", None)]
        summary.extracted = len(results) - len(errors)
        if errors:
            summary.extraction_error = "; ".join(
                f"document {getattr(r, 'document_id', '?')}: {r.error}" for r in errors[:5]
            )
        if self._cancelled and len(results) < total:
            summary.cancelled = True
        self.progress_changed.emit(total, total, "Done")


class PropertiesWorker(QThread):
    """Changes a document's properties in its own connection, off the GUI thread.

    A new publication date extracts the document's facts again, and the first time that loads
    the language model (seconds), so it must not run on the GUI thread. The window records the
    finished change as one undoable step.

    Signals:
        progress_changed(int, int, str): done, total and what is being done now.
        properties_changed(object): what ``edits.set_document_properties`` returned (the
            previous values, which undo hands back).
        properties_failed(str, bool): the reason, and whether the user asked for something
            impossible (a refused edit) rather than storage failing.
    """

    progress_changed = Signal(int, int, str)
    properties_changed = Signal(object)
    properties_failed = Signal(str, bool)

    def __init__(
        self, case_path: Path, doc_id: int, fields: dict[str, object], parent: object = None
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.case_path = case_path
        self.doc_id = doc_id
        self.fields = dict(fields)
        # Undo and redo of a date change hand their result here instead of recording a step.
        self.finished_callback: Callable[[dict[str, Any] | None, str | None], None] | None = None

    def cancel(self) -> None:
        """One document's change is a single step: it cannot stop halfway."""

    def run(self) -> None:
        from casedesk import edits

        try:
            case = Case.open(self.case_path)
        except CaseError as exc:
            self.properties_failed.emit(str(exc), False)
            return
        try:
            if "published" in self.fields:
                self.progress_changed.emit(0, 0, "Loading the language model…")
                try:
                    from casedesk.extract.nlp import get_nlp
                except ImportError:
                    pass
                else:
                    get_nlp()
                self.progress_changed.emit(0, 0, "Reading the document's dates again…")
            old = edits.set_document_properties(case, self.doc_id, self.fields)
        except edits.EditError as exc:
            self.properties_failed.emit(str(exc), True)
        except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a crash
            traceback.print_exc()
            self.properties_failed.emit(f"{type(exc).__name__}: {exc}", False)
        else:
            self.properties_changed.emit(old)
        finally:
            case.close()

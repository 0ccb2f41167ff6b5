"""Import and extraction off the GUI thread, with progress and cancel.

An import runs in a process of its own (started with "spawn"), and the worker thread only
relays what that process reports. Reading files (trafilatura, pypdf), the search index, fact
extraction and the writing stage's entity resolver are all Python that holds the interpreter
lock while it runs; in the window's process they would make every repaint wait for it, and the
language model would stay in the window's memory. The process opens its own connection to the
case file (WAL lets the window keep reading meanwhile), runs at a lower priority than the
window, and extracts with ``isolate=True``, so the model parses in a further process while the
import process writes. When no process can be started (a sandbox without fork/exec), the same
work runs in the worker thread, still with ``isolate=True``.

Work is done a file and a document at a time, so Cancel takes effect between two of them and
leaves every finished one in the case.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from casedesk.store import Case, CaseError

# Added to the import process's niceness (its parsing processes inherit it).
IMPORT_NICENESS = 5
Report = Callable[..., object]  # report("progress", done, total, label) or report("imported")


@dataclass
class ImportSummary:
    imported: list[tuple[str, int]] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    extracted: int = 0
    extraction_error: str | None = None
    cancelled: bool = False
    process_id: int = 0  # the process that did the work (not the window's, normally)


@dataclass
class ImportJob:
    """What to import and extract; plain data, so it can be handed to another process."""

    case_path: Path
    paths: list[Path] = field(default_factory=list)
    sample: bool = False
    extract_ids: list[int] = field(default_factory=list)
    workers: int = 1
    extract_label: str = "Extracting facts"  # what the progress says extraction is doing


def run_import(job: ImportJob, report: Report, cancelled: Callable[[], bool]) -> ImportSummary:
    """Import ``job``'s files (or the sample) and extract facts from what came in and from
    ``extract_ids``. Runs in the import process, or in the worker thread as a fallback."""
    try:
        case = Case.open(job.case_path)
    except CaseError as exc:
        raise _Failed(str(exc)) from exc
    try:
        return _import(case, job, report, cancelled)
    finally:
        case.close()


class _Failed(Exception):
    """The work could not start; the message is for the user as it is."""


def _import(
    case: Case, job: ImportJob, report: Report, cancelled: Callable[[], bool]
) -> ImportSummary:
    summary = ImportSummary(process_id=os.getpid())
    try:
        import casedesk.ingest as ingest

        import_paths = ingest.import_paths
        import_sample = ingest.import_sample
    except (ImportError, AttributeError):
        if job.paths or job.sample:
            summary.failed.append(
                ("import", "importing is not available in this build of Casedesk")
            )
            return summary
    if job.sample:
        report("progress", 0, 0, "Importing the sample articles…")
        _absorb(summary, import_sample(case))
    if job.paths:
        report("progress", 0, 0, "Importing…")

        def progress(done: int, total: int, path: Path) -> None:
            report("progress", done, total, f"Imported {path.name}")

        def detail(done: int, total: int, path: Path, line: str) -> None:
            report("progress", done, total, f"{path.name}: {line}")

        try:
            found = import_paths(
                case, job.paths, progress=progress, cancel=cancelled, detail=detail
            )
            _absorb(summary, found)
        except Exception as exc:  # noqa: BLE001 - a failure is reported, never a crash
            summary.failed.append((", ".join(p.name for p in job.paths[:3]), str(exc)))
        if cancelled():
            summary.cancelled = True
            return summary
    doc_ids = job.extract_ids + [doc_id for _, doc_id in summary.imported]
    if summary.imported:
        report("imported")
    if doc_ids:
        _extract(case, doc_ids, summary, job.workers, report, cancelled, job.extract_label)
    return summary


def _absorb(summary: ImportSummary, found: object) -> None:
    summary.imported += [(str(p), int(d)) for p, d in getattr(found, "imported", [])]
    summary.duplicates += [(str(p), int(d)) for p, d in getattr(found, "duplicates", [])]
    summary.failed += [(str(p), str(r)) for p, r in getattr(found, "failed", [])]


def _extract(
    case: Case,
    doc_ids: list[int],
    summary: ImportSummary,
    workers: int,
    report: Report,
    cancelled: Callable[[], bool],
    label: str = "Extracting facts",
) -> None:
    total = len(doc_ids)
    report("progress", 0, 0, "Loading the language model…")
    try:
        from casedesk.extract.pipeline import extract_documents
    except ImportError as exc:
        summary.extraction_error = f"fact extraction is not available in this build ({exc})"
        return

    def progress(done: int, total: int) -> None:
        report("progress", done, total, f"{label} ({done} of {total})…")

    report("progress", 0, total, f"{label} (0 of {total})…")
    # isolate: the model is never loaded or run in this process (with many documents, parsing
    # runs in ``workers`` processes while this one writes).
    results = extract_documents(
        case, doc_ids, progress=progress, cancel=cancelled, workers=workers, isolate=True
    )
    errors = [r for r in results if getattr(r, "error", None)]
    summary.extracted = len(results) - len(errors)
    if errors:
        summary.extraction_error = "; ".join(
            f"document {getattr(r, 'document_id', '?')}: {r.error}" for r in errors[:5]
        )
    if cancelled() and len(results) < total:
        summary.cancelled = True
    report("progress", total, total, "Done")


def _import_process_main(job: ImportJob, conn: Any, cancelled_before: bool) -> None:
    """The import process: do the work, sending every report and the outcome to the window,
    which sends "cancel" on the same pipe when the user cancels."""
    asked = [cancelled_before]

    def report(*message: Any) -> None:
        conn.send(message)

    def cancelled() -> bool:
        try:
            while not asked[0] and conn.poll():
                asked[0] = conn.recv() == "cancel"
        except (EOFError, OSError):
            asked[0] = True  # the window is gone: stop after this document
        return asked[0]

    with contextlib.suppress(OSError, AttributeError):  # not on every system
        # Background work: when both compete for a core, the window (and the user) go first.
        os.nice(IMPORT_NICENESS)
    try:
        report("finished", run_import(job, report, cancelled))
    except _Failed as exc:
        report("failed", str(exc))
    except (BrokenPipeError, EOFError):
        pass  # the window is gone; the case keeps what was finished
    except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a crash
        traceback.print_exc()
        report("failed", f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


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

    POLL_SECONDS = 0.05

    def __init__(
        self,
        case_path: Path,
        paths: list[Path] | None = None,
        *,
        sample: bool = False,
        extract_ids: list[int] | None = None,
        extract_label: str = "Extracting facts",
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.case_path = case_path
        self.paths = list(paths or [])
        self.sample = sample
        self.extract_ids = list(extract_ids or [])
        self.extract_label = extract_label
        # False: do the work in this thread (the fallback when no process can be started).
        self.use_process = True
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def job(self) -> ImportJob:
        return ImportJob(
            case_path=self.case_path,
            paths=list(self.paths),
            sample=self.sample,
            extract_ids=list(self.extract_ids),
            workers=min(2, os.cpu_count() or 1),
            extract_label=self.extract_label,
        )

    def run(self) -> None:
        if self.use_process:
            try:
                if self._run_in_process():
                    return
                reason = "the import process could not start"
            except (OSError, RuntimeError) as exc:
                reason = str(exc)
            except Exception as exc:  # noqa: BLE001 - a message for the user, never a lost thread
                traceback.print_exc()
                self.import_failed.emit(f"{type(exc).__name__}: {exc}")
                return
            # No process can run here: do the work in this thread instead.
            print(f"casedesk: importing in the window's process ({reason})", file=sys.stderr)
        self._run_here()

    def _relay(self, message: tuple[Any, ...]) -> bool:
        """Pass one report on as a signal; True when it was the last one."""
        kind = message[0]
        if kind == "progress":
            self.progress_changed.emit(*message[1:])
        elif kind == "imported":
            self.documents_imported.emit()
        elif kind == "finished":
            self.import_finished.emit(message[1])
            return True
        elif kind == "failed":
            self.import_failed.emit(message[1])
            return True
        return False

    def _run_here(self) -> None:
        try:
            summary = run_import(self.job(), lambda *m: self._relay(m), lambda: self._cancelled)
        except _Failed as exc:
            self.import_failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a crash
            traceback.print_exc()
            self.import_failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.import_finished.emit(summary)

    def _run_in_process(self) -> bool:
        """Run the job in an import process; False if that process never got going."""
        context = get_context("spawn")
        conn, process_end = context.Pipe()
        process = context.Process(
            target=_import_process_main,
            args=(self.job(), process_end, self._cancelled),
            name="casedesk-import",
        )
        process.start()
        process_end.close()  # the process holds it; EOF here means the process has gone
        ended = heard = told = False
        try:
            while not ended:
                if self._cancelled and not told:
                    with contextlib.suppress(OSError):
                        conn.send("cancel")
                    told = True
                # Waiting on the pipe releases the interpreter lock: the window paints meanwhile.
                if not conn.poll(self.POLL_SECONDS):
                    continue
                try:
                    message = conn.recv()
                except EOFError:
                    break
                heard = True
                ended = self._relay(message)
        finally:
            conn.close()
            process.join()
        if not heard:
            return False
        if not ended:
            self.import_failed.emit(
                f"the import stopped unexpectedly (its process exited with code "
                f"{process.exitcode}); the documents finished before are in the case"
            )
        return True


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
                self.progress_changed.emit(0, 0, "Reading the document's dates again…")
            # The document is parsed in a process of its own: loading and running the model
            # here would hold the interpreter the window paints with.
            old = edits.set_document_properties(case, self.doc_id, self.fields, isolate=True)
        except edits.EditError as exc:
            self.properties_failed.emit(str(exc), True)
        except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a crash
            traceback.print_exc()
            self.properties_failed.emit(f"{type(exc).__name__}: {exc}", False)
        else:
            self.properties_changed.emit(old)
        finally:
            case.close()


class BackupWorker(QThread):
    """Makes the daily backup of a case off the GUI thread (a big case takes seconds).

    Signals:
        backup_made(object): the new backup's path, or None when none was due.
        backup_failed(str): why it could not be made.
    """

    backup_made = Signal(object)
    backup_failed = Signal(str)

    def __init__(self, case_path: Path, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.case_path = case_path

    def run(self) -> None:
        from casedesk import backups

        try:
            made = backups.make_daily_apart(self.case_path)
        except CaseError as exc:
            self.backup_failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a message, never a lost thread
            traceback.print_exc()
            self.backup_failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.backup_made.emit(made)

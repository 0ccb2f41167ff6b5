"""The import worker: the work runs in a process of its own, reports live progress, cancels
between documents, and falls back to its thread where no process can start; the window shows
progress without repainting for every document."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from casedesk.store import Case
from casedesk.ui import worker as worker_module
from casedesk.ui.main_window import PROGRESS_INTERVAL_MS, MainWindow
from casedesk.ui.worker import ImportSummary, ImportWorker

ARTICLE = (
    "Trade Minister Anna Berg said on Tuesday that Sweden will restrict exports of lithium "
    "hydroxide from next month. Officials met in Stockholm on March 3, 2020.\n"
)


def _articles(folder: Path, n: int) -> list[Path]:
    files = []
    for i in range(n):
        path = folder / f"article_{i:02d}.txt"
        path.write_text(f"Report {i}\n\n{ARTICLE}", "utf-8")
        files.append(path)
    return files


def _run(qtbot: QtBot, worker: ImportWorker) -> tuple[ImportSummary, list[tuple[int, int, str]]]:
    progress: list[tuple[int, int, str]] = []
    worker.progress_changed.connect(
        lambda done, total, label: progress.append((done, total, label))
    )
    with qtbot.waitSignal(worker.import_finished, timeout=120_000) as blocker:
        worker.start()
    worker.wait()
    summary = blocker.args[0]
    assert isinstance(summary, ImportSummary)
    return summary, progress


def _facts(path: Path) -> int:
    with Case.open(path) as case:
        return int(case.conn.execute("SELECT count(*) FROM facts").fetchone()[0])


def test_import_and_extraction_run_outside_the_windows_process(
    qtbot: QtBot, case: Case, tmp_path: Path
) -> None:
    files = _articles(tmp_path, 2)
    summary, progress = _run(qtbot, ImportWorker(case.path, files))
    assert summary.process_id not in (0, os.getpid())
    assert len(summary.imported) == 2 and summary.extracted == 2
    assert summary.extraction_error is None and not summary.cancelled
    assert _facts(case.path) > 0
    # Live progress: the files, then the extraction up to the last document.
    labels = [label for _d, _t, label in progress]
    assert any(label.startswith("Imported article_") for label in labels)
    assert (2, 2, "Extracting facts (2 of 2)…") in progress
    assert progress[-1] == (2, 2, "Done")


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, case: Case, doc_ids: list[int], **kwargs: Any) -> list[Any]:
        self.calls.append({"doc_ids": list(doc_ids), **kwargs})
        return []


def test_extraction_in_the_worker_thread_never_parses_in_the_windows_process(
    qtbot: QtBot, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk.extract import pipeline

    recorder = _Recorder()
    monkeypatch.setattr(pipeline, "extract_documents", recorder)
    worker = ImportWorker(case.path, _articles(tmp_path, 1))
    worker.use_process = False
    summary, _progress = _run(qtbot, worker)
    assert summary.process_id == os.getpid()
    assert len(recorder.calls) == 1
    assert recorder.calls[0]["isolate"] is True
    assert recorder.calls[0]["doc_ids"] == [doc_id for _p, doc_id in summary.imported]


def test_without_processes_the_import_runs_in_the_worker_thread(
    qtbot: QtBot, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casedesk.extract import pipeline

    class NoProcesses:
        def __getattr__(self, name: str) -> Any:
            raise OSError("no processes in this sandbox")

    monkeypatch.setattr(worker_module, "get_context", lambda _method: NoProcesses())
    recorder = _Recorder()
    monkeypatch.setattr(pipeline, "extract_documents", recorder)
    summary, _progress = _run(qtbot, ImportWorker(case.path, _articles(tmp_path, 2)))
    assert summary.process_id == os.getpid()
    assert len(summary.imported) == 2
    assert recorder.calls and recorder.calls[0]["isolate"] is True


def test_cancel_during_extraction_keeps_what_was_finished(
    qtbot: QtBot, case: Case, tmp_path: Path
) -> None:
    files = _articles(tmp_path, 30)
    worker = ImportWorker(case.path, files)

    def on_progress(done: int, total: int, label: str) -> None:
        if label.startswith("Extracting facts") and done >= 1:
            worker.cancel()

    worker.progress_changed.connect(on_progress)
    summary, progress = _run(qtbot, worker)
    assert summary.cancelled
    assert len(summary.imported) == 30  # the files were all in before extraction began
    assert 1 <= summary.extracted < 30
    with Case.open(case.path) as check:
        extracted = check.conn.execute(
            "SELECT count(*) FROM documents WHERE extractor IS NOT NULL"
        ).fetchone()[0]
    assert extracted == summary.extracted


def test_the_window_shows_progress_at_most_every_interval(qtbot: QtBot, window: MainWindow) -> None:
    shown: list[int] = []
    window.progress.valueChanged.connect(shown.append)
    window.progress.show()
    for done in range(1, 101):
        window._on_worker_progress_changed(done, 100, f"Extracting facts ({done} of 100)…")
    # The first report shows at once; the burst after it waits for the interval.
    assert shown == [1]
    assert window.progress_label.text() == "Extracting facts (1 of 100)…"
    qtbot.wait(PROGRESS_INTERVAL_MS + 100)
    assert shown == [1, 100]
    assert window.progress_label.text() == "Extracting facts (100 of 100)…"


def test_the_windows_import_shows_progress_and_finishes_with_everything_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.case is not None and window.timeline is not None
    qtbot.waitUntil(lambda: not window.timeline.view.is_loading())
    events_before = {e.id for e in window.timeline.view.events()}
    values: list[int] = []
    window.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(window.work_finished, timeout=120_000) as blocker:
        window.import_paths(_articles(tmp_path, 3))
        assert window.progress.isVisible() and window.cancel_button.isVisible()
    summary = blocker.args[0]
    assert summary.extracted == 3 and summary.process_id != os.getpid()
    assert values and max(values) >= 1  # the bar moved while the import ran
    assert window.sources_model.rowCount() == 5 + 3
    # By then the timeline shows the new documents' events too.
    new_events = [e for e in window.timeline.view.events() if e.id not in events_before]
    imported = {doc_id for _path, doc_id in summary.imported}
    assert new_events and all(set(e.document_ids) & imported for e in new_events)
    qtbot.waitUntil(lambda: window.worker is None)
    assert not window.progress.isVisible()

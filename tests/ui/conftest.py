"""The sample case, built once per session, and a window opened on a fresh copy of it."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from casedesk.store import Case, now_iso
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings


@pytest.fixture(scope="session", autouse=True)
def _release_clipboard() -> Iterator[None]:
    """Data put on Qt's clipboard from Python must be gone before the interpreter is: the
    clipboard is destroyed after Python has finalised, and deleting a Python-made object then
    crashes the process."""
    yield
    if QApplication.instance() is not None:
        QApplication.clipboard().clear()


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _fallback_facts(case: Case) -> None:
    """Facts of three kinds and a few events, for when the extraction pipeline is absent."""
    stamp = now_iso()
    conn = case.conn
    with case.transaction():
        entity_ids = {}
        for name in ("Japan", "Seoul", "Tokyo"):
            cur = conn.execute(
                "INSERT INTO entities(kind, name, key) VALUES ('place', ?, ?)", (name, name.lower())
            )
            entity_ids[name] = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (entity_ids[name], name, name.lower()),
            )
        for doc_id, text in conn.execute("SELECT id, text FROM documents").fetchall():
            for m in re.finditer(rf"\b(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?", text):
                cur = conn.execute(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, provenance, "
                    "created_at, updated_at) VALUES (?, 'date', ?, ?, ?, ?, 'test', ?, ?)",
                    (doc_id, m.start(), m.end(), m.group(), m.group(), stamp, stamp),
                )
                fact_id = int(cur.lastrowid or 0)
                sentence_start = text.rfind(".", 0, m.start()) + 1
                sentence_end = text.find(".", m.end())
                sentence_end = len(text) if sentence_end < 0 else sentence_end + 1
                while text[sentence_start].isspace():
                    sentence_start += 1
                cur = conn.execute(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, provenance, "
                    "created_at, updated_at) VALUES (?, 'event', ?, ?, ?, '2019-07-04', 'test', "
                    "?, ?)",
                    (
                        doc_id,
                        sentence_start,
                        sentence_end,
                        text[sentence_start:sentence_end],
                        stamp,
                        stamp,
                    ),
                )
                event_fact = int(cur.lastrowid or 0)
                cur = conn.execute(
                    "INSERT INTO events(date, date_start, date_end, precision, title) "
                    "VALUES ('2019-07-04', '2019-07-04', '2019-07-04', 'day', ?)",
                    (text[sentence_start:sentence_end][:60],),
                )
                conn.execute(
                    "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)",
                    (int(cur.lastrowid or 0), event_fact),
                )
                del fact_id
            for name, eid in entity_ids.items():
                for m in re.finditer(rf"\b{name}\b", text):
                    conn.execute(
                        "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
                        "provenance, created_at, updated_at) "
                        "VALUES (?, 'place', ?, ?, ?, ?, ?, 'test', ?, ?)",
                        (doc_id, m.start(), m.end(), name, name, eid, stamp, stamp),
                    )


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample case with facts, written once: extraction if present, else SQL facts."""
    from casedesk.ingest import import_sample

    path = tmp_path_factory.mktemp("sample") / "Sample.casedesk"
    case = Case.create(path, name="Sample case")
    try:
        report = import_sample(case)
        doc_ids = [doc_id for _, doc_id in report.imported]
        try:
            from casedesk.extract.pipeline import extract_documents
        except ImportError:
            _fallback_facts(case)
        else:
            extract_documents(case, doc_ids)
        case.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        case.close()
    return path


@pytest.fixture
def sample_path(sample_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Sample.casedesk"
    shutil.copy(sample_template, target)
    return target


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Window settings in a file of the test's own, never the user's."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: QtBot, sample_path: Path, settings: Settings) -> Iterator[MainWindow]:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_case(sample_path)
    win.resize(1280, 800)
    win.show()
    win.raise_()
    win.activateWindow()
    # Offscreen, activation can lag behind earlier windows' teardown; ask for it directly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        QApplication.setActiveWindow(win)
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.cancel_work(wait=True)


@pytest.fixture(autouse=True)
def _no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog nobody expected fails the test instead of hanging the run."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    def unexpected(name: str) -> object:
        def fail(*args: object, **kwargs: object) -> None:
            texts = [a for a in args if isinstance(a, str)]
            raise AssertionError(f"unexpected modal {name}: {texts}")

        return fail

    for name in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, unexpected(f"QMessageBox.{name}"))
    monkeypatch.setattr(QMessageBox, "exec", unexpected("QMessageBox.exec"))
    for name in ("getText", "getItem", "getInt", "getDouble"):
        monkeypatch.setattr(QInputDialog, name, unexpected(f"QInputDialog.{name}"))

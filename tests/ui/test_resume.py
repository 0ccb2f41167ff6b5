"""Documents an interrupted import left unextracted are extracted when the case is opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from casedesk.ingest import import_paths
from casedesk.store import Case
from casedesk.ui.main_window import MainWindow
from casedesk.ui.settings import Settings
from casedesk.ui.worker import ImportWorker


def test_opening_a_case_extracts_what_was_left_unextracted(qtbot: QtBot, tmp_path: Path) -> None:
    article = tmp_path / "wire.txt"
    article.write_text(
        "Trade Minister Anna Berg said on Tuesday that Sweden will restrict exports of "
        "lithium hydroxide from next month.\n"
    )
    path = tmp_path / "c.casedesk"
    with Case.create(path) as case:
        report = import_paths(case, [article])  # imported, then the app was killed
        assert report.imported
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.work_finished, timeout=120_000):
        assert window.open_case(path)
    assert window.case is not None
    facts = window.case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert facts > 0


def test_a_case_extracted_by_another_version_is_extracted_again_on_open(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from casedesk import entity_edits
    from casedesk.extract.pipeline import EXTRACTOR_VERSION, extract_documents

    article = tmp_path / "mill.txt"
    article.write_text(
        "Mill owner Petra Lund said on Tuesday that the Stora Mill will close in June. "
        "The Stora Mill Company denied that it had ignored safety warnings.\n"
    )
    path = tmp_path / "old.casedesk"
    with Case.create(path) as case:
        report = import_paths(case, [article])
        extract_documents(case, [d for _, d in report.imported])
        conn = case.conn
        claim = conn.execute("SELECT id FROM facts WHERE kind = 'claim' LIMIT 1").fetchone()[0]
        date = conn.execute("SELECT id FROM facts WHERE kind = 'date' LIMIT 1").fetchone()[0]
        entity_edits.set_facts_status(case, [claim], "confirmed")
        entity_edits.set_facts_status(case, [date], "rejected")
        person = conn.execute(
            "SELECT entity_id FROM facts WHERE kind = 'person' AND text = 'Petra Lund'"
        ).fetchone()[0]
        entity_edits.rename_entity(case, person, "Petra K. Lund")
        # as an earlier Casedesk left it: other facts, another version
        conn.execute("DELETE FROM facts WHERE status = 'extracted' AND kind = 'claim'")
        conn.execute("UPDATE documents SET extractor = 'casedesk-extract 1'")
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    labels: list[str] = []
    start_work = window.start_work

    def watch(worker: ImportWorker) -> None:  # the progress the status bar shows
        worker.progress_changed.connect(lambda _d, _t, label: labels.append(label))
        start_work(worker)

    window.start_work = watch  # type: ignore[method-assign]
    with qtbot.waitSignal(window.work_finished, timeout=120_000):
        assert window.open_case(path)
    assert any(label.startswith("Updating facts to this version") for label in labels), labels
    assert window.case is not None
    conn = window.case.conn
    assert conn.execute("SELECT DISTINCT extractor FROM documents").fetchall() == [
        (EXTRACTOR_VERSION,)
    ]
    assert dict(conn.execute("SELECT id, status FROM facts WHERE status != 'extracted'")) == {
        claim: "confirmed",
        date: "rejected",
    }
    assert conn.execute(
        "SELECT e.name FROM facts f JOIN entities e ON e.id = f.entity_id "
        "WHERE f.kind = 'person' AND f.text = 'Petra Lund'"
    ).fetchall() == [("Petra K. Lund",)]
    # the machine claims are back, with their polarity
    polarities = {
        p
        for (p,) in conn.execute(
            "SELECT json_extract(attrs, '$.polarity') FROM facts WHERE kind = 'claim'"
        )
    }
    assert polarities == {"asserts", "denies"}
    window.set_case(None)

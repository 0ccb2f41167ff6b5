"""The window on case files another program left with hostile content (see bench/faults.py's
DAMAGE): it opens them and shows what it can, or says in one message which file and what is
wrong; no exception reaches Qt. And a window closed while it extracts what an interrupted
import left raises nothing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from faults import DAMAGE, damage_case  # noqa: E402

from casedesk.ingest import import_paths  # noqa: E402
from casedesk.store import Case  # noqa: E402
from casedesk.ui.main_window import MainWindow  # noqa: E402
from casedesk.ui.settings import Settings  # noqa: E402


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_the_window_opens_a_hostile_case_or_says_why(
    qtbot: QtBot,
    sample_template: Path,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    path = tmp_path / "hostile.casedesk"
    shutil.copyfile(sample_template, path)
    damage_case(path, damage)
    said: list[str] = []
    for name in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda _p, _t, text, *_a: said.append(text))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    if window.open_case(path):
        assert window.case is not None
        for doc_id in window.case.document_ids():
            window.show_document(doc_id)
        window.search_case("export")
        qtbot.wait(50)
        window.cancel_work(wait=True)
    else:
        assert window.case is None
        assert said and str(path) in said[0], said
    assert all(str(path) in text for text in said), said


def test_closing_the_window_during_a_resumed_extraction(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        (folder / f"wire{n}.txt").write_text(
            f"Trade Minister Anna Berg said on {n + 1} March 2021 that Sweden will restrict "
            "exports of lithium hydroxide from next month. " * 20
        )
    path = tmp_path / "c.casedesk"
    with Case.create(path) as case:
        assert import_paths(case, [folder]).imported  # then the app was killed
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    assert window.open_case(path)
    qtbot.waitUntil(lambda: window.worker is not None, timeout=10_000)
    qtbot.wait(300)
    window.close()  # while the extraction runs; what it reports after must find no case
    qtbot.wait(300)
    assert window.case is None

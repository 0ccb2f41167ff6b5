"""What the window shows of the new formats: an e-mail's attachments listed under it, threads
in the Sources list, and OCR'd documents with their low-confidence pages flagged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from casedesk.ingest import import_paths
from casedesk.store import Case
from casedesk.ui.models import SourcesModel
from casedesk.ui.reader import DocumentReader


def _titles(model: SourcesModel) -> list[str]:
    while model.canFetchMore():
        model.fetchMore()
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_attachments_are_listed_indented_under_their_message(
    case: Case, format_files: dict[str, Path], make_formats: Any, qtmodeltester: Any
) -> None:
    import_paths(case, [format_files["mbox"], format_files["odt"]])
    model = SourcesModel(case)
    qtmodeltester.check(model)
    third = case.find_document("archive.mbox#3")
    for column in (0, 1, 2, 5):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            titles = _titles(model)
            at = model.row_of(third)
            expected = ["\u21b3 _notice", "\u21b3 " + make_formats.MEMO_TITLE]
            assert titles[at + 1 : at + 3] == expected, (column, order)
            assert sum(t.startswith("\u21b3 ") for t in titles) == 2
    qtmodeltester.check(model)


def test_the_thread_column_names_the_conversation_and_sorts_it_together(
    case: Case, format_files: dict[str, Path], make_formats: Any, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Harbour notes\n\nA note typed during the inspection.")
    import_paths(case, [format_files["mbox"], note, format_files["eml"]])
    model = SourcesModel(case)
    model.sort(5, Qt.SortOrder.AscendingOrder)
    titles = _titles(model)
    threads = [model.data(model.index(r, 5)) for r in range(model.rowCount())]
    subject = make_formats.THREAD_SUBJECT
    members = [i for i, t in enumerate(threads) if t == subject]
    # Three messages and the two attachments of the last, together and in date order.
    assert members == list(range(members[0], members[0] + 5))
    assert [titles[i] for i in members][:2] == [subject, "Re: " + subject]
    assert threads[model.row_of(case.find_document("note.txt"))] == ""  # not an e-mail
    single = "Question about the Northern Tern fine"  # a message of its own is its thread
    assert threads[titles.index(single)] == single


def _ocr_doc(case: Case, low_page: bool) -> int:
    text = "First page of the notice.\n\nSecond page, badly scanned."
    second = text.index("Second")
    pages = [
        {"page": 1, "start": 0, "end": 25, "confidence": 93.0, "low": False},
        {"page": 2, "start": second, "end": len(text), "confidence": 48.5, "low": low_page},
    ]
    return case.add_document(
        file_name="notice.pdf",
        text=text,
        sha256=("a" if low_page else "b") * 64,
        format="pdf",
        ocr={"engine": "tesseract 5.3.0", "languages": ["eng"], "pages": pages},
    )


def test_low_confidence_pages_are_flagged_in_the_reader(qtbot: Any, case: Case) -> None:
    reader = DocumentReader()
    qtbot.addWidget(reader)
    reader.resize(600, 400)
    reader.show()
    doc_id = _ocr_doc(case, low_page=True)
    reader.show_document(case, doc_id)
    banner = reader.ocr_banner
    assert banner.isVisible()
    assert "Text recognised by OCR from 2 scanned pages (tesseract 5.3.0, eng)" in banner.text()
    assert "Low confidence on page 2 (48 %)" in banner.text()
    text = case.document(doc_id)["text"]
    assert reader.layer("ocr") == [(text.index("Second"), len(text))]
    assert "OCR page 2: low confidence" in reader._tooltip(text.index("badly"))
    assert reader._tooltip(3) == ""

    clean = _ocr_doc(case, low_page=False)
    reader.show_document(case, clean)
    assert banner.isVisible() and "Low confidence" not in banner.text()
    assert reader.layer("ocr") == []

    plain = case.add_document(file_name="a.txt", text="Typed text.", sha256="c" * 64, format="txt")
    reader.show_document(case, plain)
    assert not banner.isVisible()


def test_case_content_in_the_banner_is_plain_text(qtbot: Any, case: Case) -> None:
    reader = DocumentReader()
    qtbot.addWidget(reader)
    doc_id = case.add_document(
        file_name="x.png",
        text="Some recognised words.",
        sha256="d" * 64,
        format="image",
        ocr={"engine": "<img src='/dev/zero'>", "languages": ["<b>eng</b>"], "pages": []},
    )
    reader.show_document(case, doc_id)
    assert reader.ocr_banner.textFormat() == Qt.TextFormat.PlainText
    assert "<img src='/dev/zero'>" in reader.ocr_banner.text()
    assert json.loads(case.document(doc_id)["ocr"])["pages"] == []


def test_the_import_worker_shows_each_page_and_cancel_stops_the_recognition(
    qtbot: Any, case: Case, tmp_path: Path, make_formats: Any
) -> None:
    from casedesk.ui.worker import ImportSummary, ImportWorker

    scan = make_formats.scan_pdf(tmp_path / "letters.pdf", pages=4)
    worker = ImportWorker(case.path, [scan])
    labels: list[str] = []

    def on_progress(_done: int, _total: int, label: str) -> None:
        labels.append(label)
        if "recognising page" in label:
            worker.cancel()

    worker.progress_changed.connect(on_progress)
    with qtbot.waitSignal(worker.import_finished, timeout=120_000) as blocker:
        worker.start()
    worker.wait()
    summary = blocker.args[0]
    assert isinstance(summary, ImportSummary)
    assert "letters.pdf: recognising page 1 (1 of 4 scanned pages)" in labels
    assert not any("page 4" in label for label in labels)
    assert summary.cancelled and summary.imported == [] and summary.failed == []
    assert case.document_ids() == []


def test_the_document_header_names_recipients_and_the_message_of_an_attachment(
    qtbot: Any, case: Case, format_files: dict[str, Path], make_formats: Any
) -> None:
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import Settings

    import_paths(case, [format_files["mbox"]])
    window = MainWindow(Settings())
    qtbot.addWidget(window)
    window.set_case(case)
    window.show_document(case.find_document("archive.mbox#3"))
    assert "to Henrik Dahl" in window.doc_header.text()
    window.show_document(case.find_document("archive.mbox#3/review.docx"))
    header = window.doc_header.text()
    assert f"attached to “Re: {make_formats.THREAD_SUBJECT}”" in header

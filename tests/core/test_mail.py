"""E-mail and saved web pages: a document per message with its header fields, attachments as
child documents, threads, quoted replies flagged; .mhtml and "Web page, complete" folders."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from casedesk.ingest import import_paths
from casedesk.store import Case


def _doc(case: Case, file_name: str) -> dict[str, Any]:
    row = case.conn.execute("SELECT id FROM documents WHERE file_name = ?", (file_name,))
    return case.document(row.fetchone()[0])


def _debris(case: Case, doc_id: int) -> list[tuple[int, int, str]]:
    rows = case.conn.execute(
        "SELECT first_line, last_line, reason FROM boilerplate WHERE document_id = ? "
        "ORDER BY first_line",
        (doc_id,),
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_an_mbox_gives_a_document_per_message_and_attachments_under_their_message(
    case: Case, format_files: dict[str, Path], make_formats: Any
) -> None:
    mbox = format_files["mbox"]
    report = import_paths(case, [mbox])
    assert report.failed == []
    assert len(report.imported) == 22  # 20 messages, a PDF and a Word file attached
    assert {p for p, _ in report.imported} == {mbox}

    first = _doc(case, "archive.mbox#1")
    assert first["format"] == "email"
    assert first["title"] == make_formats.THREAD_SUBJECT
    assert first["publisher"] == "Ingrid Sande"
    assert first["published"] == "2021-03-14" and first["published_evidence"] == "Date: header"
    attrs = json.loads(first["attrs"])
    assert attrs["from"] == ["Ingrid Sande <ingrid.sande@port-elling.example>"]
    assert attrs["to"] == ["Henrik Dahl <henrik.dahl@port-elling.example>"]
    assert first["text"].endswith(make_formats.THREAD_BODIES[0])
    # The header block is greyed and skipped by extraction, the body is not.
    assert _debris(case, first["id"]) == [(0, 3, "message header")]

    third = _doc(case, "archive.mbox#3")
    assert third["published"] == "2021-04-09"
    pdf = _doc(case, "archive.mbox#3/notice.pdf")
    memo = _doc(case, "archive.mbox#3/review.docx")
    assert pdf["parent_id"] == third["id"] and memo["parent_id"] == third["id"]
    assert pdf["format"] == "pdf" and json.loads(pdf["ocr"])["pages"][0]["page"] == 1
    assert make_formats.char_accuracy(make_formats.SCAN_TRANSCRIPT, pdf["text"]) >= 0.97
    assert memo["title"] == make_formats.MEMO_TITLE and memo["publisher"] == "Ingrid Sande"
    assert json.loads(third["attrs"])["attachments"] == ["notice.pdf", "review.docx"]
    assert "Attachments: notice.pdf, review.docx" in third["text"]

    threads = {n: _doc(case, f"archive.mbox#{n}")["thread_id"] for n in range(1, 21)}
    assert threads[1] == threads[2] == threads[3] == json.loads(first["attrs"])["message_id"]
    assert len(set(threads.values())) == 18  # the thread and 17 messages of their own
    assert all(_doc(case, f"archive.mbox#{n}")["parent_id"] is None for n in range(1, 21))

    again = import_paths(case, [mbox])
    assert again.imported == [] and len(again.duplicates) == 22


def test_a_reply_in_another_file_joins_the_thread_of_the_message_it_answers(
    case: Case, tmp_path: Path, make_formats: Any
) -> None:
    import datetime as dt

    when = dt.datetime(2021, 5, 2, 8, 0, tzinfo=dt.UTC)
    original = make_formats.message(
        1,
        make_formats.PEOPLE[0],
        make_formats.PEOPLE[1],
        "Berth 6 audit",
        "The audit starts on Monday.",
        when,
    )
    reply = EmailMessage()
    reply["From"], reply["To"] = "Henrik Dahl <h@x.example>", "Ingrid Sande <i@x.example>"
    reply["Subject"] = "Re: Berth 6 audit"
    reply["Date"] = format_datetime(when + dt.timedelta(hours=1))
    reply["Message-ID"] = "<reply-1@x.example>"
    reply["In-Reply-To"] = original["Message-ID"]  # no References header
    reply.set_content(
        "Agreed, Monday it is.\n\nOn Sunday, Ingrid Sande wrote:\n> The audit starts on "
        "Monday.\n> Please tell the crews.\n\nHenrik"
    )
    first, second = tmp_path / "a.eml", tmp_path / "b.eml"
    first.write_bytes(bytes(original))
    second.write_bytes(bytes(reply))
    report = import_paths(case, [first, second])
    assert report.failed == []
    a, b = (case.document(i) for _, i in report.imported)
    assert a["file_name"] == "a.eml" and b["file_name"] == "b.eml"
    assert a["thread_id"] == b["thread_id"] == original["Message-ID"]
    lines = b["text"].split("\n")
    quoted = [(f, last, why) for f, last, why in _debris(case, b["id"]) if why == "quoted reply"]
    assert [(lines[f], lines[last]) for f, last, _ in quoted] == [
        ("On Sunday, Ingrid Sande wrote:", "> Please tell the crews.")
    ]


def test_an_attachment_casedesk_cannot_read_is_one_line_and_the_message_goes_in(
    case: Case, tmp_path: Path
) -> None:
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "Tomas Berg <t@x.example>", "Photos and a spreadsheet"
    msg["Date"] = "Tue, 4 May 2021 10:00:00 +0200"
    msg.set_content("Attached are the figures for the port's April traffic.")
    msg.add_attachment(
        b"PK\x03\x04 not really", maintype="application", subtype="zip", filename="figures.zip"
    )
    msg.add_attachment(b"", maintype="text", subtype="plain", filename="empty.txt")
    path = tmp_path / "figures.eml"
    path.write_bytes(bytes(msg))
    report = import_paths(case, [path])
    assert len(report.imported) == 1
    assert report.failed == [
        (path, "figures.eml/figures.zip: not a format Casedesk imports (application/zip)"),
        (path, "figures.eml/empty.txt: empty attachment"),
    ]
    doc = case.document(report.imported[0][1])
    assert doc["published"] == "2021-05-04" and doc["publisher"] == "Tomas Berg"


def test_damaged_mail_files_are_refused_one_by_one(case: Case, tmp_path: Path) -> None:
    not_mbox = tmp_path / "notes.mbox"
    not_mbox.write_text("Just some notes, saved with the wrong suffix.\n")
    no_headers = tmp_path / "blank.eml"
    no_headers.write_bytes(b"\n\nbody without any header\n")
    good = tmp_path / "good.eml"
    good.write_bytes(
        b"From: a@x.example\nSubject: Ferry strike\nDate: not a date\n\nThe ferries stopped.\n"
    )
    report = import_paths(case, [not_mbox, no_headers, good])
    reasons = dict(report.failed)
    assert reasons[not_mbox].startswith("not an mbox archive")
    assert reasons[no_headers] == "not an e-mail message (no headers)"
    [(path, doc_id)] = report.imported
    doc = case.document(doc_id)
    assert path == good and doc["published"] is None and doc["title"] == "Ferry strike"


def test_facts_of_an_attachment_are_its_own(
    case: Case, format_files: dict[str, Path], nlp: Any
) -> None:
    from casedesk.extract.pipeline import extract_documents

    import_paths(case, [format_files["mbox"]])
    third = _doc(case, "archive.mbox#3")
    memo = _doc(case, "archive.mbox#3/review.docx")
    extract_documents(case, [third["id"], memo["id"]])
    facts = case.conn.execute("SELECT document_id, kind, text FROM facts").fetchall()
    assert (memo["id"], "date", "20 April 2021") in facts
    assert (third["id"], "date", "20 April 2021") not in facts
    # The header block's date line is not a fact of the message; its body's figures are.
    assert not [t for d, k, t in facts if d == third["id"] and "Apr 2021" in t]


def test_a_saved_web_page_archive_is_read_as_its_page(
    case: Case, format_files: dict[str, Path], make_formats: Any
) -> None:
    report = import_paths(case, [format_files["mhtml"]])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert doc["format"] == "mhtml"
    assert doc["title"] == make_formats.PAGE_TITLE
    assert doc["publisher"] == "Harbour News"
    assert doc["published"] == "2021-04-03"
    assert doc["url"] == "https://harbour-news.example/ports/copper-fine"
    for paragraph in make_formats.PAGE_PARAGRAPHS:
        assert paragraph in doc["text"]
    assert "All rights reserved" not in doc["text"]


def test_a_page_saved_complete_is_imported_without_its_resources_folder(
    case: Case, tmp_path: Path, make_formats: Any
) -> None:
    folder = tmp_path / "clippings"
    page = make_formats.saved_page(folder, "fine")
    (folder / "other_notes").mkdir()  # not the page's folder: walked as usual
    (folder / "other_notes" / "note.txt").write_text("A note kept beside the page.")
    report = import_paths(case, [folder])
    assert report.failed == []
    assert sorted(p.name for p, _ in report.imported) == ["fine.html", "note.txt"]
    doc = case.document(report.imported[0][1])
    assert page.name == doc["file_name"] and doc["title"] == make_formats.PAGE_TITLE


def test_an_attachment_imported_later_is_linked_to_the_message_already_in_the_case(
    case: Case, tmp_path: Path, make_formats: Any, monkeypatch: Any
) -> None:
    """A scan attached to a message could not be read (no OCR engine); imported again once
    the engine is there, it goes in under the message that is already in the case."""
    import datetime as dt

    from casedesk.ingest import ocr

    scan = make_formats.scan_png(tmp_path / "letter.png").read_bytes()
    msg = make_formats.message(
        5,
        make_formats.PEOPLE[1],
        make_formats.PEOPLE[0],
        "The signed letter",
        "Here is the letter from the harbour master.",
        dt.datetime(2021, 4, 3, tzinfo=dt.UTC),
        attachments=[("letter.png", "image", "png", scan)],
    )
    path = tmp_path / "letter.eml"
    path.write_bytes(bytes(msg))
    empty = tmp_path / "bin"
    empty.mkdir()
    with monkeypatch.context() as patch:
        patch.setenv("PATH", str(empty))
        ocr.forget_engine()
        first = import_paths(case, [path])
    ocr.forget_engine()
    [(_, message_id)] = first.imported
    [(_, reason)] = first.failed
    assert reason.startswith("letter.eml/letter.png: recognising scanned pages needs Tesseract")
    second = import_paths(case, [path])
    assert second.duplicates == [(path, message_id)] and second.failed == []
    [(_, scan_id)] = second.imported
    assert case.document(scan_id)["parent_id"] == message_id


def test_a_reply_finds_its_thread_through_an_index(case: Case) -> None:
    from casedesk.ingest.importer import THREAD_OF_MESSAGE

    plan = case.conn.execute(f"EXPLAIN QUERY PLAN {THREAD_OF_MESSAGE}", ("<a@x>",)).fetchall()
    assert "USING INDEX documents_message_id" in " ".join(str(row[-1]) for row in plan)

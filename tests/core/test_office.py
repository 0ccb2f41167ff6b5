"""Word and OpenDocument files: headings and paragraphs in order, the file's metadata in the
document's fields, facts found in the text; damaged and hostile archives refused per file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from casedesk.ingest import import_paths
from casedesk.store import Case


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_text_in_order_and_metadata_into_the_fields(
    case: Case, format_files: dict[str, Path], make_formats: Any, kind: str
) -> None:
    report = import_paths(case, [format_files[kind]])
    assert report.failed == [] and len(report.imported) == 1
    doc = case.document(report.imported[0][1])
    expected = [
        make_formats.MEMO_HEADINGS[0],
        make_formats.MEMO_PARAGRAPHS[0],
        make_formats.MEMO_HEADINGS[1],
        make_formats.MEMO_PARAGRAPHS[1],
        make_formats.MEMO_HEADINGS[2],
        make_formats.MEMO_PARAGRAPHS[2],
    ]
    assert doc["text"] == "\n\n".join(expected)
    assert doc["format"] == kind
    assert doc["title"] == make_formats.MEMO_TITLE
    assert doc["publisher"] == make_formats.MEMO_AUTHOR
    assert doc["published"] == "2021-04-09" and not doc["published_inferred"]
    assert doc["published_evidence"] == "document properties (created)"
    attrs = json.loads(doc["attrs"])
    assert attrs["author"] == make_formats.MEMO_AUTHOR
    assert [h["level"] for h in attrs["headings"]] == [1, 2, 2]


def test_a_word_table_is_kept_a_row_a_line(case: Case, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Cargo found at berth 6:")
    table = document.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate([("Copper wire", "40 tonnes"), ("Steel pipe", "12 tonnes")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    document.add_paragraph("The list was signed by the harbour master.")
    path = tmp_path / "cargo.docx"
    document.save(str(path))
    doc = case.document(import_paths(case, [path]).imported[0][1])
    assert doc["text"] == (
        "Cargo found at berth 6:\n\nCopper wire | 40 tonnes\n\nSteel pipe | 12 tonnes\n\n"
        "The list was signed by the harbour master."
    )


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_damaged_and_hostile_office_files_are_refused_one_by_one(
    case: Case, tmp_path: Path, format_files: dict[str, Path]
) -> None:
    bomb = tmp_path / "bomb.docx"  # 400 MB of zeros in a few hundred kilobytes
    bomb.write_bytes(_zip({"word/document.xml": b"\0" * (400 * 1024 * 1024)}))
    not_zip = tmp_path / "letter.docx"
    not_zip.write_text("this was saved as text with the wrong suffix")
    wrong_zip = tmp_path / "pictures.odt"
    wrong_zip.write_bytes(_zip({"photo.jpg": b"\xff\xd8\xff"}))
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(format_files["docx"].read_bytes()[:5000])
    broken_xml = tmp_path / "broken.odt"
    broken_xml.write_bytes(
        _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<a><b>"})
    )
    good = format_files["odt"]
    report = import_paths(case, [bomb, not_zip, wrong_zip, truncated, broken_xml, good])
    reasons = dict(report.failed)
    assert [p for p, _ in report.imported] == [good]
    assert "unpacks" in reasons[bomb]
    assert reasons[not_zip].startswith("not a readable Word file (damaged ZIP archive")
    assert reasons[wrong_zip] == "not an OpenDocument text (no content.xml in the archive)"
    assert reasons[truncated].startswith("not a readable Word file")
    assert reasons[broken_xml].startswith("not a readable OpenDocument text")


def test_facts_are_found_in_a_word_file(
    case: Case, format_files: dict[str, Path], nlp: Any
) -> None:
    from casedesk.extract.pipeline import extract_documents

    doc_id = import_paths(case, [format_files["docx"]]).imported[0][1]
    (stats,) = extract_documents(case, [doc_id])
    assert stats.error is None
    found = {
        (kind, text)
        for kind, text in case.conn.execute(
            "SELECT kind, text FROM facts WHERE document_id = ?", (doc_id,)
        )
    }
    assert {("date", "14 March 2021"), ("date", "20 April 2021"), ("date", "1 June 2021")} <= found

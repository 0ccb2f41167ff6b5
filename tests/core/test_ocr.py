"""Scanned PDFs and images: recognised with Tesseract in the import, with progress, Cancel and
a per-page confidence; a missing engine is one clear line for the file."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from casedesk.ingest import import_paths, ocr
from casedesk.store import Case


def char_accuracy(reference: str, recognised: str) -> float:
    from make_formats import char_accuracy as measure

    return float(measure(reference, recognised))


def test_accuracy_measure_counts_edits(make_formats: Any) -> None:
    assert char_accuracy("abcd", "abcd") == 1.0
    assert char_accuracy("abcd", "abed") == 0.75
    assert char_accuracy("a  b\nc", "a b c") == 1.0


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_a_scan_is_recognised_and_marked_ocr(
    case: Case, format_files: dict[str, Path], make_formats: Any, kind: str
) -> None:
    report = import_paths(case, [format_files[kind]])
    assert report.failed == [] and len(report.imported) == 1
    doc = case.document(report.imported[0][1])
    assert doc["format"] == ("image" if kind == "png" else "pdf")
    assert char_accuracy(make_formats.SCAN_TRANSCRIPT, doc["text"]) >= 0.97
    marked = json.loads(doc["ocr"])
    assert marked["engine"].startswith("tesseract ")
    assert marked["languages"] == ["eng"]
    [page] = marked["pages"]
    assert page["page"] == 1 and (page["start"], page["end"]) == (0, len(doc["text"]))
    assert page["confidence"] > ocr.LOW_CONFIDENCE and page["low"] is False
    # The image has no metadata: its headline line is the title. (Pillow writes the file
    # name into the PDF as its title, and the PDF's own title wins.)
    assert doc["title"] == (make_formats.SCAN_TITLE if kind == "png" else "scan")


def test_a_page_scanned_upside_down_is_read_the_right_way_up(
    case: Case, tmp_path: Path, make_formats: Any
) -> None:
    upside_down = tmp_path / "upside-down.png"
    make_formats.scan_image().rotate(180).save(upside_down, dpi=(300, 300))
    sideways = tmp_path / "sideways.pdf"
    make_formats.scan_image().rotate(90, expand=True).save(sideways, "PDF", resolution=300.0)
    report = import_paths(case, [upside_down, sideways])
    assert report.failed == []
    for _, doc_id in report.imported:
        doc = case.document(doc_id)
        assert char_accuracy(make_formats.SCAN_TRANSCRIPT, doc["text"]) >= 0.97
        assert json.loads(doc["ocr"])["pages"][0]["low"] is False


def test_scanned_pages_report_progress_and_text_pages_keep_their_layer(
    case: Case, tmp_path: Path, make_formats: Any
) -> None:
    mixed = make_formats.mixed_pdf(tmp_path / "mixed.pdf")  # text, scan, text, scan
    lines: list[tuple[int, int, str, str]] = []
    report = import_paths(
        case,
        [mixed],
        detail=lambda done, total, path, line: lines.append((done, total, path.name, line)),
    )
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert [line for *_, line in lines] == [
        "recognising page 2 (1 of 2 scanned pages)",
        "recognising page 4 (2 of 2 scanned pages)",
    ]
    assert {(done, total, name) for done, total, name, _ in lines} == {(0, 1, "mixed.pdf")}
    text = doc["text"]
    assert text.startswith(make_formats.TEXT_PAGE_LINES[0])
    pages = json.loads(doc["ocr"])["pages"]
    assert [p["page"] for p in pages] == [2, 4]
    for page in pages:  # each recognised page's span holds that page's text
        assert (
            char_accuracy(make_formats.SCAN_TRANSCRIPT, text[page["start"] : page["end"]]) >= 0.97
        )
    assert text.count(make_formats.TEXT_PAGE_LINES[0]) == 2


def test_cancel_stops_between_pages_and_leaves_the_file_out(
    case: Case, tmp_path: Path, make_formats: Any
) -> None:
    scan = make_formats.scan_pdf(tmp_path / "long.pdf", pages=5)
    later = tmp_path / "later.txt"
    later.write_text("A note that comes after the scan.")
    asked: list[str] = []

    def cancel() -> bool:
        return bool(asked)  # true once the first page is being recognised

    started = time.monotonic()
    report = import_paths(case, [scan, later], cancel=cancel, detail=lambda *a: asked.append(a[-1]))
    assert report.cancelled
    assert report.imported == [] and report.failed == []
    assert asked == ["recognising page 1 (1 of 5 scanned pages)"]
    assert time.monotonic() - started < 5  # the engine was stopped, not waited for
    assert case.document_ids() == []


def test_missing_engine_is_one_clear_line_and_the_rest_go_in(
    case: Case, format_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    ocr.forget_engine()
    note = tmp_path / "note.txt"
    note.write_text("A typed note about the inspection.")
    try:
        report = import_paths(case, [format_files["png"], format_files["pdf"], note])
    finally:
        ocr.forget_engine()
    assert [p for p, _ in report.imported] == [note]
    reasons = dict(report.failed)
    for kind in ("png", "pdf"):
        assert "needs Tesseract" in reasons[format_files[kind]]
        assert "tesseract-ocr" in reasons[format_files[kind]]


def test_an_image_without_text_and_a_damaged_image_are_refused(case: Case, tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (600, 400), 255).save(blank)
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 200)
    not_image = tmp_path / "note.tiff"
    not_image.write_text("plain words in a file called .tiff")
    report = import_paths(case, [blank, damaged, not_image])
    reasons = dict(report.failed)
    assert reasons[blank] == "OCR found no text in the image"
    assert reasons[damaged].startswith("recognising failed (tesseract: ")
    assert reasons[not_image] == "not a PNG, JPEG or TIFF image"
    assert report.imported == []


def test_confidence_per_page_from_tesseract_tsv() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t" + (
        "left\ttop\twidth\theight\tconf\ttext"
    )
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tHarbour",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t30\tmaster",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t60\tsigned",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t95\tNext",
        "1\t2\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
    ]
    first, second = ocr._pages_from_tsv("\n".join([header, *rows]), 3)
    assert first.number == 3 and first.text == "Harbour master signed\n\nNext"
    expected = (90 * 7 + 30 * 6 + 60 * 6 + 95 * 4) / (7 + 6 + 6 + 4)
    assert first.confidence == pytest.approx(expected) and first.low is (expected < 75)
    assert second.number == 4 and second.text == "" and second.confidence is None


def test_a_poster_sized_page_is_rendered_within_the_pixel_budget() -> None:
    assert ocr.page_dpi(595, 842) == ocr.DPI  # A4
    dpi = ocr.page_dpi(14400, 14400)  # 200 x 200 inches
    assert (14400 / 72 * dpi) ** 2 <= ocr.MAX_PIXELS


def test_engine_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    assert shutil.which("tesseract"), "scripts/setup.sh installs tesseract-ocr"
    assert "eng" in ocr.installed_languages()

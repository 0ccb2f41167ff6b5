"""Importing files into a case: formats, encodings, metadata, duplicates and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from casedesk.ingest import (
    DocumentMeta,
    IngestError,
    content_sha256,
    guess_language,
    import_paths,
    import_sample,
    importer,
    read_file,
    read_manifest,
)
from casedesk.store import Case

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

ARTICLE = (
    "Harbour strike ends after three weeks\n\n"
    "Dock workers at the northern harbour voted on Wednesday to accept a revised pay offer, "
    "ending a strike that had halted container traffic for three weeks.\n\n"
    "The union said 78 percent of its members backed the deal."
)


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose content stream shows ``lines`` in Helvetica."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1") if lines else b"0 0 m 100 100 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def rows(case: Case) -> list[tuple[object, ...]]:
    return case.conn.execute("SELECT id, sha256, title FROM documents ORDER BY id").fetchall()


# -- formats and encodings -------------------------------------------------------------------


def test_plain_text_is_stored_normalised(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    # CRLF newlines, a decomposed "é" (NFD), a BOM and trailing zero-width junk.
    path.write_bytes(("\ufeffCafe\u0301 owners protest\r\n\r\nThey met.\u200b").encode("utf-8"))
    report = import_paths(case, [path])
    assert report.failed == [] and len(report.imported) == 1
    doc = case.document(report.imported[0][1])
    assert doc["text"] == "Café owners protest\n\nThey met."
    assert doc["encoding"] == "utf-8-sig" or doc["encoding"] == "utf-8"
    assert doc["format"] == "txt"
    assert doc["file_name"] == "story.txt"
    assert doc["sha256"] == content_sha256(doc["text"])


@pytest.mark.parametrize(
    ("name", "encodings", "language", "snippet"),
    [
        ("ko_cp949.txt", {"cp949"}, "ko", "수출 규제를 강화했다"),
        ("ko_utf16le_bom.txt", {"utf-16-le"}, "ko", "세계무역기구에 제소"),
        ("ja_shift_jis.txt", {"shift_jis", "cp932"}, "ja", "輸出管理を強化した"),
        ("ja_utf16be_nobom.txt", {"utf-16-be"}, "ja", "世界貿易機関に提訴"),
        ("fr_latin1.txt", {"cp1252", "latin-1"}, None, "« la réunion a duré cinq heures »"),
    ],
)
def test_encodings_are_detected(
    case: Case, name: str, encodings: set[str], language: str | None, snippet: str
) -> None:
    report = import_paths(case, [DATA / name])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert doc["encoding"] in encodings
    assert snippet in doc["text"]
    assert "\r" not in doc["text"]
    assert doc["language"] == language


def test_same_content_in_another_encoding_is_a_duplicate(case: Case, tmp_path: Path) -> None:
    text = (DATA / "ko_cp949.txt").read_bytes().decode("cp949")
    utf8 = tmp_path / "copy.txt"
    utf8.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    first = import_paths(case, [DATA / "ko_cp949.txt"])
    second = import_paths(case, [utf8, DATA / "ko_cp949.txt"])
    doc_id = first.imported[0][1]
    assert second.imported == []
    assert second.duplicates == [(utf8, doc_id), (DATA / "ko_cp949.txt", doc_id)]
    assert len(case.document_ids()) == 1


def test_markdown_front_matter_and_body(case: Case) -> None:
    report = import_paths(case, [DATA / "article.md"])
    doc = case.document(report.imported[0][1])
    assert doc["title"] == "Harbour cranes return to work"
    assert doc["publisher"] == "Harbour Gazette"
    assert doc["published"] == "2021-03-05"
    assert doc["published_evidence"] == "front matter"
    assert doc["url"] == "https://gazette.example/news/cranes"
    assert doc["format"] == "md"
    assert doc["text"].startswith("# Harbour cranes return to work\n\nThe first container ship")
    assert "publisher:" not in doc["text"]


def test_markdown_with_a_bad_front_matter_date_fails(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: T\npublished: last Tuesday\n---\nBody text here.\n")
    report = import_paths(case, [path])
    assert report.imported == []
    assert "last Tuesday" in report.failed[0][1]


def test_html_main_text_and_metadata(case: Case) -> None:
    report = import_paths(case, [DATA / "news_page.html"])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    text = doc["text"]
    assert "Dock workers at the northern harbour voted on Wednesday" in text
    assert "Idle cranes at the container terminal" in text  # the photo caption is kept
    for furniture in (
        "tracking",
        "font-family",
        "Skip to main content",
        "Most read",
        "All rights reserved",
        "Privacy policy",
        "Sport",
    ):
        assert furniture not in text
    assert doc["title"] == "Port strike ends after three weeks"
    assert doc["publisher"] == "Harbour Gazette"
    assert doc["published"] == "2021-03-04"
    assert doc["published_inferred"] == 0
    assert doc["url"] == "https://gazette.example/news/port-strike-ends"
    assert doc["language"] == "en"
    assert doc["format"] == "html"


def test_html_page_built_from_divs(case: Case) -> None:
    report = import_paths(case, [DATA / "news_page_divs.html"])
    doc = case.document(report.imported[0][1])
    assert "contract worth 1.2 billion euros for 40 electric trains" in doc["text"]
    assert "platforms at six stations" in doc["text"]
    for furniture in (
        "googletag",
        "Advertisement",
        "Subscribe",
        "WhatsApp",
        "More stories",
        "Bus fares frozen",
        "Post comment",
        "All rights reserved",
    ):
        assert furniture not in doc["text"]
    assert doc["title"] == "Rail operator orders 40 new trains"
    assert doc["publisher"] == "Valley Courier"
    # The page states its date only in its text: found, and marked as inferred.
    assert doc["published"] == "2022-05-12"
    assert doc["published_inferred"] == 1


def test_html_declared_charset_and_lang(case: Case, tmp_path: Path) -> None:
    page = (
        '<html lang="ko"><head><meta charset="euc-kr"><title>수출 규제</title></head><body>'
        "<article><p>일본 정부는 반도체 소재 세 품목에 대한 수출 규제를 강화했다. "
        "산업통상자원부는 세계무역기구에 제소하겠다고 밝혔다.</p></article></body></html>"
    )
    path = tmp_path / "ko.htm"
    path.write_bytes(page.encode("euc-kr"))
    report = import_paths(case, [path])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert "수출 규제를 강화했다" in doc["text"]
    assert doc["title"] == "수출 규제"
    assert doc["language"] == "ko"
    assert doc["encoding"] == "cp949"  # the declared EUC-KR, read with its superset


def test_xhtml_with_xml_declaration_and_a_tiny_page(case: Case, tmp_path: Path) -> None:
    xhtml = tmp_path / "page.xhtml"
    xhtml.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>Tiny page</title></head><body><p>Seoul and Tokyo resumed talks on "
        "Monday.</p></body></html>",
        encoding="utf-8",
    )
    report = import_paths(case, [xhtml])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert doc["text"] == "Seoul and Tokyo resumed talks on Monday."
    assert doc["title"] == "Tiny page"


def test_pdf_text_layer(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    path.write_bytes(make_pdf(["Export controls tightened on July 4, 2019.", "(Kyodo)"]))
    report = import_paths(case, [path])
    assert report.failed == []
    doc = case.document(report.imported[0][1])
    assert "Export controls tightened on July 4, 2019." in doc["text"]
    assert doc["format"] == "pdf"


def test_pdf_without_text_layer_is_refused(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([]))
    report = import_paths(case, [path])
    assert report.imported == []
    assert "no text layer" in report.failed[0][1]


def test_unknown_suffix_is_sniffed(case: Case, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.clip"
    text_file.write_text(ARTICLE, encoding="utf-8")
    pdf_file = tmp_path / "download"
    pdf_file.write_bytes(make_pdf(["A PDF saved without its suffix."]))
    binary = tmp_path / "photo.dat"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    report = import_paths(case, [text_file, pdf_file, binary])
    formats = [case.document(i)["format"] for _, i in report.imported]
    assert formats == ["txt", "pdf"]
    assert report.failed == [(binary, "binary file (a PNG image), not text")]


# -- metadata ----------------------------------------------------------------------------------


def test_metadata_precedence(case: Case, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text((DATA / "news_page.html").read_text(encoding="utf-8"), encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "case": "Ports",
                "documents": [
                    {
                        "file": "page.html",
                        "title": "Manifest title",
                        "publisher": None,
                        "published": "2021-03-05",
                    }
                ],
            }
        )
    )
    given = DocumentMeta(title="Given title")
    report = import_paths(case, [page], meta=given, manifest=manifest)
    doc = case.document(report.imported[0][1])
    assert doc["title"] == "Given title"  # given > manifest > page
    assert doc["published"] == "2021-03-05"  # manifest > page (2021-03-04)
    assert doc["published_evidence"] == "manifest"
    assert doc["publisher"] == "Harbour Gazette"  # manifest says null: the page's own


def test_given_bad_date_fails_each_file_clearly(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    for bad in ("2019-02-30", "06/07/2019", "2019-7-6"):
        report = import_paths(case, [path], meta=DocumentMeta(published=bad))
        assert report.imported == []
        assert bad in report.failed[0][1]
    assert case.document_ids() == []


def test_manifest_reading(tmp_path: Path) -> None:
    manifest = read_manifest(SEEDS / "manifest.json")
    assert manifest.name == "Japan–South Korea export controls, 2019–2020"
    assert manifest["000_07b12ffcae950391.txt"].title is None
    assert manifest["003_45df78adb63fd4a5.txt"].publisher == "Korea JoongAng Daily"
    bad = tmp_path / "manifest.json"
    bad.write_text("{not json")
    with pytest.raises(IngestError, match="manifest.json: manifest is not valid JSON"):
        read_manifest(bad)


def test_unreadable_manifest_imports_nothing(case: Case, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    manifest = tmp_path / "m.json"
    manifest.write_text('{"documents": [{"title": "no file name"}]}')
    report = import_paths(case, [tmp_path / "a.txt"], manifest=manifest)
    assert report.imported == []
    assert report.failed == [(manifest, 'manifest entry 1 has no "file" name')]
    missing = import_paths(case, [tmp_path / "a.txt"], manifest=tmp_path / "none.json")
    assert missing.failed[0][0] == tmp_path / "none.json"
    assert "cannot read manifest" in missing.failed[0][1]
    assert case.document_ids() == []


def test_manifest_with_a_bad_date_fails_only_that_file(case: Case, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(ARTICLE + " And more.")
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"documents": [{"file": "a.txt", "published": "July 2019"}]}))
    report = import_paths(case, [tmp_path], manifest=manifest)
    assert [p.name for p, _ in report.imported] == ["b.txt"]
    assert report.failed[0][0].name == "a.txt"
    assert "manifest" in report.failed[0][1] and "July 2019" in report.failed[0][1]


def test_import_sample(case: Case) -> None:
    report = import_sample(case)
    assert report.failed == [] and len(report.imported) == 5
    assert case.name == "Japan–South Korea export controls, 2019–2020"
    docs = [case.document(i) for _, i in report.imported]
    assert docs[0]["title"] is None  # the manifest has none and the text has no headline
    assert docs[1]["title"].startswith("Tense Japan, S. Korean meeting")
    assert docs[3]["publisher"] == "Korea JoongAng Daily"
    assert all(d["language"] == "en" and d["published"] for d in docs)
    reasons = {r for d in docs for *_, r in case.boilerplate(d["id"])}
    assert {"copyright", "breadcrumb", "comment form", "unrelated headline"} <= reasons
    joongang = docs[3]
    spans = [joongang["text"][a:b] for a, b, _ in case.boilerplate(joongang["id"])]
    assert "Home > Business > Economy" in spans
    assert not any("Korean and Japanese officials discussed" in t for t in spans)
    again = import_sample(case)
    assert again.imported == [] and len(again.duplicates) == 5


def test_language_guess() -> None:
    assert guess_language("일본 정부는 수출 규제를 강화했다.") == "ko"
    assert guess_language("経済産業省は輸出管理を強化した。") == "ja"
    assert guess_language("日本政府加强了出口管制。") == "zh"
    assert guess_language("The ministry said that the talks had ended.") == "en"
    assert guess_language("Die Regierung verschärfte die Kontrollen.") is None


# -- bad input -----------------------------------------------------------------------------------


def test_bad_inputs_fail_one_by_one_and_the_batch_goes_on(case: Case, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t\n")
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes((i * 37) % 128 + 128 for i in range(600)))
    bad_utf16 = tmp_path / "bad16.txt"
    bad_utf16.write_bytes(b"\xff\xfe" + "Talks resumed.".encode("utf-16-le") + b"\x00\xd8")
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer garbage")
    broken_html = tmp_path / "broken.html"
    broken_html.write_text("<html><head><script>only(a, script)</script></head></html>")
    missing = tmp_path / "missing.txt"
    under_a_file = good / "child.txt"
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "archive.zip").write_bytes(b"PK\x03\x04")
    good2 = tmp_path / "good2.md"
    good2.write_text("# Second story\n\nA second article body that is different.\n")

    seen: list[tuple[int, int]] = []
    report = import_paths(
        case,
        [
            good,
            empty,
            blank,
            binary,
            garbage,
            bad_utf16,
            broken_pdf,
            broken_html,
            missing,
            under_a_file,
            nothing,
            good2,
        ],
        progress=lambda done, total, _path: seen.append((done, total)),
    )
    assert [p for p, _ in report.imported] == [good, good2]
    reasons = dict(report.failed)
    assert reasons[empty] == "empty file"
    assert "only whitespace" in reasons[blank]
    assert "binary file" in reasons[binary]
    assert "encoding not recognised" in reasons[garbage]
    assert "cannot decode as utf-16-le" in reasons[bad_utf16]
    assert "not a readable PDF" in reasons[broken_pdf]
    assert "no main text" in reasons[broken_html]
    assert reasons[missing] == "no such file or folder"
    assert "cannot access" in reasons[under_a_file]
    assert "no files Casedesk can import" in reasons[nothing]
    assert len(report.failed) == 10 and not report.ok
    assert seen[-1] == (12, 12) and len(seen) == 12
    assert f"{missing}: no such file or folder" in report.messages()
    assert len(case.document_ids()) == 2


def test_too_large_is_refused_before_reading(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1024)
    big = tmp_path / "big.txt"
    big.write_text("word " * 409 + "end")
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    report = import_paths(case, [big])
    assert report.failed == [(big, "file is too large (2.0 KB; the limit is 1.0 KB)")]
    assert big not in opened


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    try:
        report = import_paths(case, [path])
    finally:
        path.chmod(0o644)
    assert report.failed[0][0] == path
    assert "cannot read" in report.failed[0][1]


def test_permission_denied_is_reported_even_as_root(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE + " Another ending.")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", deny)
    report = import_paths(case, [locked, other])
    assert report.failed == [(locked, "cannot read (Permission denied)")]
    assert [p for p, _ in report.imported] == [other]


def test_directory_is_walked_for_known_suffixes(case: Case, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text(ARTICLE)
    (tmp_path / "two.md").write_text("# Two\n\nAnother article body entirely.\n")
    (tmp_path / "notes.json").write_text("{}")
    (tmp_path / ".hidden.txt").write_text("hidden")
    report = import_paths(case, [tmp_path])
    assert sorted(p.name for p, _ in report.imported) == ["one.txt", "two.md"]
    assert report.failed == []


def test_cancel_stops_between_files(case: Case, tmp_path: Path) -> None:
    paths = []
    for n in range(4):
        p = tmp_path / f"{n}.txt"
        p.write_text(f"{ARTICLE} Number {n}.")
        paths.append(p)
    calls = iter([False, False, True])
    report = import_paths(case, paths, cancel=lambda: next(calls))
    assert report.cancelled
    assert len(report.imported) == 2
    assert len(case.document_ids()) == 2


def test_failure_while_storing_leaves_the_case_unchanged(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.txt"
    first.write_text(ARTICLE)
    import_paths(case, [first])
    before = rows(case)
    before_debris = case.conn.execute("SELECT COUNT(*) FROM boilerplate").fetchone()

    second = tmp_path / "second.txt"
    second.write_text("Skip to main content\n\n" + ARTICLE + " A different ending.")

    # The document row is written, then the debris rows fail: nothing of it may remain.
    real_add = Case.add_document

    def add_then_fail(self: Case, **kwargs: object) -> int:
        kwargs["boilerplate"] = [(0, 0, 0, 5, "navigation"), (None, None, None, None, None)]
        return real_add(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Case, "add_document", add_then_fail)
    report = import_paths(case, [second])
    assert report.imported == []
    assert "could not be stored" in report.failed[0][1]
    assert rows(case) == before
    assert case.conn.execute("SELECT COUNT(*) FROM boilerplate").fetchone() == before_debris
    assert case.search("different ending") == []


def test_read_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert str(info.value) == f"{path}: empty file"


_KO = "산업통상자원부는 7월 4일부터 시행된 조치에 대해 세계무역기구에 제소하겠다고 밝혔다."
_JA = "経済産業省は韓国向けの半導体材料の輸出管理を強化した。"
_ZH = "日本政府加强了对韩国出口半导体材料的管制。韩国政府表示将向世界贸易组织提起诉讼。"
_FR = "Le ministère a déclaré que les négociations n'avaient pas progressé à Séoul."


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (_KO, "cp949"),
        (_KO, "euc_kr"),
        (_KO, "utf_16_le"),
        (_KO, "utf_16"),
        (_JA, "shift_jis"),
        (_JA, "euc_jp"),  # short EUC-JP also decodes as CP949: the plausibility check decides
        (_JA, "utf_16_be"),
        (_ZH, "gb18030"),
        (_FR, "cp1252"),
        (_FR, "latin_1"),  # unrestricted detection reads this as CP1250
    ],
)
def test_short_samples_decode_exactly(text: str, codec: str) -> None:
    from casedesk.ingest.encoding import decode

    assert decode(text.encode(codec)).text == text

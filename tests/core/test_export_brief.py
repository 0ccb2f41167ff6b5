"""The brief (export preset) and Markdown that pastes cleanly, for the brief and the summary.

Markdown from Casedesk holds no character references: what must stay literal is escaped with
backslashes, and the rendered page shows the same characters in CommonMark (markdown-it-py,
standing in for GitHub and Obsidian) as in Casedesk's own HTML (python-markdown).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from renderings import (
    canonical,
    casedesk_markdown,
    commonmark,
    markup_from_text,
    python_markdown,
    shown_text,
)

import casedesk.export.brief as brief_module
from casedesk.export import (
    BriefLimits,
    brief_html,
    brief_markdown,
    brief_text,
    brief_words,
    build_brief,
    export_brief,
    summary_markdown,
)
from casedesk.export.text import inline, note_markdown
from casedesk.store import Case

ROOT = Path(__file__).resolve().parents[2]
STAMP = "2020-06-01T09:30:00Z"
# A character reference that a renderer would read as one (an escaped "\&" is literal).
REFERENCE = re.compile(r"(?<!\\)&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


class Filler:
    """Fills a case with plain SQL, as any SQLite tool could."""

    def __init__(self, case: Case) -> None:
        self.conn = case.conn
        self.texts: dict[int, str] = {}

    def doc(self, name: str, text: str, **meta: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO documents(file_name, title, publisher, url, published, sha256, format, "
            "imported_at, words, text) VALUES (?, ?, ?, ?, ?, ?, 'txt', ?, 0, ?)",
            (
                name,
                meta.get("title"),
                meta.get("publisher"),
                meta.get("url"),
                meta.get("published"),
                name,
                STAMP,
                text,
            ),
        )
        doc_id = int(cur.lastrowid or 0)
        self.texts[doc_id] = text
        return doc_id

    def entity(self, kind: str, name: str, status: str = "extracted") -> int:
        cur = self.conn.execute(
            "INSERT INTO entities(kind, name, key, status) VALUES (?, ?, ?, ?)",
            (kind, name, name.casefold(), status),
        )
        return int(cur.lastrowid or 0)

    def fact(
        self,
        doc: int,
        kind: str,
        needle: str,
        *,
        entity: int | None = None,
        value: str | None = None,
        status: str = "extracted",
        nth: int = 0,
        attrs: dict[str, object] | None = None,
    ) -> int:
        text = self.texts[doc]
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        cur = self.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, status, "
            "provenance, attrs, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?, ?)",
            (
                doc,
                kind,
                start,
                start + len(needle),
                needle,
                value,
                entity,
                status,
                json.dumps(attrs) if attrs else None,
                STAMP,
                STAMP,
            ),
        )
        return int(cur.lastrowid or 0)

    def event(
        self, date: str, title: str, sources: Sequence[int], status: str = "extracted"
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title, status) "
            "VALUES (?, ?, ?, 'day', ?, ?)",
            (date, date, date, title, status),
        )
        ev = int(cur.lastrowid or 0)
        for f in sources:
            self.conn.execute("INSERT INTO event_sources VALUES (?, ?)", (ev, f))
        return ev

    def note(self, doc: int, needle: str, note: str, tag: str | None = None) -> None:
        start = self.texts[doc].index(needle)
        tag_id = None
        if tag is not None:
            tag_id = self.conn.execute("SELECT id FROM tags WHERE name = ?", (tag,)).fetchone()[0]
        self.conn.execute(
            "INSERT INTO annotations(document_id, start, end, text, tag_id, note, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, start, start + len(needle), needle, tag_id, note, STAMP, STAMP),
        )

    def debris(self, doc: int, needle: str) -> None:
        start = self.texts[doc].index(needle)
        self.conn.execute(
            "INSERT INTO boilerplate(document_id, first_line, last_line, start, end, reason) "
            "VALUES (?, 0, 0, ?, ?, 'navigation')",
            (doc, start, start + len(needle)),
        )


# -- rendering the same everywhere ---------------------------------------------------------------

# Every character that means something to some Markdown renderer, in names, claims and notes.
SPECIAL = (
    "US$5 and US$10, AT&T & co, &amp; &#36; &copy; 1 < 2 > 0 <b>bold</b> <script>alert(1)</script> "
    "*star* _under_ [link](http://evil.example/x) ![img](http://evil.example/i.png) `tick` "
    "~~strike~~ ==mark== %%hidden%% {: onclick=alert(1) } a|b C# #tag \\back [^1]"
)
# In a note, Markdown is the user's own; these characters are not Markdown in the window's
# preview of a note, and must show as typed.
NOTE_SPECIAL = (
    "US$5 & AT&T &amp; &#36; 1 < 2 > 0 <b>bold</b> ~~strike~~ ==mark== %%hidden%% "
    "{: onclick=alert(1) }"
)


@pytest.fixture
def hostile(case: Case) -> Case:
    f = Filler(case)
    text = (
        f"# Minister Hart-{SPECIAL} said on Monday that the $5 levy stays. "
        "Hart denied that the levy was illegal. Officials met in Geneva on 3 March 2021.\n\n"
        "Footer & menu.\n"
    )
    with case.transaction():
        d1 = f.doc(
            "one.txt",
            text,
            title=f"Levy {SPECIAL}",
            publisher="Wire & <i>Co</i> #1",
            published="2021-03-04",
        )
        d2 = f.doc("two.txt", text, title="Second report", published="2021-03-05")
        hart = f.entity("person", f"Hart {SPECIAL}", status="confirmed")
        org = f.entity("organization", "Levy & <Board> *Inc*")
        for d in (d1, d2):
            f.fact(d, "person", "Hart", entity=hart)
            f.fact(d, "organization", "Officials", entity=org)
            said = f.fact(d, "claim", f"Hart-{SPECIAL}", entity=hart, value="Hart")
            f.fact(
                d,
                "claim",
                "the levy was illegal",
                entity=hart,
                attrs={"polarity": "denies", "cue": "denied"},
            )
        met = [f.fact(d, "event", "Officials met in Geneva") for d in (d1, d2)]
        f.event("2021-03-03", f"Meeting {SPECIAL}", met)
        f.event("2021-03-01", "Levy stays", [said])
        f.note(
            d1,
            "the $5 levy stays",
            f"My note {NOTE_SPECIAL}\n\n<img src=x onerror=alert(1)>",
            "Key point",
        )
        case.set_meta("name", f"Case {SPECIAL}")
        case.set_meta("modified_at", STAMP)
    return case


def _forms(text: str) -> dict[str, str]:
    return {
        "casedesk": canonical(casedesk_markdown(text)),
        "commonmark": canonical(commonmark(text)),
    }


@pytest.mark.parametrize("make", [brief_markdown, summary_markdown], ids=["brief", "summary"])
def test_special_characters_render_as_themselves_without_references(hostile: Case, make) -> None:  # type: ignore[no-untyped-def]
    text = make(hostile)
    assert REFERENCE.search(text) is None, REFERENCE.search(text)
    forms = _forms(text)
    assert forms["casedesk"] == forms["commonmark"]
    shown = shown_text(casedesk_markdown(text))
    assert SPECIAL in shown
    if make is brief_markdown:
        assert f"My note {NOTE_SPECIAL}" in shown
    # No tag, strike-through, highlight or link from the text became markup.
    for page in (casedesk_markdown(text), commonmark(text)):
        assert markup_from_text(page) == []


def test_python_markdown_as_others_call_it_reads_no_markup(hostile: Case) -> None:
    """python-markdown without Casedesk's settings shows a backslash before ``$ & < ~ = %``
    (it has no such escapes) but still reads no tag, link or attribute list from the text."""
    for text in (brief_markdown(hostile), summary_markdown(hostile)):
        for page in (python_markdown(text), markdown.markdown(text, extensions=["extra"])):
            assert markup_from_text(page) == []


def test_escaping_uses_backslashes_only() -> None:
    assert inline("US$5 & AT&T &amp; &#36; 1 < 2 <b>") == (
        "US\\$5 & AT&T \\&amp; \\&#36; 1 < 2 \\<b\\>"
    )
    assert inline("# title #") == "\\# title \\#"
    assert inline("C# a==b 50%%") == "C# a\\==b 50\\%%"
    assert inline("{: onclick=x }") == "\\{: onclick=x \\}"
    assert note_markdown("> quoted > not\n<div>\n&amp;") == "> quoted \\> not\n\\<div\\>\n\\&amp;"


# -- the brief -----------------------------------------------------------------------------------


@pytest.fixture
def small(case: Case) -> Case:
    """Three documents: a well-sourced event, an actor in page debris, a denial, a note."""
    f = Filler(case)
    texts = [
        "Minister Ana Ruiz said the port reopened on 4 May 2021. Menu Daily Desk. "
        "Ruiz denied that fees rose. Pablo Vidal met Ruiz on 5 May 2021.",
        "The port reopened on 4 May 2021, Ana Ruiz said. Harbour Board officials agreed.",
        "Ana Ruiz said the port reopened on 4 May 2021. Harbour Board staff left. "
        "Junk Name appeared once.",
    ]
    with case.transaction():
        docs = [
            f.doc(
                f"d{i}.txt", t, title=f"Report {i}", publisher="Wire", published=f"2021-05-0{i + 5}"
            )
            for i, t in enumerate(texts)
        ]
        ruiz = f.entity("person", "Ana Ruiz")
        vidal = f.entity("person", "Pablo Vidal", status="confirmed")
        board = f.entity("organization", "Harbour Board")
        desk = f.entity("organization", "Daily Desk")
        junk = f.entity("person", "Junk Name")
        rejected = f.entity("person", "Menu", status="rejected")
        for d in docs:
            f.fact(d, "person", "Ruiz", entity=ruiz)
        f.fact(docs[0], "person", "Pablo Vidal", entity=vidal)
        f.fact(docs[1], "organization", "Harbour Board", entity=board)
        f.fact(docs[2], "organization", "Harbour Board", entity=board)
        f.fact(docs[0], "organization", "Daily Desk", entity=desk)
        f.debris(docs[0], "Menu Daily Desk.")
        f.fact(docs[0], "organization", "Daily Desk", entity=desk)  # twice, both in debris
        f.fact(docs[2], "person", "Junk Name", entity=junk)
        f.fact(docs[0], "person", "Menu", entity=rejected, status="rejected")
        f.fact(docs[0], "claim", "the port reopened on 4 May 2021", entity=ruiz)
        f.fact(
            docs[0],
            "claim",
            "fees rose",
            entity=ruiz,
            attrs={"polarity": "denies", "cue": "denied"},
        )
        reopened = [f.fact(d, "event", "port reopened") for d in docs]
        f.event("2021-05-04", "Port reopened", reopened)
        met = f.fact(docs[0], "event", "Pablo Vidal met Ruiz")
        f.event("2021-05-05", "Vidal met Ruiz", [met])
        f.note(
            docs[1], "Harbour Board officials agreed", "Ask the *Board* for minutes.", "Question"
        )
        case.set_meta("name", "Port dispute")
        case.set_meta("modified_at", STAMP)
    return case


def test_brief_sections_and_criteria(small: Case) -> None:
    text = brief_markdown(small, BriefLimits(claims_per_speaker=2))
    assert text.startswith("# Port dispute\n")
    events = text.split("## Key events")[1].split("##")[0]
    lines = [x for x in events.splitlines() if x.startswith("- ")]
    # Cited by its first report in the first two documents; the count says how many in all.
    assert lines[0].startswith("- **4 May 2021** — Port reopened — 3 sources[^1],[^2]")
    actors = text.split("## Main actors")[1].split("##")[0]
    # Confirmed first, then by mentions; page debris, a single mention and "not an entity" out.
    assert [
        re.match(r"- \*\*(.+?)\*\*", x)[1] for x in actors.splitlines() if x.startswith("- ")
    ] == [  # type: ignore[index]
        "Pablo Vidal",
        "Ana Ruiz",
        "Harbour Board",
    ]
    assert "Pablo Vidal** ✓ confirmed (person, 1 mention in 1 document)" in actors
    assert "Daily Desk" not in text and "Junk Name" not in text and "Menu" not in actors
    claims = text.split("## Claims by named speakers")[1].split("##")[0]
    assert "**Ana Ruiz**: ⊘ **denies** “fees rose”[^" in claims
    assert "**Ana Ruiz**: “the port reopened on 4 May 2021”" in claims
    notes = text.split("## Notes")[1]
    assert "- “Harbour Board officials agreed” — *Report 1* (Question)" in notes
    assert "    Ask the *Board* for minutes." in notes
    # Citations as in the summary: the document named in full once, then by a short title.
    assert "[^1]: *Report 0*, Wire, 5 May 2021: “Minister Ana Ruiz said the port reopened" in text
    assert re.search(r"^\[\^\d+\]: \*Report 0\*: “", text, flags=re.M)
    assert "## Disputes\n\nNo open disputes.\n" in text


def test_brief_in_plain_text_and_html(small: Case) -> None:
    text = brief_text(small)
    assert text.startswith("Port dispute\n============\n")
    assert "- 4 May 2021 — Port reopened — 3 sources [1] [2]" in text
    assert "Sources\n-------\n\n[1] Report 0, Wire, 5 May 2021: “" in text
    assert "*" not in text.replace("*Board*", "")  # only the user's own note keeps its stars
    page = brief_html(small)
    assert "<title>Port dispute — brief</title>" in page
    assert '<li><strong>4 May 2021</strong> — Port reopened — 3 sources<sup id="fnref:1">' in page


def test_special_characters_in_plain_text_stay_as_typed(hostile: Case) -> None:
    text = brief_text(hostile)
    assert f"Case {SPECIAL}" in text and f"Hart {SPECIAL}" in text
    assert "\\$" not in text and "\\<" not in text


def test_limits_and_what_is_left_out_is_counted(small: Case) -> None:
    text = brief_markdown(small, BriefLimits(events=1, actors=1, claims=1))
    assert (
        "Shown: 1 of 2 timeline events, 1 of 3 main actors, 1 of 2 claims by named speakers."
        in text
    )
    assert text.count("\n- **") == 2  # one event, one actor
    assert "Vidal met Ruiz" not in text


@dataclass(frozen=True)
class FakeSide:
    document_id: int
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class FakeDispute:
    kind: str
    subject: str
    sides: tuple[FakeSide, ...]
    event_ids: tuple[int, ...]
    status: str = "open"


def test_disputes_come_first_through_the_hook(small: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    (vidal_event,) = small.conn.execute(
        "SELECT id FROM events WHERE title = 'Vidal met Ruiz'"
    ).fetchone()
    d0, d1 = (r[0] for r in small.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 2"))
    found = [
        FakeDispute(
            "date",
            "when Vidal met Ruiz",
            (
                FakeSide(d0, 0, 10, "on 5 May 2021", "2021-05-05"),
                FakeSide(d1, 0, 10, "x", "2021-05-09"),
            ),
            (vidal_event,),
        )
    ]
    monkeypatch.setattr(brief_module, "DISPUTE_FINDER", lambda conn: found)
    brief = build_brief(small)
    assert [e.title for e in brief.events] == ["Vidal met Ruiz", "Port reopened"]
    assert brief.events[0].dispute == "date"
    text = brief_markdown(small)
    assert "- **5 May 2021** — Vidal met Ruiz — 1 source; disputed (dates differ)[^1]" in text
    assert "## Disputes\n\n1 open dispute.\n\n- **when Vidal met Ruiz** (dates differ): " in text
    assert "(dates differ): 5 May 2021[^" in text and "; 9 May 2021[^" in text
    # A dispute a reader resolved is counted, not shown, and no longer puts its event first.
    found[0] = FakeDispute(
        found[0].kind, found[0].subject, found[0].sides, (vidal_event,), "resolved"
    )
    text = brief_markdown(small)
    assert "No open disputes; 1 decided by a reader (resolved or not a dispute)." in text
    assert [e.title for e in build_brief(small).events] == ["Port reopened", "Vidal met Ruiz"]


def test_disputes_found_in_the_case(case: Case) -> None:
    """The brief lists what ``casedesk.disputes`` finds: here one source asserts what the party
    it concerns denies."""
    f = Filler(case)
    with case.transaction():
        a = f.doc(
            "a.txt",
            "Nurse Lena Park said the clinic had closed its night ward in March.",
            title="Clinic cuts",
            published="2022-04-02",
        )
        b = f.doc(
            "b.txt",
            "The health board denied that the clinic had closed its night ward in March.",
            title="Board replies",
            published="2022-04-03",
        )
        park = f.entity("person", "Lena Park")
        board = f.entity("organization", "health board")
        f.fact(
            a,
            "claim",
            "the clinic had closed its night ward in March",
            entity=park,
            value="Lena Park",
        )
        f.fact(
            b,
            "claim",
            "the clinic had closed its night ward in March",
            entity=board,
            value="The health board",
            attrs={"polarity": "denies", "cue": "denied"},
        )
    text = brief_markdown(case)
    assert (
        "## Disputes\n\n1 open dispute.\n\n- **the clinic had closed its night ward in March**"
        in text
    )
    assert "(asserted and denied): Lena Park asserts[^" in text
    assert "The health board denies[^" in text


# -- the sample case -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    from casedesk.extract import pipeline
    from casedesk.ingest import import_sample

    path = tmp_path_factory.mktemp("sample") / "sample.casedesk"
    case = Case.create(path)
    import_sample(case)
    pipeline.extract_documents(case, case.document_ids())
    yield case
    case.close()


def test_sample_brief_fits_in_800_words(sample_case: Case) -> None:
    text = brief_markdown(sample_case)
    assert brief_words(text) <= 800, brief_words(text)
    assert brief_words(brief_text(sample_case)) <= 800
    assert text.startswith("# Japan–South Korea export controls, 2019–2020\n")
    for section in ("## Key events", "## Main actors", "## Claims by named speakers"):
        assert section in text


def test_sample_brief_renders_identically_and_holds_no_references(sample_case: Case) -> None:
    text = brief_markdown(sample_case)
    assert "&#" not in text and "&amp;" not in text
    forms = _forms(text)
    assert forms["casedesk"] == forms["commonmark"]
    # The sample needs none of the escapes python-markdown lacks: as others call it, too.
    assert canonical(python_markdown(text)) == forms["commonmark"]
    assert "&#" not in summary_markdown(sample_case) and "&amp;" not in summary_markdown(
        sample_case
    )


# -- files and the command line ------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casedesk", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "gui"), "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
        timeout=120,
    )


def test_export_brief_by_suffix_and_format(small: Case, tmp_path: Path) -> None:
    assert export_brief(small, tmp_path / "b.md").read_text(encoding="utf-8") == brief_markdown(
        small
    )
    assert export_brief(small, tmp_path / "b.txt").read_text(encoding="utf-8") == brief_text(small)
    assert export_brief(small, tmp_path / "b.html").read_text(encoding="utf-8") == brief_html(small)
    assert export_brief(small, tmp_path / "b.out", "txt").read_text(encoding="utf-8") == brief_text(
        small
    )
    with pytest.raises(ValueError, match=r"b\.pdf: cannot tell the format"):
        export_brief(small, tmp_path / "b.pdf")


def test_command_line_brief(small: Case, tmp_path: Path) -> None:
    path = str(small.path)
    small.close()
    done = _cli("export", path, "--brief")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Port dispute\n")
    out = tmp_path / "brief.txt"
    done = _cli("export", path, "--brief", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("Port dispute\n====")
    done = _cli("export", path, "--brief", "--format", "html")
    assert done.stdout.startswith("<!DOCTYPE html>")
    done = _cli("export", path, "--brief", "--tag", "Question")
    assert done.returncode == 2 and "--brief takes no --tag" in done.stderr
    done = _cli("export", path, "--format", "txt")
    assert done.returncode == 2 and "plain text is for the brief" in done.stderr
    done = _cli("export", path, "--format", "html")
    assert done.returncode == 0 and done.stdout.startswith("<!DOCTYPE html>")


def test_import_names_an_unnamed_case_after_its_manifest(tmp_path: Path) -> None:
    from casedesk.ingest import import_paths

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The port reopened on Monday.\n", encoding="utf-8")
    (folder / "manifest.json").write_text(
        json.dumps({"case": "Port  dispute", "documents": [{"file": "a.txt"}]}), encoding="utf-8"
    )
    unnamed = Case.create(tmp_path / "port.casedesk")
    named = Case.create(tmp_path / "other.casedesk", name="My own name")
    try:
        for case in (unnamed, named):
            import_paths(case, [folder / "a.txt"], manifest=folder / "manifest.json")
        assert unnamed.name == "Port dispute"
        assert named.name == "My own name"
        assert brief_markdown(unnamed).startswith("# Port dispute\n")
    finally:
        unnamed.close()
        named.close()


def test_brief_of_an_empty_case(case: Case) -> None:
    assert brief_markdown(case) == "# Test case\n\nNo documents yet.\n"
    assert brief_text(case) == "Test case\n=========\n\nNo documents yet.\n"


def test_a_denial_is_no_source_of_an_event(case: Case) -> None:
    """A report that denies a happening is shown as a denial, never counted as a source."""
    f = Filler(case)
    with case.transaction():
        a = f.doc("a.txt", "Witnesses said the mill closed on 2 June 2023.", title="Mill A")
        b = f.doc("b.txt", "The owner denied that the mill closed on 2 June 2023.", title="Mill B")
        c = f.doc("c.txt", "The council denied that the bridge failed on 3 June 2023.", title="C")
        closed = f.fact(a, "event", "the mill closed")
        denied = f.fact(b, "event", "the mill closed", attrs={"polarity": "denies"})
        bridge = f.fact(c, "event", "the bridge failed", attrs={"polarity": "denies"})
        f.event("2023-06-02", "Mill closed", [closed, denied])
        f.event("2023-06-03", "Bridge failed", [bridge])
    text = brief_markdown(case)
    assert "- **2 June 2023** — Mill closed — 1 source; ⊘ denied in 1 other[^1],[^2]" in text
    assert "- **3 June 2023** — Bridge failed — ⊘ reported only as denied (1 source)[^3]" in text
    (mill,) = [e for e in build_brief(case).events if e.title == "Mill closed"]
    assert (mill.documents, mill.reports, mill.denials) == (1, 1, 1)


def test_the_benchmark_reports_a_case(small: Case, capsys: pytest.CaptureFixture[str]) -> None:
    """bench/brief.py's report, on a small case, so the benchmark cannot rot."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import brief as bench_brief  # bench/brief.py
    finally:
        sys.path.remove(str(ROOT / "bench"))
    bench_brief.report("small", small)
    out = capsys.readouterr().out
    words = brief_words(brief_markdown(small))
    assert f"words: Markdown {words} " in out and "export: Markdown " in out


def test_a_denial_keeps_the_words_that_deny_unless_they_say_deny(case: Case) -> None:
    f = Filler(case)
    with case.transaction():
        d = f.doc(
            "a.txt", "Mayor Ines Vale did not say that taxes rise. She denied that fees rise."
        )
        vale = f.entity("person", "Ines Vale")
        f.fact(
            d,
            "claim",
            "taxes rise",
            entity=vale,
            attrs={"polarity": "denies", "cue": "did not say"},
        )
        f.fact(d, "claim", "fees rise", entity=vale, attrs={"polarity": "denies", "cue": "denied"})
    text = brief_markdown(case, BriefLimits(claims_per_speaker=2))
    assert "**Ines Vale**: ⊘ **denies** “taxes rise” (did not say)[^" in text
    assert "**Ines Vale**: ⊘ **denies** “fees rise”[^" in text


def test_notes_are_the_last_edited_and_long_ones_keep_their_first_paragraphs(
    case: Case,
) -> None:
    f = Filler(case)
    with case.transaction():
        d = f.doc("a.txt", " ".join(f"Word{i}." for i in range(40)), title="A")
        for i in range(12):
            f.note(d, f"Word{i}.", f"Note {i}.")
        case.conn.execute(
            "UPDATE annotations SET updated_at = '2021-01-0' || (id % 9 + 1) || 'T00:00:00Z'"
        )
        long = "**First** part " + "word " * 70 + "\n\n- a list\n- that stays whole"
        f.note(d, "Word20.", long)
        f.note(d, "Word21.", "Short opening.\n\n" + "more " * 80)
        case.conn.execute(
            "UPDATE annotations SET updated_at = '2022-01-01T00:00:00Z' "
            "WHERE text IN ('Word20.', 'Word21.')"
        )
    brief = build_brief(case, BriefLimits(notes=4, note_words=60))
    assert len(brief.notes) == 4
    assert "Shown: 4 of 14 notes." in brief_markdown(case, BriefLimits(notes=4))
    notes = {n.highlight: n.note for n in brief.notes}
    # The last edited: the two edited in 2022, then the latest of 2021.
    assert notes["Word20."].startswith("**First** part word") and notes["Word20."].endswith(" …")
    assert len(notes["Word20."].split()) == 61
    assert notes["Word21."] == "Short opening.\n\n…"
    # In document order.
    assert [n.highlight for n in brief.notes][-2:] == ["Word20.", "Word21."]


def test_the_sections_help_names_every_section() -> None:
    from casedesk.cli import build_parser
    from casedesk.export import SECTIONS

    (export,) = [
        a
        for a in build_parser()._subparsers._group_actions[0].choices.values()  # type: ignore[union-attr]
        if a.prog.endswith(" export")
    ]
    (sections,) = [a for a in export._actions if a.dest == "sections"]
    assert (sections.help or "").endswith(",".join(SECTIONS))


def test_a_document_without_a_title_is_named_by_publisher_and_date(case: Case) -> None:
    f = Filler(case)
    with case.transaction():
        d = f.doc(
            "0042_3f9a1c.txt",
            "The port reopened on 4 May 2021. It closed again on 9 May 2021.",
            publisher="Harbour Wire",
            published="2021-05-10",
        )
        f.event("2021-05-04", "Port reopened", [f.fact(d, "event", "The port reopened")])
        f.event("2021-05-09", "Port closed", [f.fact(d, "event", "It closed again")])
    text = brief_markdown(case)
    assert "0042" not in text
    assert "[^1]: Harbour Wire, 10 May 2021: “The port reopened on 4 May 2021.”" in text
    assert "[^2]: Harbour Wire, 10 May 2021: “It closed again on 9 May 2021.”" in text

"""Case summaries: golden Markdown, options, escaping of hostile text, HTML safety.

Golden files live in tests/data/export/. After a deliberate change to the summary layout (or to
extraction, for the sample case), regenerate them with

    CASEDESK_UPDATE_GOLDEN=1 pytest tests/core/test_export.py

and review the diff before committing.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest

from casedesk.export import (
    SECTIONS,
    ExportOptions,
    export_summary,
    summary_html,
    summary_markdown,
)
from casedesk.export.text import date_words, inline, note_markdown, sentence_bounds
from casedesk.store import Case

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "export"
UPDATE = os.environ.get("CASEDESK_UPDATE_GOLDEN") == "1"
STAMP = "2020-06-01T09:30:00Z"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} missing: run with CASEDESK_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


# -- a case built with SQL --------------------------------------------------------------------

DOCS = [
    dict(
        file_name="curbs.txt",
        title="Japan tightens export curbs on three materials",
        publisher="Example Wire",
        url="https://news.example.org/curbs?id=1&lang=en",
        published="2019-07-04",
        inferred=0,
        text=(
            "Japan tightened export controls on three materials on July 4, 2019.\n"
            "The Ministry of Economy, Trade and Industry said the measures concern fluorinated "
            "polyimide, photoresist and hydrogen fluoride. Mr. Seko said Japan acted on "
            "security grounds.\n"
            "South Korea called the move retaliation."
        ),
    ),
    dict(
        file_name="talks.txt",
        title="Officials meet in Tokyo",
        publisher=None,
        url=None,
        published="2019-07-13",
        inferred=1,
        text=(
            "Officials from METI and the Korean trade ministry met in Tokyo on 12 July 2019.\n"
            "Yoo Myung-hee said the talks would continue in mid-December 2019. "
            "Seko Hiroshige said nothing had changed."
        ),
    ),
    dict(
        file_name="review.txt",
        title=None,
        publisher="Review Weekly",
        url="javascript:alert(1)",
        published=None,
        inferred=0,
        text="In week 28 of 2019 trade officials reviewed the list. The review ended in 2020.",
    ),
]


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


class Builder:
    """Fills a case with plain SQL, as any SQLite tool could."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.conn = case.conn
        self.texts: dict[int, str] = {}

    def doc(self, d: dict[str, object]) -> int:
        cur = self.conn.execute(
            "INSERT INTO documents(file_name, title, publisher, url, published, "
            "published_inferred, sha256, format, imported_at, words, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'txt', ?, 0, ?)",
            (
                d["file_name"],
                d["title"],
                d["publisher"],
                d["url"],
                d["published"],
                d["inferred"],
                str(d["file_name"]),
                STAMP,
                d["text"],
            ),
        )
        doc_id = int(cur.lastrowid or 0)
        self.texts[doc_id] = str(d["text"])
        return doc_id

    def entity(
        self, kind: str, name: str, status: str = "extracted", aliases: tuple[str, ...] = ()
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO entities(kind, name, key, status) VALUES (?, ?, ?, ?)",
            (kind, name, name.casefold(), status),
        )
        ent = int(cur.lastrowid or 0)
        for a in aliases:
            self.conn.execute(
                "INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                (ent, a, a.casefold()),
            )
        return ent

    def fact(
        self,
        doc: int,
        kind: str,
        needle: str,
        *,
        value: str | None = None,
        entity: int | None = None,
        status: str = "extracted",
        nth: int = 0,
        attrs: dict[str, object] | None = None,
    ) -> int:
        s, e = span(self.texts[doc], needle, nth)
        cur = self.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, status, "
            "provenance, attrs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test', "
            "?, ?, ?)",
            (
                doc,
                kind,
                s,
                e,
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
        self,
        date: str,
        start: str,
        end: str,
        precision: str,
        title: str,
        sources: list[int],
        *,
        modifier: str | None = None,
        status: str = "extracted",
        entities: tuple[int, ...] = (),
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, modifier, title, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (date, start, end, precision, modifier, title, status),
        )
        ev = int(cur.lastrowid or 0)
        for f in sources:
            self.conn.execute("INSERT INTO event_sources VALUES (?, ?)", (ev, f))
        for ent in entities:
            self.conn.execute("INSERT INTO event_entities VALUES (?, ?)", (ev, ent))
        return ev

    def annotate(self, doc: int, needle: str, tag: str | None, note: str = "") -> int:
        s, e = span(self.texts[doc], needle)
        tag_id = None
        if tag is not None:
            row = self.conn.execute("SELECT id FROM tags WHERE name = ?", (tag,)).fetchone()
            tag_id = row[0]
        cur = self.conn.execute(
            "INSERT INTO annotations(document_id, start, end, text, tag_id, note, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, s, e, needle, tag_id, note, STAMP, STAMP),
        )
        return int(cur.lastrowid or 0)


def fill_synthetic(case: Case) -> dict[str, int]:
    """Three documents, every fact kind and status, events at every precision, notes."""
    b = Builder(case)
    ids: dict[str, int] = {}
    with case.transaction():
        d1, d2, d3 = (b.doc(d) for d in DOCS)
        japan = b.entity("place", "Japan", aliases=("Japan", "Tokyo government"))
        korea = b.entity("place", "South Korea", aliases=("Seoul",))
        tokyo = b.entity("place", "Tokyo")
        meti = b.entity(
            "organization",
            "Ministry of Economy, Trade and Industry",
            status="confirmed",
            aliases=("METI",),
        )
        seko = b.entity("person", "Hiroshige Seko", aliases=("Seko Hiroshige", "Mr. Seko"))
        yoo = b.entity("person", "Yoo Myung-hee")
        polyimide = b.entity("material", "fluorinated polyimide")
        resist = b.entity("material", "photoresist")
        hf = b.entity("material", "hydrogen fluoride", status="manual")
        ghost = b.entity("person", "Nobody Mentioned")  # every mention rejected
        ids.update(japan=japan, korea=korea, meti=meti, seko=seko, yoo=yoo, hf=hf)

        b.fact(d1, "place", "Japan", value="Japan", entity=japan)
        b.fact(d1, "place", "Japan", value="Japan", entity=japan, nth=1)
        b.fact(d1, "place", "South Korea", value="South Korea", entity=korea)
        b.fact(
            d1,
            "organization",
            "Ministry of Economy, Trade and Industry",
            entity=meti,
            status="confirmed",
        )
        b.fact(d1, "material", "fluorinated polyimide", entity=polyimide)
        b.fact(d1, "material", "photoresist", entity=resist, status="rejected")
        b.fact(d1, "material", "hydrogen fluoride", entity=hf, status="manual")
        b.fact(d1, "person", "Mr. Seko", entity=seko)
        b.fact(d1, "person", "South Korea", entity=ghost, status="rejected")
        b.fact(d2, "organization", "METI", entity=meti)
        b.fact(d2, "place", "Tokyo", entity=tokyo)
        b.fact(d2, "person", "Yoo Myung-hee", entity=yoo)
        b.fact(d2, "person", "Seko Hiroshige", entity=seko, status="confirmed")

        e_curbs = b.fact(
            d1,
            "event",
            "tightened export controls on three materials on July 4, 2019",
            value="2019-07-04",
            status="confirmed",
        )
        e_curbs_date = b.fact(d1, "date", "July 4, 2019", value="2019-07-04")
        e_meet = b.fact(d2, "event", "met in Tokyo on 12 July 2019", value="2019-07-12")
        e_cont = b.fact(d2, "event", "talks would continue in mid-December 2019", value="2019-12")
        e_week = b.fact(d3, "event", "trade officials reviewed the list", value="2019-W28")
        e_end = b.fact(d3, "event", "The review ended in 2020", value="2020")
        e_bad = b.fact(d3, "event", "reviewed the list", value="2019-07", status="rejected")
        e_manual = b.fact(
            d1, "event", "South Korea called the move retaliation", value="2019-07", status="manual"
        )

        b.event(
            "2019-07-04",
            "2019-07-04",
            "2019-07-04",
            "day",
            "Japan tightens export controls on three materials",
            [e_curbs, e_curbs_date],
            entities=(japan,),
        )
        b.event(
            "2019-07-12",
            "2019-07-12",
            "2019-07-12",
            "day",
            "Officials meet in Tokyo",
            [e_meet],
            entities=(japan, korea),
        )
        b.event(
            "2019-12",
            "2019-12-11",
            "2019-12-20",
            "month",
            "Talks to continue",
            [e_cont],
            modifier="mid",
        )
        b.event(
            "2019-W28",
            "2019-07-08",
            "2019-07-14",
            "week",
            "Trade officials review the list",
            [e_week],
        )
        b.event("2020", "2020-01-01", "2020-12-31", "year", "Review ends", [e_end])
        b.event("2019-07", "2019-07-01", "2019-07-31", "month", "Rejected review", [e_bad])
        b.event(
            "2019-07",
            "2019-07-01",
            "2019-07-31",
            "month",
            "Rejected event",
            [e_meet],
            status="rejected",
        )
        b.event(
            "2019-07",
            "2019-07-01",
            "2019-07-31",
            "month",
            "South Korea calls the curbs retaliation",
            [e_manual],
            status="manual",
            entities=(korea,),
        )

        b.fact(d1, "claim", "Japan acted on security grounds", value="Hiroshige Seko", entity=seko)
        b.fact(
            d2,
            "claim",
            "the talks would continue in mid-December 2019",
            value="Yoo Myung-hee",
            entity=yoo,
            status="confirmed",
        )
        b.fact(
            d2,
            "claim",
            "nothing had changed",
            value="Hiroshige Seko",
            entity=seko,
            attrs={"date": "2019-07-12"},
        )
        b.fact(d1, "claim", "retaliation", value="South Korea", status="rejected")

        b.annotate(
            d1,
            "security grounds",
            "Key point",
            "Compare with the **2018** ruling.\n\n- ask METI\n- check dates",
        )
        b.annotate(d2, "nothing had changed", "Contradiction", "Seko *denies* any change.")
        b.annotate(d2, "met in Tokyo", "Key point")
        b.annotate(d3, "reviewed the list", None, "Which list?")
        case.set_meta("modified_at", STAMP)
    return ids


@pytest.fixture
def synthetic(case: Case) -> Case:
    fill_synthetic(case)
    return case


def test_synthetic_summary_matches_golden(synthetic: Case) -> None:
    check_golden("synthetic.md", summary_markdown(synthetic))


def test_export_twice_gives_the_same_bytes(synthetic: Case, tmp_path: Path) -> None:
    a = export_summary(synthetic, tmp_path / "a.md").read_bytes()
    synthetic.close()
    reopened = Case.open(synthetic.path)
    try:
        b = export_summary(reopened, tmp_path / "b.md").read_bytes()
        h1 = export_summary(reopened, tmp_path / "a.html").read_bytes()
        h2 = export_summary(reopened, tmp_path / "b.htm").read_bytes()
    finally:
        reopened.close()
    assert a == b
    assert h1 == h2
    assert b"2020" in a and b"Last changed 1 June 2020." in a


def test_title_date_of_last_change_and_coverage(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    first = text.splitlines()[0]
    assert first == "# Test case"
    assert "Last changed 1 June 2020." in text
    assert "\n\nMarks: ✓ confirmed by a reader, ✎ added by hand.\n\n## Chronology" in text
    assert (
        "Covers 3 documents published from 4 July 2019 to 13 July 2019 (1 without a date)." in text
    )


def chronology_rows(text: str) -> list[list[str]]:
    body = text.split("## Chronology", 1)[1].split("\n## ", 1)[0]
    return [split_row(line) for line in body.splitlines() if line.startswith("|")][2:]


def split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())
    return [c.strip() for c in cells[1:-1]]


def test_chronology_in_date_order_at_each_precision(synthetic: Case) -> None:
    rows = chronology_rows(summary_markdown(synthetic))
    assert [r[0] for r in rows] == [
        "July 2019",
        "4 July 2019",
        "week 28 of 2019",
        "12 July 2019",
        "mid-December 2019",
        "2020",
    ]
    titles = " ".join(r[1] for r in rows)
    assert "Rejected" not in titles  # rejected event, and an event whose only source is rejected
    assert "Japan tightens export controls on three materials |" in " |".join(
        r[1] + " |" for r in rows
    )
    assert "South Korea calls the curbs retaliation ✎ added by hand" in titles
    assert all(r[2].startswith("[^") for r in rows)


def test_footnotes_quote_the_sentence_and_are_shared(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    rows = chronology_rows(text)
    # The event and its date fact sit in the same sentence: one footnote, cited once.
    assert rows[1][2] == "[^2]"
    notes = re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.M)
    assert [int(n) for n, _ in notes] == list(range(1, len(notes) + 1))
    assert notes[1][1] == (
        "*Japan tightens export curbs on three materials*, Example Wire, 4 July 2019: "
        "“Japan tightened export controls on three materials on July 4, 2019.”"
    )
    # "Mr. Seko said ..." is one sentence: the abbreviation does not end it.
    assert any("“Mr. Seko said Japan acted on security grounds.”" in n for _, n in notes)
    assert len({n for _, n in notes}) == len(notes)
    for number, _ in notes:
        assert f"[^{number}]" in text.split(f"[^{number}]:")[0]


def test_rejected_facts_never_appear(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    assert "Nobody Mentioned" not in text
    assert "photoresist" not in text.split("## People")[1].split("## Claims")[0]
    assert "“retaliation”" not in text
    assert "Rejected" not in text


def test_entities_once_with_spellings_and_documents(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    section = text.split("## People, organisations, places and materials")[1].split("\n## ")[0]
    assert section.count("**Hiroshige Seko**") == 1
    assert (
        "- **Hiroshige Seko** — also written Mr. Seko, Seko Hiroshige — mentioned in "
        "*Japan tightens export curbs on three materials* (1), *Officials meet in Tokyo* (1)"
    ) in section
    assert "**Ministry of Economy, Trade and Industry** ✓ confirmed — also written METI" in section
    assert "**hydrogen fluoride** ✎ added by hand" in section
    assert (
        section.index("### People")
        < section.index("### Organisations")
        < section.index("### Places")
        < section.index("### Materials")
    )
    assert "also written Japan" not in section  # an alias equal to the name is not "another"


def test_entity_in_many_documents_lists_the_main_ones(case: Case) -> None:
    b = Builder(case)
    with case.transaction():
        ent = b.entity("place", "Japan")
        for i in range(12):
            d = b.doc(
                dict(
                    file_name=f"d{i:02d}.txt",
                    title=f"Doc {i:02d}",
                    publisher=None,
                    url=None,
                    published=f"2019-07-{i + 1:02d}",
                    inferred=0,
                    text="Japan. " * (i % 3 + 1),
                )
            )
            for n in range(i % 3 + 1):
                b.fact(d, "place", "Japan", entity=ent, nth=n)
    line = summary_markdown(case).split("- **Japan** — ")[1].splitlines()[0]
    # The eight that mention it most, in source order; the four that mention it once counted.
    assert line == (
        "mentioned in 12 documents, most in *Doc 01* (2), *Doc 02* (3), *Doc 04* (2), "
        "*Doc 05* (3), *Doc 07* (2), *Doc 08* (3), *Doc 10* (2), *Doc 11* (3) and 4 more"
    )
    assert "(1)" not in line  # the documents that mention it least are only counted


def test_claims_grouped_by_speaker(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    section = text.split("## Claims")[1].split("\n## ")[0]
    seko = section.split("### Hiroshige Seko")[1].split("###")[0]
    assert "- 4 July 2019: “Japan acted on security grounds”" in seko
    assert "- 12 July 2019: “nothing had changed”" in seko
    assert "### Yoo Myung-hee" in section
    assert "“the talks would continue in mid-December 2019” ✓ confirmed[^" in section


def test_annotations_grouped_by_tag_with_notes_as_markdown(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    section = text.split("## Annotations")[1].split("\n## ")[0]
    heads = re.findall(r"^### (.*)$", section, flags=re.M)
    assert heads == ["Contradiction", "Key point", "Untagged"]
    assert "    Compare with the **2018** ruling.\n\n    - ask METI\n    - check dates" in section
    page = summary_html(synthetic)
    assert "<strong>2018</strong>" in page
    assert "<li>ask METI</li>" in page
    assert "<em>denies</em>" in page


def test_sources_list_every_document(synthetic: Case) -> None:
    section = summary_markdown(synthetic).split("## Sources")[1].split("\n[^")[0]
    lines = [x for x in section.strip().splitlines() if x]
    assert lines[0] == (
        "1. *Japan tightens export curbs on three materials* (curbs.txt) — Example Wire — "
        "published 4 July 2019 — <https://news.example.org/curbs?id=1&lang=en>"
    )
    assert (
        lines[1] == "2. *Officials meet in Tokyo* (talks.txt) — published 13 July 2019 (inferred)"
    )
    # No title: the file name names it; a javascript: URL is text, never a link.
    assert lines[2].startswith("3. *review.txt* — Review Weekly — date unknown — javascript:")
    assert 'href="javascript' not in summary_html(synthetic)


# -- the sample case -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    """The seeds, imported and extracted once for this module (the spaCy model loads once)."""
    ingest = pytest.importorskip("casedesk.ingest")
    pipeline = pytest.importorskip("casedesk.extract.pipeline")
    path = tmp_path_factory.mktemp("sample") / "sample.casedesk"
    case = Case.create(path)
    ingest.import_sample(case)
    pipeline.extract_documents(case, case.document_ids())
    with case.transaction():
        case.set_meta("modified_at", STAMP)  # the golden file must not depend on today
    yield case
    case.close()


def test_sample_summary_matches_golden(sample_case: Case) -> None:
    """Depends on extraction: regenerate with CASEDESK_UPDATE_GOLDEN=1 when extraction changes,
    and read the diff as a reviewer would."""
    text = summary_markdown(sample_case)
    check_golden("sample.md", text)
    assert text.startswith("# Japan–South Korea export controls, 2019–2020\n")
    assert "Covers 5 documents published from 6 July 2019 to 12 May 2020." in text
    for line in chronology_rows(text):
        assert len(line) == 3
    page = summary_html(sample_case)
    assert "<table>" in page and "<script" not in page


# -- options ---------------------------------------------------------------------------------


def test_confirmed_only(synthetic: Case) -> None:
    text = summary_markdown(synthetic, ExportOptions(confirmed_only=True))
    rows = chronology_rows(text)
    assert [r[1] for r in rows] == [
        "South Korea calls the curbs retaliation ✎ added by hand",
        "Japan tightens export controls on three materials",
    ]
    people = text.split("### People")[1].split("###")[0]
    assert "Yoo Myung-hee" not in people
    assert (
        "Hiroshige Seko** — also written Mr. Seko, Seko Hiroshige — mentioned in "
        "*Officials meet in Tokyo* (1)" in people
    )
    claims = text.split("## Claims")[1].split("\n## ")[0]
    assert "Hiroshige Seko" not in claims and "Yoo Myung-hee" in claims
    assert "narrowed to: confirmed and hand-made facts only" in text


def test_date_range(synthetic: Case) -> None:
    text = summary_markdown(synthetic, ExportOptions(date_from="2019-07-05", date_to="2019-07"))
    assert [r[0] for r in chronology_rows(text)] == ["July 2019", "week 28 of 2019", "12 July 2019"]
    claims = text.split("## Claims")[1].split("\n## ")[0]
    assert "nothing had changed" in claims and "security grounds" not in claims
    assert "narrowed to: from 5 July 2019 to 31 July 2019." in text
    only_2020 = summary_markdown(synthetic, ExportOptions(date_from="2020"))
    assert [r[0] for r in chronology_rows(only_2020)] == ["2020"]


def test_bad_options_are_clear_errors(synthetic: Case) -> None:
    with pytest.raises(ValueError, match="date_from: 'last week' is not a date"):
        summary_markdown(synthetic, ExportOptions(date_from="last week"))
    with pytest.raises(ValueError, match="unknown section"):
        summary_markdown(synthetic, ExportOptions(sections=("chronology", "gossip")))
    with pytest.raises(ValueError, match="entity 999"):
        summary_markdown(synthetic, ExportOptions(entity_id=999))
    with pytest.raises(ValueError, match="is after"):
        summary_markdown(synthetic, ExportOptions(date_from="2020", date_to="2019"))


def test_one_entity(case: Case) -> None:
    ids = fill_synthetic(case)
    text = summary_markdown(case, ExportOptions(entity_id=ids["seko"]))
    ents = text.split("## People, organisations, places and materials")[1].split("\n## ")[0]
    assert ents.count("- **") == 1 and "Hiroshige Seko" in ents
    claims = text.split("## Claims")[1].split("\n## ")[0]
    assert re.findall(r"^### (.*)$", claims, flags=re.M) == ["Hiroshige Seko"]
    notes = text.split("## Annotations")[1].split("\n## ")[0]
    # Annotations that touch a mention of him: "security grounds" does not, the other does not
    # either; only highlights overlapping his name count.
    assert "No annotations." in notes
    korea = summary_markdown(case, ExportOptions(entity_id=ids["korea"]))
    titles = [r[1] for r in chronology_rows(korea)]
    assert titles == [
        "South Korea calls the curbs retaliation ✎ added by hand",
        "Officials meet in Tokyo",
    ]
    assert "narrowed to: about South Korea." in korea


def test_one_tag(synthetic: Case) -> None:
    text = summary_markdown(synthetic, ExportOptions(tag="key point"))
    notes = text.split("## Annotations")[1].split("\n## ")[0]
    assert re.findall(r"^### (.*)$", notes, flags=re.M) == ["Key point"]
    assert "Which list?" not in text and "Contradiction" not in notes
    assert "narrowed to: annotations tagged key point." in text


@pytest.mark.parametrize("left_out", SECTIONS)
def test_leave_out_each_section(synthetic: Case, left_out: str) -> None:
    keep = tuple(s for s in SECTIONS if s != left_out)
    text = summary_markdown(synthetic, ExportOptions(sections=keep))
    heads = re.findall(r"^## (.*)$", text, flags=re.M)
    assert len(heads) == len(SECTIONS) - 1
    full = re.findall(r"^## (.*)$", summary_markdown(synthetic), flags=re.M)
    assert [h for h in full if h not in heads] == [full[SECTIONS.index(left_out)]]
    # Footnotes are renumbered from 1 and every one is referenced.
    notes = re.findall(r"^\[\^(\d+)\]:", text, flags=re.M)
    assert [int(n) for n in notes] == list(range(1, len(notes) + 1))
    body = text.split("\n[^1]:")[0]
    for n in notes:
        assert f"[^{n}]" in body


def test_only_sources(synthetic: Case) -> None:
    text = summary_markdown(synthetic, ExportOptions(sections=("sources",)))
    assert "[^" not in text
    assert re.findall(r"^## (.*)$", text, flags=re.M) == ["Sources"]


def test_empty_case(case: Case) -> None:
    text = summary_markdown(case)
    assert "Covers no documents yet." in text
    assert "Marks:" not in text  # the legend only where something is marked
    assert "No timeline events." in text
    assert "<table>" not in summary_html(case)


# -- escaping --------------------------------------------------------------------------------

HOSTILE = (
    "Headline | with * stars _ and # hash <script>alert('x')</script> `tick` [^1] "
    "[link](http://evil.example/x) ![img](http://evil.example/i.png) ~~gone~~ ==hl== & more.\n"
    "- a list? 1. maybe | | || end."
)
HOSTILE_NOTE = (
    "# Heading in a note\n\n**kept bold** and <img src=http://evil.example/p.png> "
    "<script>alert(1)</script> `<code>` ![pic](https://evil.example/pic.png) [^1]\n"
    "[^9]: a fake footnote\n<style>body{background:url(http://evil.example/b)}</style>\n"
    "[click](javascript:alert(1)) [ref][r] [ok](https://fine.example/page)\n\n"
    "[r]: data:text/html,boom"
)


@pytest.fixture
def hostile(case: Case) -> Case:
    b = Builder(case)
    with case.transaction():
        d = b.doc(
            dict(
                file_name="evil|name.txt",
                title="<b>Title</b> | [^2] *x*",
                publisher="Pub | lisher <i>",
                url="https://ok.example/a_b?x=1|2",
                published="2019-07-01",
                inferred=0,
                text=HOSTILE,
            )
        )
        ent = b.entity("person", "Bad | Name <script>", aliases=("_x_ | `y`",))
        b.fact(d, "person", "with * stars", entity=ent)
        f = b.fact(d, "event", "Headline | with * stars", value="2019-07")
        b.event(
            "2019-07",
            "2019-07-01",
            "2019-07-31",
            "month",
            "A | B <script>alert(1)</script> [^1] **x**",
            [f],
        )
        b.event("2019-07", "2019-07-01", "2019-07-31", "month", "- starts | like a list", [f])
        g = b.fact(d, "event", "1. maybe | | ||", value="2019-07-02")
        b.event(
            "2019-07-02",
            "2019-07-02",
            "2019-07-02",
            "day",
            "1. numbered | | || US$5 and US$10 %%hidden%%",
            [g],
        )
        b.fact(d, "claim", "<script>alert('x')</script>", value="Speaker | <b>")
        b.annotate(d, "`tick` [^1]", "Key point", HOSTILE_NOTE)
        case.set_meta("name", "Case | <script>x</script> # [^1]")
        case.set_meta("modified_at", STAMP)
    return case


def test_tables_never_break(hostile: Case) -> None:
    text = summary_markdown(hostile)
    table = [
        x
        for x in text.split("## Chronology")[1].split("\n## ")[0].splitlines()
        if x.startswith("|")
    ]
    assert len(table) == 5
    for line in table:
        assert len(split_row(line)) == 3, line
    page = summary_html(hostile)
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 4
    for row in rows:
        assert len(re.findall(r"<t[hd]>", row)) == 3


class PageAudit(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if value and re.search(r"(https?:)?//", value):
                self.urls.append((tag, name, value))


def test_no_markup_from_sources_or_notes_reaches_html(hostile: Case) -> None:
    page = summary_html(hostile)
    audit = PageAudit()
    audit.feed(page)
    assert "script" not in audit.tags
    assert "img" not in audit.tags and "link" not in audit.tags
    assert audit.tags.count("style") == 1  # ours, in <head>
    assert "url(" not in page.split("</style>")[0]
    assert "<b>" not in page and "<i>" not in page
    # Outside addresses are only ever links (the source's URL, a link the user wrote in a
    # note), never a resource the page would load.
    assert {(tag, attr) for tag, attr, _ in audit.urls} == {("a", "href")}
    assert ("a", "href", "https://ok.example/a_b?x=1%7C2") in audit.urls
    assert not [
        u
        for u in audit.urls
        if "evil.example/x" in u[2] or u[2].endswith(".png") and "pic" not in u[2]
    ]
    assert "&lt;script&gt;" in page
    assert "<table>" in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("#", "https://")) for h in hrefs), hrefs
    assert "https://fine.example/page" in hrefs  # a user's own web link stays a link


def test_hostile_text_stays_literal(hostile: Case) -> None:
    text = summary_markdown(hostile)
    outside_code = re.sub(r"`[^`]*`", "", text).replace("<https://ok.example/a_b?x=1%7C2>", "")
    # No tag can open (every "<" before a letter is escaped) and nothing is a character
    # reference: the Markdown pastes as the characters it shows.
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", outside_code)
    assert not re.search(r"(?<!\\)&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", text, flags=re.I)
    # The note keeps its Markdown; its HTML, image, and footnote syntax are neutralised.
    assert "    # Heading in a note" in text
    assert "    **kept bold**" in text
    assert "\\![pic]" in text and "\\[^9]: a fake footnote" in text
    page = summary_html(hostile)
    assert "<strong>kept bold</strong>" in page
    assert "<code>&lt;code&gt;</code>" in page
    # Document text: every Markdown character shows as itself.
    assert "Headline | with * stars _ and # hash" in html_text(page)
    assert "[link](http://evil.example/x)" in html_text(page)
    assert "~~gone~~ ==hl==" in html_text(page)
    assert "1. numbered | | || US$5 and US$10 %%hidden%%" in html_text(page)
    # No math or comment for GitHub/Obsidian.
    assert "US\\$5 and US\\$10 \\%%hidden\\%%" in text
    assert "<del>" not in page and "<em>x</em>" not in page.split("<table>")[1].split("</table>")[0]
    # Only our own footnotes exist.
    definitions = re.findall(r"^\[\^(\d+)\]:", text, flags=re.M)
    assert page.count('class="footnote-ref"') == len(re.findall(r"(?<!\\)\[\^\d+\](?!:)", text))
    assert definitions == [str(i) for i in range(1, len(definitions) + 1)]


def html_text(page: str) -> str:
    class Text(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    t = Text()
    t.feed(page)
    return "".join(t.parts)


def test_commonmark_with_gfm_tables_reads_it_the_same(hostile: Case) -> None:
    """GitHub and Obsidian follow CommonMark + GFM; markdown-it-py implements both (with raw
    HTML allowed, as GitHub's own parser would before sanitising)."""
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    text = summary_markdown(hostile)
    page = md.render(text)
    audit = PageAudit()
    audit.feed(page)
    assert {"script", "img", "style", "b", "i", "del"}.isdisjoint(audit.tags)
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 4
    for row in rows:
        assert len(re.findall(r"<t[hd]>", row)) == 3
    chronology = page.split("<table>")[1].split("</table>")[0]
    assert "<em>" not in chronology and "<strong>" not in chronology
    shown = html_text(page)
    assert "A | B <script>alert(1)</script> [^1] **x**" in shown
    assert "- starts | like a list" in shown
    assert "~~gone~~ ==hl==" in shown
    # The user's note keeps its Markdown here too.
    assert "<strong>kept bold</strong>" in page and "<h1>Heading in a note</h1>" in page


def test_markdown_renders_with_the_markdown_package(synthetic: Case) -> None:
    text = summary_markdown(synthetic)
    rendered = markdown.markdown(text, extensions=["tables", "footnotes"])
    assert rendered.count("<table>") == 1
    assert 'class="footnote"' in rendered
    assert rendered.count("<h2>") == len(SECTIONS)


def test_html_footnotes_match_the_stock_extension(synthetic: Case) -> None:
    """The page uses a faster footnotes extension; it must render exactly like the stock one."""
    from casedesk.export import markdown_to_html

    text = summary_markdown(synthetic)
    stock = markdown.Markdown(extensions=["tables", "footnotes"], output_format="html")
    stock.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        stock.inlinePatterns.deregister(name)
    assert markdown_to_html(text) == stock.convert(text)


# -- files -----------------------------------------------------------------------------------


def test_export_by_suffix(synthetic: Case, tmp_path: Path) -> None:
    md = export_summary(synthetic, tmp_path / "s.markdown")
    assert md.read_text(encoding="utf-8") == summary_markdown(synthetic)
    page = export_summary(synthetic, tmp_path / "s.HTML").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    with pytest.raises(ValueError, match="s.pdf: cannot tell the format"):
        export_summary(synthetic, tmp_path / "s.pdf")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("s.")) == [
        "s.HTML",
        "s.markdown",
    ]


def test_failed_write_leaves_the_old_file(
    synthetic: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "summary.md"
    target.write_text("old summary", encoding="utf-8")

    def boom(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        export_summary(synthetic, target)
    assert target.read_text(encoding="utf-8") == "old summary"
    assert [p.name for p in folder.iterdir()] == ["summary.md"]


# -- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "modifier", "words"),
    [
        ("2019", None, "2019"),
        ("2019-07", None, "July 2019"),
        ("2019-07-12", None, "12 July 2019"),
        ("2019-W28", None, "week 28 of 2019"),
        ("2019-12", "mid", "mid-December 2019"),
        ("2019", "late", "late 2019"),
        ("2019-Q3", None, "third quarter of 2019"),
        ("2019-07-12T14:00", None, "12 July 2019, 14:00"),
        ("2019-07-12TMO", None, "morning of 12 July 2019"),
        ("2020-03-11TMO", "early", "early morning of 11 March 2020"),
        ("2020-03-11", "early", "early on 11 March 2020"),
        ("2019-W28-WE", None, "weekend of 13–14 July 2019"),
        ("2019-W35-WE", None, "weekend of 31 August – 1 September 2019"),
        ("199", None, "1990s"),
        ("19", None, "1900s"),
        ("P3Y", None, "P3Y"),
    ],
)
def test_date_words(value: str, modifier: str | None, words: str) -> None:
    assert date_words(value, modifier) == words


def test_sentence_bounds() -> None:
    text = "First one. Dr. Kim met Mr. Lee in the U.S. on Monday. Last!\n\nNext para"
    s, e = sentence_bounds(text, text.index("Lee"), text.index("Lee") + 3)
    assert text[s:e] == "Dr. Kim met Mr. Lee in the U.S. on Monday."
    s, e = sentence_bounds(text, text.index("Next"), text.index("Next") + 4)
    assert text[s:e] == "Next para"
    text2 = 'He left. "Why now?" she asked. Then silence.'
    s, e = sentence_bounds(text2, text2.index("she"), text2.index("she") + 3)
    assert text2[s:e] == '"Why now?" she asked.'
    wrapped = "The ministry said on Friday that the\ncurbs would stay. Next one."
    s, e = sentence_bounds(wrapped, wrapped.index("curbs"), wrapped.index("curbs") + 5)
    assert wrapped[s:e] == "The ministry said on Friday that the\ncurbs would stay."
    # A span that is itself the whole sentence, full stop included.
    s, e = sentence_bounds(text, 0, len("First one."))
    assert text[s:e] == "First one."


def test_inline_and_note_escaping() -> None:
    assert inline("a | b\n*c*") == "a \\| b \\*c\\*"
    assert inline("- item") == "\\- item"
    assert inline("1. item") == "1\\. item"
    assert note_markdown("x <b>y</b> `<b>`") == "x \\<b\\>y\\</b\\> `<b>`"


def test_export_needs_no_qt() -> None:
    """The CLI exports on machines without a display: the export package never imports Qt."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import casedesk.export, casedesk.export.html, casedesk.export.summary\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_dates_are_spoken_with_their_weekday_and_documents_by_title() -> None:
    from casedesk.words import document_label, spoken_date

    assert spoken_date("2020-06-22TEV") == "Monday evening, 22 June 2020"
    assert spoken_date("2020-06-22") == "Monday, 22 June 2020"
    assert spoken_date("2020-06-22T19:30") == "Monday, 22 June 2020, 19:30"
    assert spoken_date("2020-06") == "June 2020"
    assert spoken_date("2020-06-22", "early") == "early on Monday, 22 June 2020"
    assert spoken_date("PRESENT_REF") == "PRESENT_REF"
    assert (
        document_label("Curbs  begin", "Wire", "2019-07-04", "a.txt")
        == "Curbs begin — Wire, 4 July 2019"
    )
    assert document_label(None, None, None, "a.txt") == "a.txt"

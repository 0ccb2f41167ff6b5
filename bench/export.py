"""Export benchmark: a generated case of 10,000 documents, summarised to Markdown and HTML.

    python bench/export.py [--documents 10000] [--keep PATH]

The case is filled with plain SQL (synthetic but realistically shaped rows: ~3,000-character
articles, entity mentions, events reported by several documents, claims and annotations), then
exported. Prints the size of the case and the time of each step. Target: under 10 s per export.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.export import ExportOptions, export_summary, summary_markdown  # noqa: E402
from casedesk.store import Case  # noqa: E402

STAMP = "2021-01-01T00:00:00Z"
WORDS = [
    "the",
    "ministry",
    "said",
    "on",
    "export",
    "controls",
    "trade",
    "officials",
    "talks",
    "semiconductor",
    "materials",
    "government",
    "measures",
    "review",
    "list",
    "shipments",
    "security",
    "grounds",
    "court",
    "ruling",
    "compensation",
    "industry",
    "meeting",
    "statement",
    "week",
    "month",
    "agreement",
    "dispute",
    "licence",
    "customs",
    "procedures",
]


def sentence(rng: random.Random, extra: str = "") -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    if extra:
        words.insert(rng.randint(0, len(words)), extra)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def fill(case: Case, n_docs: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    n_entities = max(n_docs // 5, 10)
    kinds = ("person", "organization", "place", "material")
    entities = [(i + 1, kinds[i % 4], f"Entity {i + 1}") for i in range(n_entities)]
    n_events = max(n_docs // 2, 5)
    events: list[tuple[object, ...]] = []
    for i in range(n_events):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2015 + i // (28 * 12)
        events.append(
            (
                i + 1,
                f"{year}-{month:02d}-{day:02d}",
                f"{year}-{month:02d}-{day:02d}",
                f"{year}-{month:02d}-{day:02d}",
                "day",
                None,
                f"Event number {i + 1}",
                "extracted",
            )
        )
    docs, facts, sources, annotations, aliases = [], [], [], [], []
    fact_id = 0
    for d in range(1, n_docs + 1):
        parts: list[str] = []
        spans: list[tuple[str, int, int, str, int | None, str | None]] = []
        pos = 0
        for p in range(12):
            ent = entities[rng.randrange(n_entities)]
            s = sentence(rng, ent[2])
            start = pos + s.index(ent[2])
            spans.append((ent[1], start, start + len(ent[2]), ent[2], ent[0], None))
            if p in (3, 7):
                spans.append(("event", pos, pos + len(s) - 1, s[:-1], None, None))
            if p == 5:
                spans.append(("claim", pos, pos + len(s) - 1, s[:-1], None, f"Entity {d % 50}"))
            parts.append(s)
            pos += len(s) + 1
        text = "\n".join(parts)
        year = 2015 + d % 6
        docs.append(
            (
                d,
                f"doc{d:05d}.txt",
                f"Article {d} | on <trade>",
                "Wire",
                f"https://example.org/{d}",
                f"{year}-{1 + d % 12:02d}-{1 + d % 28:02d}",
                d % 3 == 0,
                f"sha{d}",
                "txt",
                STAMP,
                len(text.split()),
                text,
            )
        )
        for kind, s, e, t, ent_id, value in spans:
            fact_id += 1
            status = ("extracted", "confirmed", "rejected", "extracted")[fact_id % 4]
            facts.append((fact_id, d, kind, s, e, t, value, ent_id, status, "bench", STAMP, STAMP))
            if kind == "event":
                sources.append((rng.randrange(n_events) + 1, fact_id))
        if d % 5 == 0:
            annotations.append(
                (d, spans[0][1], spans[0][2], spans[0][3], 1 + d % 4, f"Note *{d}*", STAMP, STAMP)
            )
    for ent_id, _kind, name in entities:
        aliases.append((ent_id, name.upper(), name.upper().casefold()))
    with case.transaction():
        c = case.conn
        c.executemany(
            "INSERT INTO documents(id, file_name, title, publisher, url, published, "
            "published_inferred, sha256, format, imported_at, words, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
        c.executemany(
            "INSERT INTO entities(id, kind, name, key) VALUES (?, ?, ?, lower(?))",
            [(i, k, n, n) for i, k, n in entities],
        )
        c.executemany("INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)", aliases)
        c.executemany(
            "INSERT INTO facts(id, document_id, kind, start, end, text, value, entity_id, status, "
            "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            facts,
        )
        c.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
        c.executemany("INSERT OR IGNORE INTO event_sources VALUES (?, ?)", sources)
        c.executemany(
            "INSERT INTO annotations(document_id, start, end, text, tag_id, note, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            annotations,
        )
        case.set_meta("modified_at", STAMP)
    return {
        "documents": len(docs),
        "facts": len(facts),
        "events": len(events),
        "entities": len(entities),
        "annotations": len(annotations),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--keep", metavar="PATH", help="write the generated case here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.casedesk"
        t0 = time.perf_counter()
        case = Case.create(path, name="Export benchmark")
        counts = fill(case, args.documents)
        print(f"generated case: {counts} in {time.perf_counter() - t0:.1f} s")
        try:
            for name in ("summary.md", "summary.html"):
                t0 = time.perf_counter()
                out = export_summary(case, Path(tmp) / name)
                took = time.perf_counter() - t0
                size = out.stat().st_size / 1e6
                print(f"export {name}: {took:.2f} s, {size:.1f} MB")
            for label, options in (
                ("confirmed only", ExportOptions(confirmed_only=True)),
                ("one entity", ExportOptions(entity_id=1)),
                ("one year", ExportOptions(date_from="2016", date_to="2016")),
            ):
                t0 = time.perf_counter()
                text = summary_markdown(case, options)
                took = time.perf_counter() - t0
                print(f"markdown, {label}: {took:.2f} s, {len(text) / 1e6:.1f} M characters")
        finally:
            case.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Figures for the Entities view on a large case: how long the list takes to open, to read the
next page while scrolling, to sort by mentions, to filter; printed as a Markdown table.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=gui python bench/entities.py [--entities 100000]
        [--mentions 5]

The case is generated in a scratch folder: ``--entities`` entities of the five kinds, each with
up to ``--mentions`` mentions (one in seven has none) spread over 1,000 documents. Each figure
is the median of five runs, in milliseconds, measured on the Qt model the view uses
(``EntitiesModel``): what a user waits for before the list shows or moves.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from casedesk.store import Case, now_iso

KINDS = ("person", "organization", "place", "material", "quantity")


def build(path: Path, entities: int, mentions: int) -> Case:
    case = Case.create(path)
    stamp = now_iso()
    with case.transaction():
        docs = [
            case.add_document(
                file_name=f"{d:04d}.txt", text="x " * 200, sha256=f"{d:064d}", format="txt"
            )
            for d in range(1000)
        ]
        case.conn.executemany(
            "INSERT INTO entities(id, kind, name, key) VALUES (?, ?, ?, ?)",
            [
                (i, KINDS[i % 5], f"Entity {i:06d}", f"entity {i:06d}")
                for i in range(1, entities + 1)
            ],
        )
        rows = []
        for i in range(1, entities + 1):
            n = 0 if i % 7 == 0 else 1 + (i * 7919) % mentions
            rows += [
                (docs[(i + k) % len(docs)], KINDS[i % 5], 2 * k, 2 * k + 1, i, stamp, stamp)
                for k in range(n)
            ]
        case.conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, provenance, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'x', ?, 'bench', ?, ?)",
            rows,
        )
    return case


def median_ms(run: Callable[[], object], times: int = 5) -> float:
    found = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        found.append((time.perf_counter() - started) * 1000)
    return statistics.median(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=5)
    args = parser.parse_args()

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from casedesk.ui.entities_view import EntitiesModel

    QApplication.instance() or QApplication(sys.argv[:1])
    scratch = Path(tempfile.mkdtemp(prefix="casedesk-entities-"))
    case = build(scratch / "big.casedesk", args.entities, args.mentions)
    facts = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    model = EntitiesModel(None)

    def open_sorted_by_mentions() -> None:
        model.set_case(case)

    def next_page() -> None:
        model.fetchMore()

    def by_name() -> None:
        model.sort(1, Qt.SortOrder.AscendingOrder)

    def by_mentions() -> None:
        model.sort(3, Qt.SortOrder.DescendingOrder)

    texts = iter(f"0{n}9" for n in range(10, 99))

    def filtered() -> None:
        model.set_filter(kind="place", text=next(texts))

    figures = [
        ("open the list (sorted by mentions)", median_ms(open_sorted_by_mentions)),
        ("next page while scrolling (by mentions)", median_ms(next_page)),
        ("sort by name", median_ms(by_name)),
        ("next page while scrolling (by name)", median_ms(next_page)),
        ("sort by mentions again", median_ms(by_mentions)),
        ("filter by kind and text", median_ms(filtered)),
    ]
    print(f"{args.entities:,} entities, {facts:,} mentions\n")
    print("| Entities view | ms (median of 5) |")
    print("|---|---:|")
    for name, ms in figures:
        print(f"| {name} | {ms:.1f} |")
    case.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

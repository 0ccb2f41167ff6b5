"""Entity corrections at scale: merging 50 entities into one and undoing it, and the Entities
view's reads, on the generated 10,000-document case with 100,000 entities.

Extracting 10,000 generated documents takes about a quarter of an hour, so the entities are
synthesised instead: the documents are imported as usual (``bench/generate.py``), then
``--entities`` entities of every kind, a third with other spellings, and ``--facts`` mentions
spread over the documents with a long-tailed count per entity (a few entities named thousands
of times, most a handful), as an extracted case has them.

    python bench/entity_edits.py                        # 10,000 documents, 100,000 entities
    python bench/entity_edits.py --docs 2000 --entities 20000 --facts 200000
    python bench/entity_edits.py --smoke                # toy size (the test runs this)

Each figure is the median of ``--repeat`` runs, wall and CPU time (the machine is shared; CPU
time is what Casedesk spent).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "gui"))

from scale import corpus, cpu_now, import_case, load, timed  # noqa: E402

from casedesk import entity_edits, queries  # noqa: E402
from casedesk.store import Case  # noqa: E402

KINDS = ("person", "organization", "place", "material")
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ten",
    "sa",
    "lu",
    "vor",
    "en",
    "da",
    "hil",
    "ro",
    "mi",
    "zan",
    "te",
    "bo",
    "qua",
    "nel",
    "sor",
]


def _name(rng: random.Random, i: int) -> str:
    words = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(rng.randint(1, 3))
    ]
    return f"{' '.join(words)} {i}"


def synthesise(case: Case, entities: int, facts: int, seed: int = 7) -> None:
    """Entities with aliases and mentions (see the module docstring), in one transaction."""
    rng = random.Random(seed)
    docs = case.document_ids()
    weights = [1.0 / (i + 1) ** 0.8 for i in range(entities)]
    scale = facts / sum(weights)
    stamp = "2026-01-01T00:00:00Z"
    conn = case.conn
    with case.transaction():
        ent_rows = []
        alias_rows = []
        for i in range(entities):
            kind = KINDS[i % len(KINDS)]
            name = _name(rng, i)
            ent_rows.append((i + 1, kind, name, name.lower()))
            if i % 3 == 0:
                for j in range(rng.randint(1, 2)):
                    alias = f"{name} {'ABCD'[j]}"
                    alias_rows.append((i + 1, alias, alias.lower()))
        conn.executemany("INSERT INTO entities(id, kind, name, key) VALUES (?, ?, ?, ?)", ent_rows)
        conn.executemany("INSERT INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)", alias_rows)

        def fact_rows() -> object:
            for e, kind, name, _key in ent_rows:
                for _ in range(max(1, round(weights[e - 1] * scale))):
                    start = rng.randrange(0, 1500)
                    yield (
                        rng.choice(docs),
                        kind,
                        start,
                        start + len(name),
                        name,
                        name,
                        e,
                        "bench",
                        stamp,
                        stamp,
                    )

        conn.executemany(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, "
            "provenance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            fact_rows(),  # type: ignore[arg-type]
        )
    conn.execute("ANALYZE")


def run(args: argparse.Namespace) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.case) if args.case else Path(tmp) / "entities.casedesk"
        t = time.perf_counter()
        if path.exists():
            case = Case.open(path)
        else:
            folder, manifest = corpus(args.docs, args.seed)
            case = import_case(path, folder, manifest)
            synthesise(case, args.entities, args.facts)
        n_facts = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        n_docs = case.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        n_entities = case.conn.execute("SELECT count(*) FROM entities").fetchone()[0]
        print(
            f"case: {n_docs:,} documents, {n_entities:,} entities, {n_facts:,} mentions "
            f"(built in {time.perf_counter() - t:.0f} s)",
            flush=True,
        )
        # The resolver's key function comes with the extraction package (about a second to
        # import, once per process); a window that has extracted has it already.
        from casedesk.extract.resolve import normalise_key  # noqa: F401

        # entities from the head of the distribution (each named hundreds of times), of all
        # kinds, so the merge also changes the kind of most mentions
        rng = random.Random(args.seed)
        heads = [
            r.id
            for r in queries.entities_page(
                case, sort="mentions", descending=True, limit=max(args.merge * 4, 200)
            )
        ]
        heavy = rng.sample(heads[10:] if len(heads) > args.merge + 10 else heads, args.merge)
        # and 50 taken at random, as a user merging spellings of one name meets them
        typical = rng.sample(range(1, n_entities + 1), args.merge)
        for label, chosen in (("heavy", heavy), ("typical", typical)):
            moved = sum(queries.entity(case, e).mentions for e in chosen)  # type: ignore[union-attr]
            merges, undos, redos = [], [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), cpu_now()
                edit = entity_edits.merge_entities(case, chosen, kind="organization")
                merges.append((time.perf_counter() - t, cpu_now() - c))
                t, c = time.perf_counter(), cpu_now()
                entity_edits.undo(case, edit)
                undos.append((time.perf_counter() - t, cpu_now() - c))
                t, c = time.perf_counter(), cpu_now()
                entity_edits.redo(case, edit)
                redos.append((time.perf_counter() - t, cpu_now() - c))
                entity_edits.undo(case, edit)
            rows.append(
                (f"merge {args.merge} {label} entities ({moved:,} mentions) into one", _fmt(merges))
            )
            rows.append((f"undo of that merge ({label})", _fmt(undos)))
            rows.append((f"redo of that merge ({label})", _fmt(redos)))

        def page(**kw: object) -> None:
            queries.entities_page(case, **kw)  # type: ignore[arg-type]

        reads = [
            ("entities_page, first 200 by name", lambda: page()),
            (
                "entities_page, 200 by name at the middle",
                lambda: page(offset=args.entities // 2),
            ),
            (
                "entities_page, first 200 by mentions",
                lambda: page(sort="mentions", descending=True),
            ),
            ("entities_page, kind and text filter", lambda: page(kind="person", text="ka")),
            ("entities_count, text filter", lambda: queries.entities_count(case, text="ka")),
            (
                "entity_mentions of the most named entity (500)",
                lambda: queries.entity_mentions(case, heads[0]),
            ),
        ]
        for label, fn in reads:
            wall, cpu = timed(fn, args.repeat)
            rows.append((label, f"{wall * 1000:,.1f} ms (CPU {cpu * 1000:,.1f} ms)"))
        case.close()
    return rows


def _fmt(samples: Sequence[tuple[float, float]]) -> str:
    walls = sorted(w for w, _ in samples)
    cpus = sorted(c for _, c in samples)
    mid = len(walls) // 2
    return f"{walls[mid] * 1000:,.1f} ms (CPU {cpus[mid] * 1000:,.1f} ms)"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--merge", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="toy size, to check it runs")
    parser.add_argument(
        "--case", metavar="PATH", help="keep the built case here, or use the one already there"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.docs, args.entities, args.facts, args.merge, args.repeat = 20, 400, 4000, 50, 1
    started = time.perf_counter()
    rows = run(args)
    width = max(len(r[0]) for r in rows)
    print(
        f"\nEntity corrections, medians of {args.repeat}; load average {load()}; "
        f"{time.perf_counter() - started:.0f} s\n"
    )
    print(f"| {'figure'.ljust(width)} | measured |")
    print(f"|{'-' * (width + 2)}|---|")
    for label, measured in rows:
        print(f"| {label.ljust(width)} | {measured} |")


if __name__ == "__main__":
    main()

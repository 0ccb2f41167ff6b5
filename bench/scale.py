"""Scale benchmark: build a large generated case and print the figures of the scale targets.

    python bench/scale.py                      # 10,000 documents, full extraction (about 10 min)
    python bench/scale.py --docs 500 --repeat 1  # the smoke version the tests run

Figures are medians over --repeat runs (percentiles over many calls where it says p95). The
generated articles are cached under bench/out/. Nothing here is a pass/fail test: it prints what
it measured next to the target, so a regression is visible and the README can quote it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "gui"))

from generate import generate  # noqa: E402

from casedesk.store import Case  # noqa: E402

QUERIES = [
    "export",
    "hydrogen fluoride",
    '"trade dispute"',
    "semicon*",
    "Park",
    "Kiyomizu",
    "lithium hydroxide",
    "tariff talks",
    "shipments fell",
    '"rare earth magnets"',
    "WTO",
    "Geneva",
    "emergency fund",
    "Morita",
    "percent",
    "postponed",
    "screening",
    "carbon fibre",
    "Rotterdam",
    "Hanbit Semiconductor",
]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, figure: str, measured: str, target: str) -> None:
        self.rows.append((figure, measured, target))
        print(f"  {figure}: {measured}  (target: {target})", flush=True)

    def print(self) -> None:
        w0 = max(len(r[0]) for r in self.rows)
        w1 = max(len(r[1]) for r in self.rows)
        print()
        print(f"| {'figure'.ljust(w0)} | {'measured'.ljust(w1)} | target |")
        print(f"|{'-' * (w0 + 2)}|{'-' * (w1 + 2)}|---|")
        for figure, measured, target in self.rows:
            print(f"| {figure.ljust(w0)} | {measured.ljust(w1)} | {target} |")


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def corpus(n: int, seed: int) -> tuple[Path, Path]:
    folder = HERE / "out" / f"gen-{n}-{seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        if folder.exists():
            shutil.rmtree(folder)
        generate(folder, n, seed)
    return folder, manifest


def import_case(path: Path, folder: Path, manifest: Path) -> Case:
    from casedesk.ingest import import_paths

    if path.exists():
        path.unlink()
    case = Case.create(path)
    report = import_paths(case, [folder], manifest=manifest)
    if report.failed:
        raise SystemExit(f"import failed for {len(report.failed)} files: {report.failed[:3]}")
    return case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--extract-docs",
        type=int,
        default=None,
        help="extract only this many documents (default: all)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the built case here")
    parser.add_argument("--skip-ui", action="store_true", help="leave out the window figures")
    args = parser.parse_args()

    folder, manifest = corpus(args.docs, args.seed)
    size_mb = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
    words = sum(len(p.read_text("utf-8").split()) for p in folder.glob("*.txt"))
    print(
        f"machine: {os.cpu_count()} cores; case: {args.docs} documents, {size_mb:.1f} MB, "
        f"{words:,} words"
    )
    table = Table()
    work = Path(tempfile.mkdtemp(prefix="casedesk-scale-"))
    path = work / "scale.casedesk"

    # Import without extraction: text, debris flags, search index.
    def plain_import() -> None:
        import_case(path, folder, manifest).close()

    seconds = median_time(plain_import, args.repeat)
    table.add(
        "import without extraction",
        f"{args.docs / seconds:,.0f} documents/s ({seconds:.1f} s)",
        "≥ 1,000 documents/s",
    )

    # Import with full extraction.
    from casedesk.extract.pipeline import extract_documents

    t0 = time.perf_counter()
    case = import_case(path, folder, manifest)
    import_s = time.perf_counter() - t0
    ids = case.document_ids()[: args.extract_docs] if args.extract_docs else case.document_ids()
    t1 = time.perf_counter()
    extract_documents(case, ids, workers=args.workers)
    extract_s = time.perf_counter() - t1
    share = len(ids) / args.docs
    total = import_s * share + extract_s
    label = "import with full extraction"
    if len(ids) < args.docs:
        label += f" ({len(ids)} of {args.docs} documents)"
    table.add(
        label,
        f"{total:.0f} s ({words * share / total:,.0f} words/s, {args.workers} workers)",
        "under 5 minutes for 10,000 on 2 cores",
    )
    n_facts = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    n_events = case.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"  ({n_facts:,} facts, {n_events:,} timeline events)")

    # Case-wide search.
    samples = []
    for _ in range(10):
        for q in QUERIES:
            t = time.perf_counter()
            case.search(q)
            samples.append(time.perf_counter() - t)
    table.add(
        "case-wide search, typical queries",
        f"p95 {p95(samples) * 1000:.1f} ms, median {statistics.median(samples) * 1000:.1f} ms",
        "p95 under 20 ms",
    )

    # Markdown export of the whole case.
    from casedesk.export import summary_markdown

    seconds = median_time(lambda: summary_markdown(case), args.repeat)
    table.add("Markdown export of the case", f"{seconds:.1f} s", "under 10 s")
    case.close()

    # `casedesk facts --format jsonl` over 500,000 facts.
    facts_path = work / "facts.casedesk"
    shutil.copy(path, facts_path)
    with Case.open(facts_path) as fcase:
        have = fcase.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        need = max(0, 500_000 - have)
        if need:
            rng = random.Random(1)
            doc_ids = fcase.document_ids()
            with fcase.transaction():
                fcase.conn.executemany(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, status, "
                    "provenance, created_at, updated_at) VALUES (?, 'quantity', ?, ?, ?, ?, "
                    "'extracted', 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                    (
                        (rng.choice(doc_ids), i % 1000, i % 1000 + 9, "27 percent", "27 percent")
                        for i in range(need)
                    ),
                )
        rows = fcase.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    cmd = [sys.executable, "-m", "casedesk", "facts", str(facts_path), "--format", "jsonl"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "gui")}

    def facts_jsonl() -> None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)

    seconds = median_time(facts_jsonl, args.repeat)
    table.add(
        f"`casedesk facts --format jsonl`, {rows:,} facts",
        f"{rows / seconds:,.0f} rows/s ({seconds:.1f} s)",
        "≥ 100,000 rows/s",
    )

    if not args.skip_ui:
        ui = HERE / "ui_probe.py"
        if ui.exists():
            result = subprocess.run(
                [
                    sys.executable,
                    str(ui),
                    str(path),
                    "--repeat",
                    str(args.repeat),
                    "--import-folder",
                    str(folder),
                ],
                capture_output=True,
                text=True,
                env={**env, "QT_QPA_PLATFORM": "offscreen"},
            )
            if result.returncode == 0:
                for line in result.stdout.splitlines():
                    if line.startswith("{"):
                        row = json.loads(line)
                        table.add(row["figure"], row["measured"], row["target"])
            else:
                print(result.stdout + result.stderr)
        else:
            print("  (window figures: bench/ui_probe.py is missing)")

    table.print()
    if args.keep:
        shutil.copy(path, args.keep)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

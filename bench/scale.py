"""Scale benchmark: build a large generated case and print the figures of the scale targets.

    python bench/scale.py                        # 10,000 documents, full extraction (long)
    python bench/scale.py --docs 300 --repeat 1  # a quick look
    python bench/scale.py --smoke                # every piece at toy sizes (the test runs this)

Figures are medians over --repeat runs (percentiles over many calls where it says p95). Each
figure is printed as wall time and CPU time: the machine is shared, so on a loaded machine the
wall time mostly measures the other processes, while CPU time is what Casedesk itself spent
(for work spread over worker processes, their CPU is added up). The load average is printed
with each step. The generated articles are cached under bench/out/. Nothing here is a pass/fail
test: it prints what it measured next to the target, so a regression is visible and the README
can quote it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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

# Every row the table has, in order (the smoke test checks that each one is printed).
FIGURES = (
    "import without extraction",
    "import with full extraction",
    "case-wide search, typical queries",
    "Markdown export of the case",
    "`casedesk facts --format jsonl`",
    "start-up to first painted window, sample case",
    "start-up to first painted window, this case",
    "peak memory with this case open",
    "modules loaded to show the window",
    "switching to a document",
    "longest event-loop stall while importing",
    "timeline: fit all",
    "timeline: one zoom frame",
    "timeline: one pan frame",
)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, figure: str, measured: str, target: str) -> None:
        self.rows.append((figure, measured, target))
        print(f"  {figure}: {measured}  (target: {target})  [load {load()}]", flush=True)

    def print(self, caption: str) -> None:
        w0 = max(len(r[0]) for r in self.rows)
        w1 = max(len(r[1]) for r in self.rows)
        print()
        print(caption)
        print()
        print(f"| {'figure'.ljust(w0)} | {'measured'.ljust(w1)} | target |")
        print(f"|{'-' * (w0 + 2)}|{'-' * (w1 + 2)}|---|")
        for figure, measured, target in self.rows:
            print(f"| {figure.ljust(w0)} | {measured.ljust(w1)} | {target} |")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_now() -> float:
    """CPU seconds of this process and of its finished children (worker processes, commands)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``fn`` over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu_now()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(cpu_now() - c)
    return statistics.median(walls), statistics.median(cpus)


def p95(samples: Sequence[float]) -> float:
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


def extract_all(case: Case, ids: list[int], workers: int) -> None:
    """Extraction as the import runs it, printing a progress line every twentieth of the way."""
    from casedesk.extract.pipeline import extract_documents

    start = time.perf_counter()
    step = max(1, len(ids) // 20)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            s = time.perf_counter() - start
            print(
                f"    extracted {done:,} of {total:,} in {s:.0f} s ({done / s:.1f} documents/s, "
                f"load {load()})",
                flush=True,
            )

    results = extract_documents(case, ids, workers=workers, progress=progress)
    errors = [r for r in results if r.error]
    if errors:
        print(f"    {len(errors)} documents failed to extract, e.g. {errors[0].error}")


def fill_facts(path: Path, want: int) -> int:
    """Bring the case up to ``want`` facts with copies of its own facts on other documents."""
    with Case.open(path) as case:
        have = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        need = max(0, want - have)
        if need:
            rng = random.Random(1)
            doc_ids = case.document_ids()
            source = case.conn.execute(
                "SELECT kind, start, end, text, value, modifier, entity_id, status, provenance, "
                "attrs, created_at, updated_at FROM facts ORDER BY id LIMIT 5000"
            ).fetchall() or [
                (
                    "quantity",
                    0,
                    10,
                    "27 percent",
                    "27 percent",
                    None,
                    None,
                    "extracted",
                    "bench",
                    None,
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                )
            ]
            with case.transaction():
                case.conn.executemany(
                    "INSERT INTO facts(document_id, kind, start, end, text, value, modifier, "
                    "entity_id, status, provenance, attrs, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ((rng.choice(doc_ids), *source[i % len(source)]) for i in range(need)),
                )
        return int(case.conn.execute("SELECT count(*) FROM facts").fetchone()[0])


def timeline_rows(events: int) -> list[tuple[str, str, str]]:
    """Run bench/timeline.py and take its fit-all, zoom and pan rows (wall and CPU)."""
    result = subprocess.run(
        [sys.executable, str(HERE / "timeline.py"), "--events", str(events)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(HERE.parent / "gui")},
    )
    if result.returncode != 0:
        raise SystemExit(f"bench/timeline.py failed:\n{result.stdout}{result.stderr[-3000:]}")
    wall: dict[str, str] = {}
    cpu: dict[str, str] = {}
    in_cpu = False
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("CPU time"):
            in_cpu = True
        elif not line.strip():
            in_cpu = False
        if line.startswith("| fit all"):
            wall["fit"] = cells[1]
        elif line.startswith("| one zoom frame"):
            wall["zoom"] = cells[1]
        elif line.startswith("| one pan frame"):
            wall["pan"] = cells[1]
        elif in_cpu and line.split()[0] in ("fit", "zoom", "pan"):
            name, rest = line.split(None, 1)
            cpu[name] = rest.split(",")[0].replace("median", "").strip()
    rows = []
    for key, figure, target in (
        ("fit", "fit all", "under 100 ms"),
        ("zoom", "one zoom frame", "under 16 ms"),
        ("pan", "one pan frame", "under 16 ms"),
    ):
        if key not in wall:
            raise SystemExit(f"bench/timeline.py printed no '{figure}' row:\n{result.stdout}")
        shown = ", ".join(wall[key].split(", ")[:2])  # median and p95
        rows.append(
            (
                f"timeline: {figure}, {events:,} events",
                f"{shown} (CPU median {cpu.get(key, '?')})",
                target,
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--extract-docs", type=int, default=None, help="extract only this many (default: all)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--facts", type=int, default=500_000, help="facts for the jsonl figure")
    parser.add_argument("--timeline-events", type=int, default=50_000)
    parser.add_argument(
        "--import-docs", type=int, default=100, help="documents for the event-loop stall figure"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the built case here")
    parser.add_argument("--skip-ui", action="store_true", help="leave out the window figures")
    parser.add_argument(
        "--smoke", action="store_true", help="every piece at toy sizes, to check it runs"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.docs, args.repeat, args.extract_docs, args.workers = 20, 1, 3, 1
        args.facts, args.timeline_events, args.import_docs = 2_000, 500, 2

    started = time.perf_counter()
    folder, manifest = corpus(args.docs, args.seed)
    size_mb = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
    words = sum(len(p.read_text("utf-8").split()) for p in folder.glob("*.txt"))
    cores = os.cpu_count()
    setting = f"{cores} cores, {args.docs:,} documents ({size_mb:.1f} MB, {words:,} words)"
    print(f"machine: {setting}; load average {load()}; Python {sys.version.split()[0]}")
    work = Path(tempfile.mkdtemp(prefix="casedesk-scale-"))
    try:
        run(args, folder, manifest, work, setting, words, started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(
    args: argparse.Namespace,
    folder: Path,
    manifest: Path,
    work: Path,
    setting: str,
    words: int,
    started: float,
) -> None:
    cores = os.cpu_count()
    table = Table()
    path = work / "scale.casedesk"

    # Import without extraction: text, debris flags, search index.
    def plain_import() -> None:
        import_case(path, folder, manifest).close()

    wall, cpu = timed(plain_import, args.repeat)
    table.add(
        "import without extraction",
        f"{args.docs / wall:,.0f} documents/s ({wall:.1f} s); "
        f"CPU {cpu:.1f} s = {args.docs / cpu:,.0f} documents/s",
        "≥ 1,000 documents/s",
    )

    # Import with full extraction (once: it is long).
    t0, c0 = time.perf_counter(), cpu_now()
    case = import_case(path, folder, manifest)
    import_s, import_cpu = time.perf_counter() - t0, cpu_now() - c0
    ids = case.document_ids()[: args.extract_docs] if args.extract_docs else case.document_ids()
    t1, c1 = time.perf_counter(), cpu_now()
    extract_all(case, ids, args.workers)
    extract_s, extract_cpu = time.perf_counter() - t1, cpu_now() - c1
    share = len(ids) / args.docs
    total = import_s * share + extract_s
    total_cpu = import_cpu * share + extract_cpu
    label = "import with full extraction"
    used = max(1, min(args.workers, cores or 1))
    measured = (
        f"{total / 60:.1f} min ({words * share / total:,.0f} words/s, {args.workers} workers); "
        f"CPU {total_cpu / 60:.1f} min = {total_cpu / used / 60:.1f} min on {used} free cores"
    )
    if len(ids) < args.docs:
        label += f" ({len(ids):,} of {args.docs:,} documents)"
        measured += (
            f"; for all {args.docs:,}: {total / share / 60:.0f} min, "
            f"CPU {total_cpu / share / used / 60:.0f} min on {used} free cores"
        )
    table.add(label, measured, "under 5 minutes for 10,000 on 2 cores")
    n_facts = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    n_events = case.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"    ({n_facts:,} facts, {n_events:,} timeline events)")

    # Case-wide search.
    samples, cpu_samples = [], []
    for q in QUERIES:  # warm the page cache, as an open case has it
        case.search(q)
    for _ in range(10):
        for q in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            case.search(q)
            samples.append(time.perf_counter() - t)
            cpu_samples.append(time.process_time() - c)
    table.add(
        "case-wide search, typical queries",
        f"p95 {p95(samples) * 1000:.1f} ms, median {statistics.median(samples) * 1000:.1f} ms; "
        f"CPU p95 {p95(cpu_samples) * 1000:.1f} ms",
        "p95 under 20 ms",
    )

    # Markdown export of the whole case.
    from casedesk.export import summary_markdown

    wall, cpu = timed(lambda: summary_markdown(case), args.repeat)
    table.add("Markdown export of the case", f"{wall:.1f} s; CPU {cpu:.1f} s", "under 10 s")
    case.close()

    # `casedesk facts --format jsonl` over 500,000 facts.
    facts_path = work / "facts.casedesk"
    shutil.copy(path, facts_path)
    rows = fill_facts(facts_path, args.facts)
    cmd = [sys.executable, "-m", "casedesk", "facts", str(facts_path), "--format", "jsonl"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "gui")}

    def facts_jsonl() -> None:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)

    wall, cpu = timed(facts_jsonl, args.repeat)
    table.add(
        f"`casedesk facts --format jsonl`, {rows:,} facts",
        f"{rows / wall:,.0f} rows/s ({wall:.1f} s); CPU {cpu:.1f} s = {rows / cpu:,.0f} rows/s",
        "≥ 100,000 rows/s",
    )
    facts_path.unlink()

    if not args.skip_ui:
        probe = [sys.executable, str(HERE / "ui_probe.py"), str(path)]
        probe += ["--repeat", str(args.repeat), "--import-folder", str(folder)]
        probe += ["--import-docs", str(args.import_docs)]
        if args.smoke:  # building the real sample case would load the language model again
            probe += ["--sample", str(path)]
        result = subprocess.run(
            probe, capture_output=True, text=True, env={**env, "QT_QPA_PLATFORM": "offscreen"}
        )
        for line in result.stdout.splitlines():
            if line.startswith("{"):
                row = json.loads(line)
                table.add(row["figure"], row["measured"], row["target"])
            elif line.startswith(" "):
                print(line, flush=True)  # the probe's notes (e.g. where the memory goes)
        if result.returncode != 0:
            raise SystemExit(f"bench/ui_probe.py failed:\n{result.stdout}{result.stderr[-3000:]}")
        for row in timeline_rows(args.timeline_events):
            table.add(*row)

    table.print(
        f"Casedesk scale figures: {setting}; medians of {args.repeat}; "
        f"load average at the end {load()}; {(time.perf_counter() - started) / 60:.0f} min"
    )
    if args.keep:
        shutil.copy(path, args.keep)


if __name__ == "__main__":
    main()

"""The extraction benchmark: every figure of the extraction in one command.

1. Dates on TempEval-3 (AQUAINT, TimeBank), by extent and by value: ``bench/tempeval.py``.
2. Entities, quantities and alias merges on the sample's gold set: ``bench/sample_gold.py``.
3. Events and claims on the sample's gold sets (``tests/data/gold/events.jsonl``,
   ``claims.jsonl``), through the whole pipeline (``extract_documents`` on an imported case):
   * events P/R/F1: a system event matches a gold one when it covers the gold sentence and
     has the same date value (a time of day is compared at its day);
   * corroboration: over pairs of matched gold events, "one timeline item" according to the
     system vs the gold clusters (pairwise P/R/F1), and the same for a sweep of thresholds;
   * claims P/R/F1: the claim span overlaps the gold claim and the speaker agrees (the gold
     speaker's words are found in the system's speaker or the reverse).
4. Whole-pipeline throughput in words per second on one core (``workers=1``): on the seeds
   (several passes) and on a synthetic batch from ``bench/generate.py`` (speed only), and with
   ``workers=2`` on the batch.

Run:  python bench/extraction.py            (from the repository root, in the project's venv)
      python bench/extraction.py --only events --show   (skip 1-2, list misses)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import resource
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.extract import corroborate  # noqa: E402
from casedesk.extract.pipeline import extract_documents  # noqa: E402
from casedesk.extract.timex import period  # noqa: E402
from casedesk.ingest.importer import import_paths, import_sample  # noqa: E402
from casedesk.store import Case  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"


def _load_bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"bench/{name}.py: cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _gold(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _line(label: str, tp: int, n_sys: int, n_gold: int) -> str:
    p, r, f = prf(tp, n_sys, n_gold)
    return (
        f"  {label:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (tp {tp}, system {n_sys}, gold {n_gold})"
    )


def _day(value: str | None) -> str:
    return (value or "").split("T")[0]


def _same_date(a: str | None, b: str | None) -> bool:
    if _day(a) == _day(b):
        return True
    pa, pb = period(a), period(b)
    return pa is not None and pb is not None and pa == pb


def score_events(case: Case, show: bool) -> dict[int, str]:
    """Print event and corroboration figures; return matched system fact id -> gold cluster."""
    docs = {case.document(d)["file_name"]: d for d in case.document_ids()}
    gold = _gold("events.jsonl")
    system = case.conn.execute(
        "SELECT f.id, f.document_id, f.start, f.end, f.value, f.attrs FROM facts f "
        "WHERE f.kind = 'event' AND f.status != 'rejected'"
    ).fetchall()
    used: set[int] = set()
    matched: dict[int, str] = {}
    misses: list[str] = []
    for g in gold:
        doc_id = docs[g["file"]]
        text = case.document(doc_id)["text"]
        at = text.index(g["sentence"])
        hit = next(
            (
                fid
                for fid, d, s, e, value, _a in system
                if d == doc_id and s <= at < e and fid not in used and _same_date(value, g["date"])
            ),
            None,
        )
        if hit is None:
            misses.append(f"    miss  {g['file'][:3]} {g['date']:<16} {g['sentence'][:60]}")
            continue
        used.add(hit)
        matched[hit] = g["cluster"]
    print("Events (sample gold, whole pipeline)")
    print(_line("events", len(used), len(system), len(gold)))
    if show:
        print("\n".join(misses))
        for fid, d, _s, _e, value, attrs in system:
            if fid not in used:
                title = json.loads(attrs).get("title", "")
                print(f"    false {d} {value:<16} {title[:60]}")
    event_of = dict(case.conn.execute("SELECT fact_id, event_id FROM event_sources").fetchall())
    tp = n_sys = n_gold = 0
    for a, b in combinations(sorted(matched), 2):
        same_gold = matched[a] == matched[b]
        same_sys = event_of.get(a) is not None and event_of.get(a) == event_of.get(b)
        tp += same_gold and same_sys
        n_sys += same_sys
        n_gold += same_gold
    print(_line("corroboration (pairs)", tp, n_sys, n_gold))
    return matched


def sweep(case: Case, matched: dict[int, str]) -> None:
    """Corroboration pair F1 by threshold (the events table is rebuilt for each)."""
    cells = []
    for threshold in (0.2, 0.25, 0.3, 0.34, 0.4, 0.45, 0.5, 0.6):
        with case.transaction():
            corroborate.rebuild(case.conn, threshold)
        event_of = dict(case.conn.execute("SELECT fact_id, event_id FROM event_sources"))
        tp = n_sys = n_gold = 0
        for a, b in combinations(sorted(matched), 2):
            same_gold = matched[a] == matched[b]
            same_sys = event_of.get(a) is not None and event_of.get(a) == event_of.get(b)
            tp += same_gold and same_sys
            n_sys += same_sys
            n_gold += same_gold
        f = prf(tp, n_sys, n_gold)[2]
        cells.append(f"{threshold:.2f}: {f:.2f}")
    with case.transaction():
        corroborate.rebuild(case.conn)
    print("  corroboration F1 by threshold  " + "  ".join(cells))


def _speaker_agrees(gold: str, system: str) -> bool:
    def words(s: str) -> set[str]:
        return {w.strip(",.").lower() for w in s.split()} - {"the", "a", "an", "of"}

    g, s = words(gold), words(system)
    return bool(g) and bool(s) and (g <= s or s <= g) and 2 * len(g & s) >= len(g)


def score_claims(case: Case, show: bool) -> None:
    docs = {case.document(d)["file_name"]: d for d in case.document_ids()}
    gold = _gold("claims.jsonl")
    system = case.conn.execute(
        "SELECT id, document_id, start, end, value, attrs FROM facts "
        "WHERE kind = 'claim' AND status != 'rejected'"
    ).fetchall()
    used: set[int] = set()
    span_only = 0
    misses = []
    for g in gold:
        doc_id = docs[g["file"]]
        text = case.document(doc_id)["text"]
        gs = text.index(g["claim"])
        ge = gs + len(g["claim"])
        overlapping = [r for r in system if r[1] == doc_id and r[2] < ge and gs < r[3]]
        if overlapping:
            span_only += 1
        hit = next(
            (r[0] for r in overlapping if r[0] not in used and _speaker_agrees(g["speaker"], r[4])),
            None,
        )
        if hit is None:
            who = [r[4] for r in overlapping]
            misses.append(
                f"    miss  {g['file'][:3]} {g['speaker'][:30]:<30} {g['claim'][:40]}  {who}"
            )
            continue
        used.add(hit)
    print("Claims (sample gold, whole pipeline)")
    print(_line("claims (span + speaker)", len(used), len(system), len(gold)))
    print(_line("claims (span only)", span_only, len(system), len(gold)))
    if show:
        print("\n".join(misses))
        for fid, d, _s, _e, value, _a in system:
            if fid not in used:
                print(f"    false {d} {value}")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def throughput(repeat: int, synthetic: int) -> None:
    from casedesk.extract.nlp import get_nlp

    get_nlp()  # the model load is not part of the throughput
    best = best_cpu = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(repeat):
            case = Case.create(Path(tmp) / f"seeds{n}.casedesk")
            import_sample(case)
            ids = case.document_ids()
            t0, c0 = time.perf_counter(), _cpu()
            stats = extract_documents(case, ids)
            seconds, cpu = time.perf_counter() - t0, _cpu() - c0
            words = sum(s.words for s in stats)
            best = max(best, words / seconds)
            best_cpu = max(best_cpu, words / cpu)
            case.close()
        load = os.getloadavg()[0]
        print("Throughput (whole pipeline: mask, date, parse, extractors, resolve, write)")
        print(f"  machine load average {load:.1f} on {os.cpu_count()} cores while measuring")
        print(
            f"  seeds, workers=1 (best of {repeat}): {best:,.0f} words/second wall clock, "
            f"{best_cpu:,.0f} words per CPU-second"
        )
        if synthetic <= 0:
            return
        gen = _load_bench("generate")
        folder = Path(tmp) / "synthetic"
        folder.mkdir()
        gen.generate(folder, synthetic, 7)
        for workers in (1, 2):
            case = Case.create(Path(tmp) / f"synthetic{workers}.casedesk")
            import_paths(case, [folder], manifest=folder / "manifest.json")
            ids = case.document_ids()
            t0, c0 = time.perf_counter(), _cpu()
            stats = extract_documents(case, ids, workers=workers)
            seconds, cpu = time.perf_counter() - t0, _cpu() - c0
            words = sum(s.words for s in stats)
            errors = sum(1 for s in stats if s.error)
            print(
                f"  synthetic {len(ids)} documents, {words:,} words, workers={workers}: "
                f"{words / seconds:,.0f} words/second wall clock, "
                f"{words / cpu:,.0f} words per CPU-second"
                + (f", {errors} failed" if errors else "")
            )
            case.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", choices=("all", "events", "speed"), default="all", help="part to run"
    )
    parser.add_argument("--show", action="store_true", help="list misses and false hits")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the seeds for speed")
    parser.add_argument("--synthetic", type=int, default=200, help="documents in the batch")
    parser.add_argument("--sweep", action="store_true", help="corroboration F1 by threshold")
    args = parser.parse_args()

    if args.only == "all":
        print("== Dates: TempEval-3 (bench/tempeval.py) ==", flush=True)
        _load_bench("tempeval").main([])
        print("\n== Entities: sample gold (bench/sample_gold.py) ==", flush=True)
        saved = sys.argv
        sys.argv = [saved[0]]
        try:
            _load_bench("sample_gold").main()
        finally:
            sys.argv = saved
        print()
    if args.only in ("all", "events"):
        print("== Events and claims: sample gold ==", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            case = Case.create(Path(tmp) / "sample.casedesk")
            report = import_sample(case)
            if not report.ok:
                raise SystemExit("; ".join(report.messages()))
            extract_documents(case, case.document_ids())
            matched = score_events(case, args.show)
            if args.sweep:
                sweep(case, matched)
            score_claims(case, args.show)
            with contextlib.suppress(Exception):
                case.close()
        print()
    if args.only in ("all", "speed"):
        print("== Throughput ==", flush=True)
        throughput(args.repeat, args.synthetic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

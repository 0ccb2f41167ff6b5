"""Import throughput: N small generated text documents into a fresh case, no extraction.

    python bench/ingest.py [N] [--repeat 3]

Each document is a headline, five 50-word paragraphs and two lines of web debris, so the figure
covers reading, decoding, debris detection, storing and the search index. Prints the median of
``--repeat`` imports into fresh cases with the core count and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))

from casedesk.ingest import import_paths  # noqa: E402
from casedesk.store import Case  # noqa: E402

WORDS = [
    "ministry",
    "export",
    "control",
    "semiconductor",
    "tokyo",
    "seoul",
    "officials",
    "said",
    "talks",
    "trade",
    "materials",
    "restrictions",
    "meeting",
    "government",
    "week",
    "agreement",
    "tariffs",
    "industry",
]


def write_documents(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [
            " ".join(rng.choice(WORDS) for _ in range(50)).capitalize() + "." for _ in range(5)
        ]
        body = (
            f"Headline number {i} about trade\n\n"
            + "\n\n".join(paras)
            + "\n\nShare this article\n© 2020 Example News"
        )
        (folder / f"{i:05}.txt").write_text(body, encoding="utf-8")


def import_once(folder: Path, case_path: Path, n: int) -> float:
    case = Case.create(case_path)
    try:
        t = time.perf_counter()
        report = import_paths(case, [folder])
        elapsed = time.perf_counter() - t
    finally:
        case.close()
    if len(report.imported) != n:
        raise SystemExit(f"imported {len(report.imported)} of {n}: {report.messages()[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casedesk-ingest-bench-") as tmp:
        folder = Path(tmp) / "docs"
        write_documents(folder, args.n)
        times = []
        for i in range(args.repeat):
            times.append(import_once(folder, Path(tmp) / f"bench-{i}.casedesk", args.n))
        elapsed = statistics.median(times)
    print(
        f"{args.n} documents in {elapsed:.2f} s = {args.n / elapsed:,.0f} documents/s "
        f"(median of {args.repeat}; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()

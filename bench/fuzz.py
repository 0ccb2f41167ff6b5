"""The long fuzz run: readers and case files for ``--seconds`` (default 600) from a new seed.

Prints the counts (inputs, refused, tracebacks, hangs) and the seed; every input that gave a
traceback or a hang is kept under tests/data/fuzz/ (named by target and content hash), where
the test suite replays it. ``--seed`` repeats a run.

    python bench/fuzz.py --seconds 600
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "gui"), str(ROOT / "tests" / "fuzz")]

import fuzzing  # noqa: E402

KEEP = ROOT / "tests" / "data" / "fuzz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--time-cap", type=float, default=fuzzing.TIME_CAP_SECONDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casedesk-fuzz-") as tmp:
        counts = fuzzing.fuzz(Path(tmp), args.seconds, seed=args.seed, time_cap_s=args.time_cap)
    print(counts.line())
    for finding in counts.findings:
        digest = hashlib.sha256(finding.data).hexdigest()[:12]
        kind, _, what = finding.target.partition(":")
        suffix = ".casedesk" if kind == "case" else fuzzing.reader_formats().get(what, ".bin")
        kept = KEEP / f"{kind}-{what}-{finding.kind}-{digest}{suffix}"
        kept.write_bytes(finding.data)
        print(f"{finding.target}: {finding.kind}, kept as {kept.relative_to(ROOT)}")
        print("   ", finding.detail.strip().splitlines()[-1][:300])
    return 1 if counts.findings else 0


if __name__ == "__main__":
    sys.exit(main())

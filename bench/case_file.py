"""Case file benchmark: what opening, backing up and restoring a case cost at a given size.

    python bench/case_file.py                   # 2,000 generated documents (about 18 MB)
    python bench/case_file.py --documents 20000 # about 180 MB (generating takes minutes)

Prints wall and CPU seconds of: opening a case closed cleanly (no full check), opening it after
a change the clean-close record does not vouch for (quick_check), one backup with SQLite's
backup API, and a restore (which checks the backup and backs the case up first). The machine is
shared: wall time includes waiting for other processes; CPU time is Casedesk's own.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))

from casedesk import backups  # noqa: E402
from casedesk.store import Case  # noqa: E402


def _timed(label: str, work: Callable[[], object]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"| {label:<44} | {wall:7.2f} s | {cpu:7.2f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casedesk-case-file-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # backups go here, not the user's
    path = folder / "bench.casedesk"
    rng = random.Random(1)
    words = [f"w{i}" for i in range(5000)]
    with Case.create(path) as case, case.transaction():
        for n in range(args.documents):
            text = " ".join(rng.choice(words) for _ in range(800))
            case.add_document(file_name=f"d{n}.txt", text=text, sha256=f"s{n}", format="txt")
    size = path.stat().st_size / 2**20
    print(f"{args.documents} documents, {size:.0f} MiB; load average {os.getloadavg()[0]:.1f}")
    print("| step | wall | CPU |\n|---|---|---|")
    _timed("open a case closed cleanly", lambda: Case.open(path).close())
    os.utime(path)  # the record no longer vouches for it
    _timed("open after an outside change (quick_check)", lambda: Case.open(path).close())
    with Case.open(path) as case:
        made: list[Path] = []
        _timed("back up (SQLite backup API)", lambda: made.append(backups.make(case, "bench")))
        _timed("restore (check, back up first, copy)", lambda: backups.restore(case, made[0]))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

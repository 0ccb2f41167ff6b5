"""Window figures for the scale benchmark, printed as JSON lines (bench/scale.py reads them).

    QT_QPA_PLATFORM=offscreen python bench/ui_probe.py CASE [--repeat 3] [--import-folder DIR]

- start-up to first painted window: `casedesk open` in a fresh process, timed from process start
  to the reader's first paint (CASEDESK_TIMING=quit makes it report and quit), for the sample
  case and for CASE;
- peak memory (max RSS) of that process with CASE open;
- which heavy modules that process imported (``python -X importtime``): the language model
  and the extraction pipeline must not load to show a window;
- switching to a document with about 200 facts, highlights drawn: p95 over many switches;
- the longest stall of the event loop while an import with extraction runs in the worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

FIRST_PAINT = re.compile(
    r"first paint of the reader ([\d.]+) s after process start(?: \(CPU ([\d.]+) s\))?"
)
SWITCH_RSS: list[float] = []  # peak RSS of this process after the switching probe, in MB
HEAVY = ("spacy", "thinc", "casedesk.extract.pipeline", "casedesk.extract.nlp", "casedesk.export")


def emit(figure: str, measured: str, target: str) -> None:
    print(json.dumps({"figure": figure, "measured": measured, "target": target}), flush=True)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _open_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "gui"),
        "CASEDESK_TIMING": "quit",
        "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="casedesk-probe-"),
    }


def startup(case: Path, repeat: int) -> tuple[float, float, float]:
    """Median seconds to first paint, its median CPU seconds, and the largest max-RSS in MB."""
    env = _open_env()
    times, cpus, rss = [], [], 0.0
    warm = 1 if repeat > 1 else 0  # the first start warms the disk cache and is not counted
    for _ in range(repeat + warm):
        with tempfile.TemporaryFile("w+") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "casedesk", "open", str(case)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                text=True,
                env=env,
            )
            # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the largest of
            # every child so far, including one that built the sample case with the model).
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read()
        rss = max(rss, usage.ru_maxrss / 1024)
        match = FIRST_PAINT.search(stderr)
        if proc.returncode != 0 or not match:
            raise SystemExit(f"start-up probe failed: {stderr[-2000:]}")
        times.append(float(match.group(1)))
        cpus.append(float(match.group(2) or "nan"))
    return statistics.median(times[warm:]), statistics.median(cpus[warm:]), rss


def heavy_imports(case: Path) -> tuple[list[str], int]:
    """Heavy modules imported by ``casedesk open`` up to the first paint, and the module count."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "casedesk", "open", str(case)],
        capture_output=True,
        text=True,
        env=_open_env(),
        timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"import-time probe failed: {result.stderr[-2000:]}")
    modules = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line and "imported package" not in line
    ]
    heavy = sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})
    return heavy, len(modules)


def switching(case_path: Path) -> tuple[float, float, int, bool]:
    """p95 wall and CPU milliseconds to show a document and draw its highlights, its fact
    count, and whether the language model got loaded along the way (it must not)."""
    from PySide6.QtWidgets import QApplication

    from casedesk.store import Case
    from casedesk.ui.app import make_app
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import Settings

    app = make_app()
    window = MainWindow(Settings())
    window.resize(1280, 800)
    window.show()
    with Case.open(case_path) as probe:
        rows = probe.conn.execute(
            "SELECT document_id, count(*) AS n FROM facts GROUP BY document_id "
            "ORDER BY abs(n - 200) LIMIT 40"
        ).fetchall()
    window.open_case(case_path)
    app.processEvents()
    samples, cpu = [], []
    for _ in range(3):
        for doc_id, _n in rows:
            t, c = time.perf_counter(), time.process_time()
            window.show_document(doc_id)
            window.reader.viewport().repaint()
            QApplication.processEvents()
            samples.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    window.close()
    loaded_model = "spacy" in sys.modules
    SWITCH_RSS.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    try:  # resident now, beside the peak (Linux)
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        SWITCH_RSS.append(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)
    except OSError:
        SWITCH_RSS.append(float("nan"))
    return p95(samples), p95(cpu), int(statistics.median(n for _, n in rows)), loaded_model


def import_stall(folder: Path, limit: int) -> tuple[float, int]:
    """The longest gap between event-loop ticks while the worker imports and extracts."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from casedesk.store import Case
    from casedesk.ui.app import make_app
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import Settings
    from casedesk.ui.worker import ImportWorker

    app = make_app()  # noqa: F841  (keeps the application alive)
    window = MainWindow(Settings())
    window.show()
    path = Path(tempfile.mkdtemp(prefix="casedesk-stall-")) / "stall.casedesk"
    case = Case.create(path)
    window.set_case(case)
    files = sorted(folder.glob("*.txt"))[:limit]
    clock = QElapsedTimer()
    clock.start()
    worst = [0.0]
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0] - 10)
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    worker = ImportWorker(path, files, parent=window)
    done = [False]
    worker.finished.connect(lambda: done.__setitem__(0, True))
    window.start_work(worker)
    while not done[0]:
        QApplication.processEvents()
        time.sleep(0.001)
    timer.stop()
    window.close()
    return worst[0], len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--import-folder", type=Path, default=None)
    parser.add_argument("--import-docs", type=int, default=100)
    parser.add_argument(
        "--sample", type=Path, default=None, help="an existing sample case (default: build one)"
    )
    args = parser.parse_args()
    # Every temporary case and settings folder of this run goes here, removed at the end.
    tempfile.tempdir = tempfile.mkdtemp(prefix="casedesk-probe-run-")
    try:
        probe(args)
    finally:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


def probe(args: argparse.Namespace) -> None:
    sample = args.sample
    if sample is None:
        sample = Path(tempfile.mkdtemp(prefix="casedesk-sample-")) / "sample.casedesk"
        subprocess.run(
            [sys.executable, "-m", "casedesk", "sample", str(sample), "--quiet"],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "gui")},
        )
    seconds, cpu, _ = startup(sample, args.repeat)
    emit(
        "start-up to first painted window, sample case",
        f"{seconds:.2f} s; CPU {cpu:.2f} s",
        "under 0.5 s",
    )
    seconds, cpu, rss = startup(args.case, args.repeat)
    emit(
        "start-up to first painted window, this case",
        f"{seconds:.2f} s; CPU {cpu:.2f} s",
        "under 1.0 s",
    )
    heavy, count = heavy_imports(args.case)
    emit(
        "modules loaded to show the window",
        f"{count} modules; heavy: {', '.join(heavy) if heavy else 'none'}",
        "no language model, no extraction or export code",
    )
    ms, cpu_ms, facts, loaded_model = switching(args.case)
    emit(
        f"switching to a document with ~{facts} facts, highlights drawn",
        f"p95 {ms:.1f} ms; CPU p95 {cpu_ms:.1f} ms"
        + ("; LOADED THE LANGUAGE MODEL" if loaded_model else ""),
        "under 50 ms at p95",
    )
    emit(
        "peak memory with this case open",
        f"{rss:.0f} MB at first paint; after switching documents {SWITCH_RSS[0]:.0f} MB "
        f"(resident now {SWITCH_RSS[1]:.0f} MB)",
        "under 400 MB",
    )
    if args.import_folder:
        stall, n = import_stall(args.import_folder, args.import_docs)
        emit(
            f"longest event-loop stall while importing {n} documents with extraction",
            f"{stall:.0f} ms",
            "the window keeps painting",
        )


if __name__ == "__main__":
    main()

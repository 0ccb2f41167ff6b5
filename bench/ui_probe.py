"""Window figures for the scale benchmark, printed as JSON lines (bench/scale.py reads them).

    QT_QPA_PLATFORM=offscreen python bench/ui_probe.py CASE [--repeat 3]
        [--import-folder DIR] [--import-docs 10 100] [--only startup,memory,stall,...]
        [--trace-memory] [--stall-stacks] [--import-into-case]

- start-up to first painted window: `casedesk open` in a fresh process, timed from process start
  to the reader's first paint (CASEDESK_TIMING=quit makes it report and quit), for the sample
  case and for CASE;
- peak memory with CASE open: the peak resident memory (VmHWM) of that process at first paint,
  and of a fresh process that shows CASE and then switches between its largest documents, with
  where the memory goes step by step (resident, anonymous vs file-backed, the C heap in use and
  held; with --trace-memory also Python's own heap by tracemalloc and the lines that allocated
  most);
- which heavy modules that process imported (``python -X importtime``): the language model
  and the extraction pipeline must not load to show a window;
- switching to a document with about 200 facts, highlights drawn: p95 over many switches;
- the event loop while an import with extraction runs in the worker (and, with
  ``--only properties``, while a document's date change re-extracts it): a 10 ms timer's
  lateness (longest, p95, how many ticks were 50 ms or more late, how much of the longest the
  GUI thread itself ran); with --stall-stacks also what the threads were doing during the
  longest stalls (``--import-into-case`` imports into a copy of CASE shown in the window).

Each in-process figure runs in a fresh process of its own, so one cannot inflate another.
Peak memory is read from /proc (VmHWM), never from ``ru_maxrss``: Linux carries the parent's
peak over ``exec`` into a child's ``ru_maxrss`` (a probe started by bench/scale.py after it ran
extraction reported scale.py's own 308 MB as its peak). The window is shown with
``MainWindow.set_case``, which does not start the background extraction of documents left
unextracted; a case with unextracted documents would otherwise extract them during the probe.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

FIRST_PAINT = re.compile(
    r"first paint of the reader ([\d.]+) s after process start(?: \(CPU ([\d.]+) s\))?"
)
PEAK = re.compile(r"probe-memory: VmHWM (\d+) kB, VmRSS (\d+) kB")
HEAVY = ("spacy", "thinc", "casedesk.extract.pipeline", "casedesk.extract.nlp", "casedesk.export")
FIGURES = ("startup", "switching", "memory", "stall", "properties")
STACKS = "--stall-stacks" in sys.argv  # what the threads do during stalls (see StallWatch)
DEFAULT_FIGURES = ("startup", "switching", "memory", "stall")  # properties loads the model here

# Runs `casedesk open CASE` as `python -m casedesk` does, and reports the process's own peak
# resident memory when it exits.
LAUNCH = """
import atexit, runpy, sys
def _report():
    status = dict(
        line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line
    )
    print(
        f"probe-memory: VmHWM {status['VmHWM'].split()[0]} kB, VmRSS {status['VmRSS'].split()[0]}"
        " kB", file=sys.stderr, flush=True,
    )
atexit.register(_report)
sys.argv = ["casedesk", *sys.argv[1:]]
runpy.run_module("casedesk", run_name="__main__", alter_sys=True)
"""


def emit(figure: str, measured: str, target: str) -> None:
    print(
        json.dumps({"figure": figure, "measured": measured, "target": target}, ensure_ascii=False),
        flush=True,
    )


def note(text: str) -> None:
    """A line that explains a figure (bench/scale.py shows only the JSON rows)."""
    print(f"    {text}", flush=True)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def proc_status() -> dict[str, float]:
    """This process's memory from /proc/self/status, in MB (Linux)."""
    out: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_use() -> tuple[float, float] | None:
    """C heap in use and C heap free but still held by malloc, in MB (glibc only): what Qt,
    SQLite and Python's larger objects hold, and what fragmentation keeps from the system."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return None
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process and of its waited-for children (worker processes)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _open_env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "gui"),
        "CASEDESK_TIMING": "quit",
        "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="casedesk-probe-"),
    }


# -- start-up ----------------------------------------------------------------------------------


def startup(case: Path, repeat: int) -> tuple[float, float, float]:
    """Median seconds to first paint, its median CPU seconds, and the largest peak resident
    memory (VmHWM) in MB of those processes."""
    env = _open_env()
    times, cpus, peak = [], [], 0.0
    warm = 1 if repeat > 1 else 0  # the first start warms the disk cache and is not counted
    for _ in range(repeat + warm):
        result = subprocess.run(
            [sys.executable, "-c", LAUNCH, "open", str(case)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=300,
        )
        match = FIRST_PAINT.search(result.stderr)
        mem = PEAK.search(result.stderr)
        if result.returncode != 0 or not match or not mem:
            raise SystemExit(f"start-up probe failed: {result.stderr[-2000:]}")
        peak = max(peak, int(mem.group(1)) / 1024)
        times.append(float(match.group(1)))
        cpus.append(float(match.group(2) or "nan"))
    return statistics.median(times[warm:]), statistics.median(cpus[warm:]), peak


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


# -- a window in this process ------------------------------------------------------------------


def _window() -> Any:
    from casedesk.ui.app import make_app
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import Settings

    app = make_app()
    window = MainWindow(Settings())
    window.resize(1280, 800)
    window.show()
    return app, window


def _show_case(window: Any, case_path: Path) -> None:
    """Open the case as the window does, but without starting the background extraction of
    documents an earlier import left unextracted (a benchmark case may have many)."""
    from PySide6.QtWidgets import QApplication

    from casedesk.store import Case

    window.set_case(Case.open(case_path))
    QApplication.processEvents()


def _wait_for_timeline(window: Any, timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while window.timeline is not None and window.timeline.view.is_loading():
        QApplication.processEvents()
        time.sleep(0.005)
        if time.monotonic() > deadline:
            raise SystemExit("the timeline did not finish loading")
    QApplication.processEvents()


def _documents_by_facts(case_path: Path, n: int = 40) -> tuple[list[int], int]:
    from casedesk.store import Case

    with Case.open(case_path) as probe:
        rows = probe.conn.execute(
            "SELECT document_id, count(*) AS n FROM facts GROUP BY document_id "
            "ORDER BY abs(n - 200) LIMIT ?",
            (n,),
        ).fetchall()
    return [int(r[0]) for r in rows], int(statistics.median(r[1] for r in rows)) if rows else 0


def switching(case_path: Path) -> None:
    """p95 wall and CPU milliseconds to show a document and draw its highlights, its fact
    count, whether the language model got loaded along the way (it must not), and the peak
    resident memory of this process."""
    from PySide6.QtWidgets import QApplication

    app, window = _window()  # noqa: F841  (the application must stay alive)
    docs, facts = _documents_by_facts(case_path)
    _show_case(window, case_path)
    _wait_for_timeline(window)
    samples, cpu = [], []
    for _ in range(3):
        for doc_id in docs:
            t, c = time.perf_counter(), time.process_time()
            window.show_document(doc_id)
            window.reader.viewport().repaint()
            QApplication.processEvents()
            samples.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    mem = proc_status()
    window.close()
    loaded_model = "spacy" in sys.modules
    emit(
        f"switching to a document with ~{facts} facts, highlights drawn",
        f"p95 {p95(samples):.1f} ms; CPU p95 {p95(cpu):.1f} ms"
        + ("; LOADED THE LANGUAGE MODEL" if loaded_model else ""),
        "under 50 ms at p95",
    )
    print(json.dumps({"switch_peak_mb": mem.get("VmHWM"), "switch_rss_mb": mem.get("VmRSS")}))


# -- where the memory goes --------------------------------------------------------------------


def memory(case_path: Path, top: int, trace: bool) -> None:
    """Resident memory step by step with the case open. With ``trace``, what Python allocated
    at each step (tracemalloc), by the lines that allocated most; tracemalloc's bookkeeping
    inflates the resident figures, so those come from a run without it."""
    import gc
    import tracemalloc

    if trace:
        tracemalloc.start(1)
    steps: list[tuple[str, dict[str, float], tuple[float, float] | None, Any]] = []

    def step(name: str) -> None:
        gc.collect()
        snap = tracemalloc.take_snapshot() if trace else None
        steps.append((name, proc_status(), malloc_use(), snap))

    step("Python started")
    from PySide6.QtWidgets import QApplication

    import casedesk.ui.main_window  # noqa: F401

    step("Qt and Casedesk modules imported")
    app, window = _window()  # noqa: F841
    QApplication.processEvents()
    step("empty window shown")
    docs, _facts = _documents_by_facts(case_path)
    _show_case(window, case_path)
    window.reader.viewport().repaint()
    step("case open, first document painted")
    _wait_for_timeline(window)
    step("timeline events loaded")
    for _ in range(3):
        for doc_id in docs:
            window.show_document(doc_id)
            window.reader.viewport().repaint()
            QApplication.processEvents()
    step(f"switched {3 * len(docs)} times between {len(docs)} large documents")
    sources = window.sources_model
    loaded = f"sources model: {sources.rowCount():,} of {sources._total:,} rows loaded"
    window.close()

    filt = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    ]
    if not trace:
        note(
            "step: resident (anonymous + file-backed), peak so far; C heap (malloc: Qt, SQLite, "
            "Python's larger objects) in use + free but held"
        )
    previous = None
    for name, mem, heap, snap in steps:
        if not trace:
            c_heap = f"; C heap {heap[0]:.0f} + {heap[1]:.0f} MB" if heap else ""
            note(
                f"{name}: {mem.get('VmRSS', 0):.0f} MB resident ({mem.get('RssAnon', 0):.0f} "
                f"anon + {mem.get('RssFile', 0):.0f} file), peak {mem.get('VmHWM', 0):.0f} MB"
                + c_heap
            )
            continue
        python_heap = sum(s.size for s in snap.statistics("filename")) / 2**20
        note(f"{name}: Python heap {python_heap:.1f} MB")
        if previous is not None:
            grown = snap.filter_traces(filt).compare_to(previous.filter_traces(filt), "lineno")
            for stat in [s for s in grown if s.size_diff > 256 * 1024][:top]:
                frame = stat.traceback[0]
                where = f"{_short(frame.filename)}:{frame.lineno}"
                note(f"    +{stat.size_diff / 2**20:5.1f} MB  {where}")
        previous = snap
    if trace:
        return
    note(loaded)
    final = steps[-1][1]
    print(json.dumps({"memory_peak_mb": final.get("VmHWM"), "memory_rss_mb": final.get("VmRSS")}))


def _short(filename: str) -> str:
    for marker in ("/gui/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# -- the event loop during an import -----------------------------------------------------------


class StallWatch:
    """Ticks a 10 ms timer on the GUI thread and records how late each tick is.

    With ``stacks``, while a tick is overdue by ``OVERDUE_MS``, faulthandler's watchdog (a C
    thread that needs no GIL, so it also reports when another thread holds the GIL) writes every
    thread's Python stack to a file: what the GUI thread and the worker were doing during each
    stall. It reads other threads' frames while they run; one run of about twenty with it
    died of SIGSEGV (with the earlier in-thread import, so perhaps not from this), so it is
    only on when asked for.
    """

    INTERVAL_MS = 10
    OVERDUE_MS = 30

    def __init__(self, stacks: bool = False) -> None:
        self.stacks = stacks
        self.lateness: list[float] = []
        self.busy: list[tuple[float, float]] = []  # (ms late, ms the GUI thread ran meanwhile)
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._dumps = tempfile.TemporaryFile("w+")  # noqa: SIM115 - read at the end
        self._main = threading.get_ident()

    def start(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._arm()

    def _arm(self) -> None:
        import faulthandler

        if not self.stacks:
            return
        faulthandler.dump_traceback_later(
            (self.INTERVAL_MS + self.OVERDUE_MS) / 1000, file=self._dumps
        )

    def stop(self) -> None:
        import faulthandler

        if self.stacks:
            faulthandler.cancel_dump_traceback_later()

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self._arm()
        late = max(0.0, (now - self._last) * 1000 - self.INTERVAL_MS)
        self.lateness.append(late)
        # How much of the gap the GUI thread itself ran: the rest it waited, for a core (the
        # machine is busy) or for the interpreter lock (another thread of this process).
        self.busy.append((late, (cpu - self._last_cpu) * 1000))
        self._last, self._last_cpu = now, cpu

    def stalls(self) -> list[str]:
        """For each stall, in order: where the GUI thread and the other threads were."""
        self._dumps.seek(0)
        out = []
        for block in self._dumps.read().split("Timeout (")[1:]:
            parts = []
            for thread in re.split(r"\n(?=Thread 0x)", block)[1:]:
                head, *frames = thread.splitlines()
                ident = int(head.split()[1], 16)
                calls = [re.match(r'\s*File "(.*)", line (\d+) in (.*)', f) for f in frames]
                calls = [c for c in calls if c]  # innermost first
                if not calls:
                    continue
                # (thread names are not kept: a finished thread's number is reused)
                label = "GUI" if ident == self._main else "other thread"
                inner = f"{_short(calls[0][1])}:{calls[0][3]}"
                ours = [c for c in calls if "/casedesk/" in c[1]]
                if ours and ours[0] is not calls[0]:
                    inner = f"{_short(ours[0][1])}:{ours[0][3]} > {inner}"
                if label == "GUI" and "ui_probe.py" in calls[0][1]:
                    inner = "event loop (Qt, no Python code)"
                parts.append(f"[{label}] {inner}")
            out.append("; ".join(parts))
        return out


def import_stall(folder: Path, limit: int, into: Path | None = None) -> None:
    """How late the event loop gets while the worker imports and extracts ``limit`` files,
    into a new case or into a copy of ``into`` (shown as the window shows it)."""

    from casedesk.store import Case
    from casedesk.ui.worker import ImportWorker

    app, window = _window()  # noqa: F841
    path = Path(tempfile.mkdtemp(prefix="casedesk-stall-")) / "stall.casedesk"
    if into is None:
        window.set_case(Case.create(path))
    else:
        shutil.copy(into, path)
        _show_case(window, path)
        _wait_for_timeline(window)
    files = sorted(folder.glob("*.txt"))[:limit]
    progress: list[int] = []
    worker = ImportWorker(path, files, parent=window)
    worker.progress_changed.connect(lambda done, total, _label: progress.append(done))
    watch, wall, (cpu_own, cpu_kids), (own, kids) = _run_watched(window, worker)
    with Case.open(path) as case:
        facts = case.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        docs = case.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    window.close()
    late = watch.lateness or [0.0]
    slow = sum(1 for x in late if x >= 50)
    worst_late, worst_busy = max(watch.busy or [(0.0, 0.0)])
    emit(
        f"longest event-loop stall while importing {len(files)} documents with extraction"
        + (f" into a case of {docs - len(files):,}" if into is not None else ""),
        f"{max(late):.0f} ms (GUI thread running {worst_busy:.0f} ms of it); p95 {p95(late):.1f} "
        f"ms; {slow} of {len(late)} ticks ≥ 50 ms late; "
        f"import {wall:.1f} s, CPU {own - cpu_own:.1f} s here + {kids - cpu_kids:.1f} s in "
        f"worker processes; {facts:,} facts; window's peak memory "
        f"{proc_status().get('VmHWM', 0):.0f} MB; load {load()}",
        "the window keeps painting (no stall of 50 ms or more)",
    )
    if not progress or max(progress) < len(files):
        note(f"progress reached {max(progress or [0])} of {len(files)}")
    _report_stalls(watch)


def _run_watched(
    window: Any, worker: Any
) -> tuple[StallWatch, float, tuple[float, float], tuple[float, float]]:
    """Run ``worker`` in ``window`` with a 10 ms timer watching the event loop; return the
    watch, the wall time, and the CPU seconds (this process, children) before and after."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    watch = StallWatch(STACKS)
    timer = QTimer()
    timer.timeout.connect(watch.tick)
    done = [False]
    worker.finished.connect(lambda: done.__setitem__(0, True))
    wall, before = time.perf_counter(), cpu_seconds()
    timer.start(StallWatch.INTERVAL_MS)
    watch.start()
    window.start_work(worker)
    while not done[0]:
        QApplication.processEvents()
        time.sleep(0.001)
    timer.stop()
    watch.stop()
    return watch, time.perf_counter() - wall, before, cpu_seconds()


def _report_stalls(watch: StallWatch, limit: int = 6) -> None:
    if not watch.stacks:
        return
    late = watch.lateness or [0.0]
    late_ticks = [x for x in late if x >= StallWatch.OVERDUE_MS]
    places = watch.stalls()
    if len(places) == len(late_ticks):
        for ms, where in sorted(zip(late_ticks, places, strict=True), reverse=True)[:limit]:
            note(f"{ms:4.0f} ms late: {where}")
    else:  # a dump and its tick fell on either side of the threshold: show the places only
        for where, n in collections.Counter(places).most_common(limit):
            note(f"{n:3d} stall(s) ≥ {StallWatch.OVERDUE_MS} ms at: {where}")


def properties_stall(case_path: Path) -> None:
    """How late the event loop gets while a document's new publication date is applied (its
    facts are extracted again in the worker thread; the first time loads the model)."""

    from casedesk.ui.worker import PropertiesWorker

    app, window = _window()  # noqa: F841
    work = Path(tempfile.mkdtemp(prefix="casedesk-properties-")) / case_path.name
    shutil.copy(case_path, work)
    _show_case(window, work)
    _wait_for_timeline(window)
    (doc_id,), _facts = _documents_by_facts(work, 1)
    window.show_document(doc_id)
    worker = PropertiesWorker(work, doc_id, {"published": "2019-08-01"}, parent=window)
    watch, wall, (cpu_own, _kids), (own, _kids) = _run_watched(window, worker)
    window.close()
    late = watch.lateness or [0.0]
    _worst_late, worst_busy = max(watch.busy or [(0.0, 0.0)])
    emit(
        "longest event-loop stall while a document's date change re-extracts it",
        f"{max(late):.0f} ms (GUI thread running {worst_busy:.0f} ms of it); p95 "
        f"{p95(late):.1f} ms; {sum(1 for x in late if x >= 50)} of {len(late)} ticks ≥ 50 ms "
        f"late; {wall:.1f} s, CPU {own - cpu_own:.1f} s; window's peak memory "
        f"{proc_status().get('VmHWM', 0):.0f} MB; load {load()}",
        "the window keeps painting (no stall of 50 ms or more)",
    )
    _report_stalls(watch)


# -- running ------------------------------------------------------------------------------------


def _child(args: argparse.Namespace, figure: str, *extra: str) -> list[str]:
    """Run one in-process figure in a fresh process of this script; pass its lines on."""
    cmd = [sys.executable, __file__, str(args.case), "--only", figure, "--in-process", *extra]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    lines = result.stdout.splitlines()
    if result.returncode != 0:
        raise SystemExit(
            f"ui_probe {figure} failed (exit code {result.returncode}):\n"
            f"{result.stdout}{result.stderr[-3000:]}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--import-folder", type=Path, default=None)
    parser.add_argument(
        "--import-docs", type=int, nargs="+", default=[100], help="one import per number"
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_FIGURES),
        help=f"comma-separated figures to measure, of {', '.join(FIGURES)} "
        f"(default: {','.join(DEFAULT_FIGURES)})",
    )
    parser.add_argument(
        "--stall-stacks",
        action="store_true",
        help="show what each thread was doing during the longest stalls (faulthandler)",
    )
    parser.add_argument(
        "--import-into-case",
        action="store_true",
        help="import into a copy of CASE, shown in the window (default: into a new case)",
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also show which lines of Python allocated at each memory step (tracemalloc; slow)",
    )
    parser.add_argument("--top", type=int, default=4, help="allocation sites shown per step")
    parser.add_argument(
        "--sample", type=Path, default=None, help="an existing sample case (default: build one)"
    )
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = [f.strip() for f in args.only.split(",") if f.strip()]
    unknown = set(only) - set(FIGURES)
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    if args.in_process:
        os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="casedesk-probe-"))
        (figure,) = only
        if figure == "switching":
            switching(args.case)
        elif figure == "memory":
            memory(args.case, args.top, args.trace)
        elif figure == "stall":
            into = args.case if args.import_into_case else None
            import_stall(args.import_folder, args.import_docs[0], into)
        elif figure == "properties":
            properties_stall(args.case)
        return
    # Every temporary case and settings folder of this run goes here, removed at the end.
    tempfile.tempdir = tempfile.mkdtemp(prefix="casedesk-probe-run-")
    os.environ["TMPDIR"] = tempfile.tempdir
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="casedesk-settings-")
    try:
        probe(args, only)
    finally:
        shutil.rmtree(tempfile.tempdir, ignore_errors=True)


def _relay(lines: list[str]) -> dict[str, Any]:
    """Print a child's figure rows and notes; return its extra values."""
    extra: dict[str, Any] = {}
    for line in lines:
        if line.startswith("{"):
            row = json.loads(line)
            if "figure" in row:
                print(line, flush=True)
            else:
                extra.update(row)
        elif line.startswith("    "):
            print(line, flush=True)
    return extra


def probe(args: argparse.Namespace, only: list[str]) -> None:
    print(f"    load average {load()}; {os.cpu_count()} cores", flush=True)
    first_paint_peak = None
    if "startup" in only:
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
        seconds, cpu, first_paint_peak = startup(args.case, args.repeat)
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
    switched: dict[str, Any] = {}
    if "switching" in only:
        switched = _relay(_child(args, "switching"))
    if "memory" in only:
        _relay(_child(args, "memory"))
        if args.trace_memory:
            note("Python's own allocations by step (tracemalloc, a second run):")
            _relay(_child(args, "memory", "--trace", "--top", str(args.top)))
    if first_paint_peak is not None or switched:
        parts = []
        if first_paint_peak is not None:
            parts.append(f"{first_paint_peak:.0f} MB at first paint")
        if switched:
            parts.append(
                f"{switched['switch_peak_mb']:.0f} MB after switching documents "
                f"(resident then {switched['switch_rss_mb']:.0f} MB)"
            )
        emit("peak memory with this case open", "; ".join(parts) + " (VmHWM)", "under 400 MB")
    if "properties" in only:
        _relay(_child(args, "properties", *(["--stall-stacks"] if args.stall_stacks else [])))
    if "stall" in only and args.import_folder:
        for n in args.import_docs:
            _relay(
                _child(
                    args,
                    "stall",
                    "--import-folder",
                    str(args.import_folder),
                    "--import-docs",
                    str(n),
                    *(["--import-into-case"] if args.import_into_case else []),
                    *(["--stall-stacks"] if args.stall_stacks else []),
                )
            )


if __name__ == "__main__":
    main()

"""Pathological inputs: each imported and extracted in a child process with limits.

For each input the child makes the file, creates a case, imports it (``import_paths``) and
extracts its facts (``extract_documents``), then reports what happened. The parent prints the
wall-clock seconds and the child's peak resident memory (``ru_maxrss``); the child runs under
``RLIMIT_AS`` and is killed past ``--timeout`` seconds, so a regression shows as "killed"
instead of hanging the run. The target: every input finishes, or is refused with a reason,
in under 30 s and 1 GB.

    python bench/pathological.py                 # all inputs
    python bench/pathological.py line_1m pdf_empty_pages   # some
    python bench/pathological.py --list
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

WORDS = [
    "the",
    "union",
    "said",
    "talks",
    "with",
    "the",
    "port",
    "authority",
    "resumed",
    "on",
    "Monday",
    "in",
    "Rotterdam",
    "after",
    "cranes",
    "stood",
    "idle",
    "and",
    "about",
    "1,200",
    "containers",
    "waited",
    "while",
    "officials",
    "met",
    "ministers",
]


def _words(n: int, sep: str = " ") -> str:
    return sep.join(WORDS[i % len(WORDS)] for i in range(n))


def _no_stops(chars: int) -> str:
    """Prose without a single full stop: clauses joined by commas, dates among them."""
    clause = "the union said talks resumed on Monday, March 3, 2020 in Rotterdam, "
    return (clause * (chars // len(clause) + 1))[:chars]


def _empty_pages_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` empty pages and one page of text at the end."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages + 1))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages + 1} >>".encode())
    stream = b"BT /F1 12 Tf 72 720 Td (Talks resumed on Monday, March 3, 2020.) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    font = 4 + pages + 1
    for i in range(pages + 1):
        contents = " /Contents 3 0 R" if i == pages else ""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]{contents} "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _short_lines(megabytes: int) -> str:
    line = "Port log: crane 7 idle\n"
    return line * (megabytes * 1024 * 1024 // len(line))


INPUTS: dict[str, tuple[str, Callable[[], bytes | str]]] = {
    "line_1m": (".txt", lambda: _no_stops(1_000_000)),
    "no_stops_25k": (".txt", lambda: _no_stops(25_000)),
    "no_stops_50k": (".txt", lambda: _no_stops(50_000)),
    "no_stops_100k": (".txt", lambda: _no_stops(100_000)),
    "paragraphs_100k": (
        ".txt",
        lambda: "".join(f"Item {i} resumed.\n\n" for i in range(100_000)),
    ),
    "nested_html_100k": (
        ".html",
        lambda: "<html><body>" + "<div>" * 100_000 + "Talks resumed on Monday."
        + "</div>" * 100_000 + "</body></html>",
    ),
    "pdf_empty_pages": (".pdf", lambda: _empty_pages_pdf(5_000)),
    "text_50mb_short_lines": (".txt", lambda: _short_lines(49)),
    "text_over_5m_chars": (".txt", lambda: (_words(12) + ".\n\n") * 80_000),
}  # fmt: skip


def reader_child(folder: Path, megabytes: int = 60) -> dict[str, object]:
    """Runs in the child: a document of ``megabytes`` shown in the reader (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from casedesk.store import Case
    from casedesk.ui.reader import DocumentReader

    app = QApplication([])
    text = _short_lines(megabytes)
    case = Case.create(folder / "reader.casedesk")
    try:
        with case.transaction():
            doc_id = case.add_document(
                file_name="big.txt", text=text, sha256="0" * 64, format="txt"
            )
        del text
        reader = DocumentReader()
        reader.resize(900, 700)
        reader.show()
        started = time.perf_counter()
        reader.show_document(case, doc_id)
        app.processEvents()
        reader.repaint()
        app.processEvents()
        shown = len(reader.toPlainText())
        return {
            "paint_s": round(time.perf_counter() - started, 2),
            "outcome": f"shown {shown:,} characters of {megabytes} MB, with a note",
        }
    finally:
        case.close()


def child(name: str, folder: Path) -> dict[str, object]:
    """Runs in the child: make the input, import it, extract it; what happened."""
    if name == "reader_60mb":
        return reader_child(folder)
    from casedesk.extract.pipeline import extract_documents
    from casedesk.ingest import import_paths
    from casedesk.store import Case

    suffix, make = INPUTS[name]
    content = make()
    path = folder / f"{name}{suffix}"
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    else:
        path.write_bytes(content)
    del content
    size = path.stat().st_size
    case = Case.create(folder / "bench.casedesk")
    try:
        started = time.perf_counter()
        report = import_paths(case, [path])
        imported = time.perf_counter() - started
        result: dict[str, object] = {"bytes": size, "import_s": round(imported, 2)}
        if report.failed:
            result["outcome"] = f"refused: {report.failed[0][1]}"
            return result
        doc_id = report.imported[0][1]
        chars = case.conn.execute(
            "SELECT length(text) FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()[0]
        result["chars"] = chars
        started = time.perf_counter()
        (stats,) = extract_documents(case, [doc_id])
        result["extract_s"] = round(time.perf_counter() - started, 2)
        if stats.error:
            result["outcome"] = f"extraction failed: {stats.error}"
        else:
            facts = case.conn.execute(
                "SELECT count(*) FROM facts WHERE document_id = ?", (doc_id,)
            ).fetchone()[0]
            result["outcome"] = f"extracted, {facts} facts"
        return result
    finally:
        case.close()


def run_one(name: str, timeout: float, memory_mb: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="casedesk-bench-") as tmp:

        def limits() -> None:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", name, tmp],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limits,
            env={**os.environ, "PYTHONPATH": str(ROOT / "gui")},
        )
        killed = False
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate()
            killed = True
        seconds = time.monotonic() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = usage.ru_maxrss / 1024
        result: dict[str, object] = {
            "input": name,
            "seconds": round(seconds, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        }
        if killed:
            result["outcome"] = f"killed after {timeout:g} s"
        elif proc.returncode != 0:
            last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            result["outcome"] = f"crashed (exit {proc.returncode}): {last[0][:200]}"
        else:
            result.update(json.loads(out.decode().strip().splitlines()[-1]))
        result["peak_rss_mb"] = round(peak)
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", help="inputs to run (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--memory-mb", type=int, default=4096, help="RLIMIT_AS of the child")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    if args.list:
        print("\n".join([*INPUTS, "reader_60mb"]))
        return 0
    names = args.inputs or [*INPUTS, "reader_60mb"]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'input':<24} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  outcome")
    for name in names:
        # Each input in a fresh process whose peak is its own: ru_maxrss of RUSAGE_CHILDREN is
        # the largest of all children so far, so each run is measured by a new grandparent.
        proc = subprocess.run(
            [sys.executable, __file__, "--one", name, str(args.timeout), str(args.memory_mb)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "gui")},
        )
        if proc.returncode != 0:
            print(f"{name:<24} failed to run: {proc.stderr.strip()[-300:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(
            f"{name:<24} {r['seconds']:>7} {r['cpu_s']:>7} {r['peak_rss_mb']:>8}  {r['outcome']}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))))
        sys.exit(0)
    sys.exit(main())

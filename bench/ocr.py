"""OCR figures: character accuracy on clean 300-dpi scans, pages recognised per second, and how
late the window's event loop gets while a scanned PDF is imported in the background.

    python bench/ocr.py [--pages 6] [--no-window]

The scans are made here (tests/data/make_formats.py: text rendered with Pillow in DejaVu Serif
at 300 dpi, so the transcript is known); every page of the PDF carries different text (the
letter's paragraphs rotated). Accuracy is 1 - edit distance / transcript length on
whitespace-collapsed text. Speed is the import of the whole PDF (rendering, recognition,
storing), wall and CPU time. The window figure runs the window's own import worker (import
and fact extraction, in its own process) with a 10 ms timer watching the event loop (see
bench/ui_probe.py). Prints JSON lines like bench/ui_probe.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "gui"))
sys.path.insert(0, str(HERE))

import ui_probe  # noqa: E402
from ui_probe import emit, load, note, p95  # noqa: E402


def _make_formats() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_formats", ROOT / "tests" / "data" / "make_formats.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages(mf: Any, n: int) -> list[list[str]]:
    paragraphs = list(mf.SCAN_PARAGRAPHS)
    return [paragraphs[i % len(paragraphs) :] + paragraphs[: i % len(paragraphs)] for i in range(n)]


def scanned_pdf(mf: Any, pages: list[list[str]], path: Path) -> Path:
    images = [mf.scan_image(p) for p in pages]
    images[0].save(path, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def accuracy_and_speed(mf: Any, n: int, folder: Path) -> None:
    import json

    from casedesk.ingest import import_paths
    from casedesk.store import Case

    pages = _pages(mf, n)
    pdf = scanned_pdf(mf, pages, folder / "scan.pdf")
    png = mf.scan_png(folder / "scan.png")
    with Case.create(folder / "ocr.casedesk") as case:
        started, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
        report = import_paths(case, [pdf])
        wall = time.perf_counter() - started
        cpu, kids = time.process_time() - cpu, _children_cpu() - kids
        if report.failed or not report.imported:
            raise SystemExit(f"import failed: {report.messages()}")
        doc = case.document(report.imported[0][1])
        info = json.loads(doc["ocr"])
        scores = []
        for page, expected in zip(info["pages"], pages, strict=True):
            got = doc["text"][page["start"] : page["end"]]
            scores.append(mf.char_accuracy("\n\n".join(expected), got))
        image = import_paths(case, [png])
        image_doc = case.document(image.imported[0][1])
        image_score = mf.char_accuracy(mf.SCAN_TRANSCRIPT, image_doc["text"])
    chars = sum(len(" ".join("\n\n".join(p).split())) for p in pages)
    emit(
        f"OCR character accuracy, clean 300-dpi scans ({n} PDF pages, {chars:,} characters; "
        "and the PNG)",
        f"PDF mean {statistics.mean(scores):.2%}, worst page {min(scores):.2%}; PNG "
        f"{image_score:.2%}; Tesseract confidence "
        f"{statistics.mean(p['confidence'] for p in info['pages']):.1f} ({info['engine']})",
        "≥ 97 %",
    )
    emit(
        f"OCR speed, importing a {n}-page scanned PDF (render 300 dpi, recognise, store)",
        f"{n / wall:.2f} pages/s ({wall / n:.1f} s a page; CPU {cpu:.1f} s here + {kids:.1f} s "
        f"in pdftoppm/tesseract, i.e. {n / max(cpu + kids, 1e-9):.2f} pages per CPU-second on "
        f"one core; load {load()})",
        "(figure)",
    )


def window_stall(mf: Any, n: int, folder: Path) -> None:
    from casedesk.store import Case
    from casedesk.ui.worker import ImportWorker

    pdf = scanned_pdf(mf, _pages(mf, n), folder / "window-scan.pdf")
    app, window = ui_probe._window()  # noqa: F841
    path = folder / "window.casedesk"
    window.set_case(Case.create(path))
    lines: list[str] = []
    worker = ImportWorker(path, [pdf], parent=window)
    worker.progress_changed.connect(lambda _done, _total, label: lines.append(label))
    watch, wall, (cpu_own, cpu_kids), (own, kids) = ui_probe._run_watched(window, worker)
    window.close()
    late = watch.lateness or [0.0]
    slow = sum(1 for x in late if x >= 50)
    _worst_late, worst_busy = max(watch.busy or [(0.0, 0.0)])
    pages = [x for x in lines if "recognising page" in x]
    emit(
        f"longest event-loop stall while the window imports a {n}-page scanned PDF (OCR and "
        "extraction in the import process)",
        f"{max(late):.0f} ms (GUI thread running {worst_busy:.0f} ms of it); p95 {p95(late):.1f} "
        f"ms; {slow} of {len(late)} ticks ≥ 50 ms late; import {wall:.1f} s; CPU "
        f"{own - cpu_own:.1f} s here + {kids - cpu_kids:.1f} s in the import process and its "
        f"children; {len(pages)} page progress lines; load {load()}",
        "the window keeps painting (no stall of 50 ms or more)",
    )
    for line in pages[:3]:
        note(f"progress: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args()
    mf = _make_formats()
    with tempfile.TemporaryDirectory(prefix="casedesk-ocr-bench-") as tmp:
        folder = Path(tmp)
        accuracy_and_speed(mf, args.pages, folder)
        if not args.no_window:
            window_stall(mf, args.pages, folder)


if __name__ == "__main__":
    main()

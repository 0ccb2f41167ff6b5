"""Recognising the text of scanned pages with Tesseract.

Pages are rendered with poppler's ``pdftoppm`` and recognised with the ``tesseract`` program,
each in a child process: a damaged or hostile file can crash, hang or bloat that process but
not the import, which kills it on Cancel, after ``PAGE_SECONDS`` or when it passes
``MEMORY_LIMIT`` (``ulimit -v``). Tesseract is told to use one thread (``OMP_THREAD_LIMIT``), so
recognition leaves the other core to the window.

Languages: ``CASEDESK_OCR_LANGUAGES`` (Tesseract's ``eng+deu`` form) when set; else English
when its data is installed, else every installed language.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casedesk.ingest.encoding import normalise
from casedesk.ingest.model import ImportCancelled

DPI = 300
# A page rendered larger than this is rendered at a lower resolution instead (an A4 page at
# 300 dpi is 8.7 million pixels; a poster-sized page would need gigabytes).
MAX_PIXELS = 40_000_000
PAGE_SECONDS = 180.0
MEMORY_LIMIT_KB = 2 * 1024 * 1024
# A page whose mean word confidence (0-100, weighted by word length) is below this is flagged.
LOW_CONFIDENCE = 75.0
INSTALL_HINT = (
    "install the Debian packages tesseract-ocr and tesseract-ocr-eng "
    "(sudo apt-get install tesseract-ocr tesseract-ocr-eng), then import again"
)
RENDER_HINT = "install the Debian package poppler-utils (sudo apt-get install poppler-utils)"


class OcrUnavailable(ValueError):
    """The OCR engine (or the page renderer) is not installed; the message says what to add."""


@dataclass
class OcrPage:
    """One recognised page: its text and Tesseract's mean word confidence."""

    number: int  # 1-based page number in the file
    text: str
    confidence: float | None  # None when no word was found

    @property
    def low(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


@functools.cache
def engine_version() -> str:
    """``tesseract 5.3.0``; raise ``OcrUnavailable`` when Tesseract is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(f"recognising scanned pages needs Tesseract: {INSTALL_HINT}")
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract does not start ({exc}): {INSTALL_HINT}") from None
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].strip() if first else "tesseract"


@functools.cache
def installed_languages() -> tuple[str, ...]:
    exe = shutil.which("tesseract")
    if exe is None:
        return ()
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    names = [ln.strip() for ln in (out.stdout or "").splitlines()[1:]]
    return tuple(n for n in names if n and n != "osd")


def languages() -> list[str]:
    """The languages pages are recognised in; raise ``OcrUnavailable`` when none is usable."""
    engine_version()
    have = installed_languages()
    wanted = os.environ.get("CASEDESK_OCR_LANGUAGES", "").strip()
    if wanted:
        chosen = [w for w in re.split(r"[+,\s]+", wanted) if w]
        missing = [w for w in chosen if w not in have]
        if missing:
            raise OcrUnavailable(
                f"Tesseract has no data for {', '.join(missing)} (CASEDESK_OCR_LANGUAGES); "
                f"install tesseract-ocr-{missing[0]}"
            )
        return chosen
    if "eng" in have:
        return ["eng"]
    if have:
        return list(have)
    raise OcrUnavailable(f"Tesseract has no language data: {INSTALL_HINT}")


def describe(pages: Sequence[tuple[OcrPage, int, int]], dpi: int) -> dict[str, Any]:
    """What is stored in ``documents.ocr``: engine, languages, resolution and, per recognised
    page, its character span in the document's text and its confidence."""
    return {
        "engine": engine_version(),
        "languages": languages(),
        "dpi": dpi,
        "low_confidence_below": LOW_CONFIDENCE,
        "pages": [
            {
                "page": page.number,
                "start": start,
                "end": end,
                "confidence": None if page.confidence is None else round(page.confidence, 1),
                "low": page.low,
            }
            for page, start, end in pages
        ],
    }


def recognise_image_file(
    image: Path, number: int, cancel: Any = None, dpi: int | None = None
) -> list[OcrPage]:
    """Recognise an image file (a multi-page TIFF gives a page each, numbered from ``number``).

    A page read with low confidence is read again with orientation detection (Tesseract's
    ``--psm 1``, when its ``osd`` data is installed): a page scanned upside down or sideways
    reads as garbage of low confidence the first time. The better reading is kept. Upright
    pages, most of them, pay for one reading only (orientation detection costs about 60 %
    more CPU a page)."""
    pages = _recognise(image, number, cancel, dpi, "3")
    if any(p.low or p.confidence is None for p in pages) and has_orientation_data():
        turned = _recognise(image, number, cancel, dpi, "1")
        if len(turned) == len(pages):
            pages = [_better(a, b) for a, b in zip(pages, turned, strict=True)]
    return pages


def _better(first: OcrPage, second: OcrPage) -> OcrPage:
    if second.confidence is None:
        return first
    if first.confidence is None or second.confidence > first.confidence:
        return second
    return first


@functools.cache
def has_orientation_data() -> bool:
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "osd" in (out.stdout or "").split()


def forget_engine() -> None:
    """Look for the engine and its data again (after it was installed or removed)."""
    engine_version.cache_clear()
    installed_languages.cache_clear()
    has_orientation_data.cache_clear()


def _recognise(image: Path, number: int, cancel: Any, dpi: int | None, psm: str) -> list[OcrPage]:
    langs = "+".join(languages())
    cmd = [shutil.which("tesseract") or "tesseract", str(image), "stdout", "-l", langs]
    if dpi:
        cmd += ["--dpi", str(dpi)]
    cmd += ["--psm", psm, "tsv"]
    out = _run(cmd, cancel, "recognising")
    return _pages_from_tsv(out.decode("utf-8", "replace"), number)


def render_pdf_page(pdf: Path, number: int, out_dir: Path, dpi: int, cancel: Any = None) -> Path:
    """Render one page of ``pdf`` as a greyscale PNG at ``dpi``; return the image's path."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise OcrUnavailable(f"rendering scanned PDF pages needs pdftoppm: {RENDER_HINT}")
    prefix = out_dir / f"page{number}"
    cmd = [exe, "-f", str(number), "-l", str(number), "-r", str(dpi), "-gray", "-png"]
    _run([*cmd, "-singlefile", str(pdf), str(prefix)], cancel, "rendering")
    image = prefix.with_suffix(".png")
    if not image.exists():
        raise ValueError(f"page {number} could not be rendered")
    return image


def page_dpi(width_pt: float, height_pt: float) -> int:
    """The resolution a page of this size (in points) is rendered at: ``DPI``, or less when
    that would exceed ``MAX_PIXELS``."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0) / (72.0 * 72.0)  # square inches
    if area * DPI * DPI <= MAX_PIXELS:
        return DPI
    return max(1, int((MAX_PIXELS / area) ** 0.5))


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="casedesk-ocr-")


def _run(cmd: list[str], cancel: Any, doing: str) -> bytes:
    """Run ``cmd`` with bounded time and memory; kill it when ``cancel()`` turns true."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1", LC_ALL="C")
    shell = f'ulimit -v {MEMORY_LIMIT_KB} 2>/dev/null; exec "$@"'
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                ["/bin/sh", "-c", shell, "sh", *cmd],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
            )
        except OSError as exc:
            raise OcrUnavailable(f"cannot start {Path(cmd[0]).name} ({exc})") from None
        deadline = time.monotonic() + PAGE_SECONDS
        try:
            while True:
                try:
                    code = proc.wait(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if cancel is not None and cancel():
                    raise ImportCancelled()
                if time.monotonic() > deadline:
                    raise ValueError(f"{doing} a page took longer than {PAGE_SECONDS:.0f} s")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.seek(0)
        data = out.read()
        if code != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip().splitlines()
            why = message[-1] if message else f"exit status {code}"
            raise ValueError(f"{doing} failed ({Path(cmd[0]).name}: {why[:200]})")
        return data


def _pages_from_tsv(tsv: str, first_number: int) -> list[OcrPage]:
    """Text and confidence per page from Tesseract's TSV: words of a line joined by spaces,
    lines of a paragraph by spaces, paragraphs by a blank line."""
    pages: dict[int, dict[tuple[int, int], list[list[str]]]] = {}
    scores: dict[int, list[tuple[float, int]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            if len(cols) >= 2 and cols[0] == "1" and cols[1].isdigit():
                pages.setdefault(int(cols[1]), {})
            continue
        try:
            page, block, par, line = (int(c) for c in cols[1:5])
            conf = float(cols[10])
        except ValueError:
            continue
        word = cols[11].strip()
        if not word:
            continue
        paragraphs = pages.setdefault(page, {})
        lines = paragraphs.setdefault((block, par), [])
        if not lines or lines[-1][0] != str(line):
            lines.append([str(line)])
        lines[-1].append(word)
        if conf >= 0:
            scores.setdefault(page, []).append((conf, len(word)))
    result = []
    for page in sorted(pages) or [1]:
        paragraphs = pages.get(page, {})
        text = "\n\n".join(
            " ".join(" ".join(words[1:]) for words in lines) for lines in paragraphs.values()
        )
        found = scores.get(page, [])
        weight = sum(n for _, n in found)
        confidence = sum(c * n for c, n in found) / weight if weight else None
        result.append(OcrPage(first_number + page - 1, normalise(text), confidence))
    return result

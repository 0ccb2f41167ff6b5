"""Case summaries: Markdown (GFM tables, footnotes) and HTML rendered from the same Markdown.

``summary_markdown`` and ``summary_html`` return text; ``export_summary`` writes a file chosen
by its suffix, atomically, so a crash never leaves half a summary behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from casedesk.export.html import html_page, markdown_to_html, summary_html
from casedesk.export.summary import (
    SECTION_TITLES,
    SECTIONS,
    CaseLike,
    ExportError,
    ExportOptions,
    summary_markdown,
)

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")

__all__ = [
    "SECTIONS",
    "CaseLike",
    "ExportError",
    "SECTION_TITLES",
    "ExportOptions",
    "export_summary",
    "html_page",
    "markdown_to_html",
    "summary_html",
    "summary_markdown",
    "write_atomic",
]


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` via a temporary file in the same folder and
    ``os.replace``: readers see the old file or the whole new one, never half of it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OSError(f"{path}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def export_summary(case: CaseLike, path: Path, options: ExportOptions | None = None) -> Path:
    """Write the summary to ``path``: Markdown for .md/.markdown, a page for .html/.htm."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        text = summary_markdown(case, options)
    elif suffix in HTML_SUFFIXES:
        text = summary_html(case, options)
    else:
        raise ExportError(
            f"{path}: cannot tell the format from '{path.suffix or 'no suffix'}'; "
            "use .md or .markdown for Markdown, .html or .htm for HTML"
        )
    return write_atomic(path, text)

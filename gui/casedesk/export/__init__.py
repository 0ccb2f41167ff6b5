"""Case summaries: Markdown (GFM tables, footnotes) and HTML rendered from the same Markdown;
and the brief (one or two pages) as Markdown, plain text or HTML.

``summary_markdown``, ``summary_html``, ``brief_markdown``, ``brief_text`` and ``brief_html``
return text; ``export_summary`` and ``export_brief`` write a file chosen by its suffix (or a
given format), atomically, so a crash never leaves half a summary behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from casedesk.export.brief import (
    BRIEF_FORMATS,
    BriefLimits,
    brief_html,
    brief_markdown,
    brief_text,
    brief_words,
    build_brief,
)
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
TEXT_SUFFIXES = (".txt", ".text")

__all__ = [
    "BRIEF_FORMATS",
    "BriefLimits",
    "SECTIONS",
    "CaseLike",
    "ExportError",
    "SECTION_TITLES",
    "ExportOptions",
    "render_brief",
    "brief_html",
    "brief_markdown",
    "brief_text",
    "brief_words",
    "build_brief",
    "export_brief",
    "export_summary",
    "format_for",
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


def format_for(path: Path, formats: tuple[str, ...] = BRIEF_FORMATS) -> str:
    """ "md", "html" or "txt" from a file's suffix (among ``formats``), else a clear error."""
    suffix = Path(path).suffix.lower()
    for fmt, suffixes in (
        ("md", MARKDOWN_SUFFIXES),
        ("html", HTML_SUFFIXES),
        ("txt", TEXT_SUFFIXES),
    ):
        if suffix in suffixes and fmt in formats:
            return fmt
    known = {"md": ".md", "html": ".html", "txt": ".txt"}
    raise ExportError(
        f"{path}: cannot tell the format from '{Path(path).suffix or 'no suffix'}'; "
        f"use {', '.join(known[f] for f in formats)} (or give the format)"
    )


def render_brief(case: CaseLike, fmt: str = "md") -> str:
    """The brief in one of ``BRIEF_FORMATS``."""
    if fmt == "md":
        return brief_markdown(case)
    if fmt == "txt":
        return brief_text(case)
    if fmt == "html":
        return brief_html(case)
    raise ExportError(f"format: '{fmt}' is not one of {', '.join(BRIEF_FORMATS)}")


def export_brief(case: CaseLike, path: Path, fmt: str | None = None) -> Path:
    """Write the brief to ``path``: in ``fmt``, else as its suffix says (.md, .html, .txt)."""
    path = Path(path)
    return write_atomic(path, render_brief(case, fmt or format_for(path)))

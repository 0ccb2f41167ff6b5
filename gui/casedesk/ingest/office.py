"""Word (.docx) and OpenDocument (.odt) files: headings and paragraphs in reading order, table
rows a line each, and the file's own title, author and dates.

python-docx and odfpy are the maintained readers of the two formats' XML (mammoth converts to
HTML, which would then have to be read again, and keeps no metadata). Both formats are ZIP
archives; the archive's directory is checked first, so a file that would unpack to gigabytes
(a ZIP bomb) is refused before anything is decompressed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from casedesk.ingest.encoding import normalise
from casedesk.ingest.model import DocumentMeta, Extracted, ReadContext, date_prefix

MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_RATIO = 200  # unpacked / packed size of one entry; text XML compresses about 5-20 times
MAX_TEXT_CHARS = 50 * 1024 * 1024


def check_archive(data: bytes, what: str, required: str) -> None:
    """Refuse an archive that is not ``what`` or would unpack to too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"not a readable {what} (damaged ZIP archive: {exc})") from None
    if len(entries) > MAX_ENTRIES:
        raise ValueError(f"not a readable {what} (the archive holds {len(entries)} files)")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise ValueError(f"not a readable {what} ({entry.filename} unpacks {MAX_RATIO}x)")
    if total > MAX_UNPACKED_BYTES:
        raise ValueError(f"not a readable {what} (it unpacks to over 300 MB)")
    if required not in {e.filename for e in entries}:
        article = "an" if what[0].lower() in "aeiou" else "a"
        raise ValueError(f"not {article} {what} (no {required} in the archive)")


class _Text:
    """Blocks of text in order: headings and paragraphs separated by blank lines."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.size = 0
        self.headings: list[tuple[int, str]] = []

    def add(self, text: str, heading: int = 0) -> None:
        text = " ".join(text.split()) if heading else text.strip()
        if not text:
            return
        self.size += len(text)
        if self.size > MAX_TEXT_CHARS:
            raise ValueError("the document's text is larger than the import limit")
        if heading:
            self.headings.append((heading, text))
        self.blocks.append(text)

    def text(self) -> str:
        return normalise("\n\n".join(self.blocks))


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d") if value.year > 1900 else None
    if isinstance(value, str):
        return date_prefix(value)
    return None


def _meta(
    title: str | None, author: str | None, created: str | None, modified: str | None
) -> tuple[DocumentMeta, str | None, dict[str, Any]]:
    published = created or modified
    evidence = None
    if published:
        evidence = "document properties (created)" if created else "document properties (modified)"
    attrs = {
        k: v for k, v in (("author", author), ("created", created), ("modified", modified)) if v
    }
    meta = DocumentMeta(
        title=" ".join(title.split()) or None if title else None,
        publisher=" ".join(author.split()) or None if author else None,
        published=published,
    )
    return meta, evidence, attrs


# -- Word -------------------------------------------------------------------------------------


def read_docx(data: bytes, context: ReadContext) -> list[Extracted]:
    """A Word file's body: headings (``Heading N`` and ``Title`` styles), paragraphs and table
    rows (cells separated by `` | ``); headers, footers and comments are left out."""
    check_archive(data, "Word file", "word/document.xml")
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        out = _Text()
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        value = " ".join(cell.text.split())
                        if value and (not cells or cells[-1] != value):  # merged cells repeat
                            cells.append(value)
                    out.add(" | ".join(cells))
                continue
            style = block.style.name if block.style is not None else ""
            out.add(block.text, _heading_level(style or ""))
        props = document.core_properties
        meta, evidence, attrs = _meta(
            props.title, props.author, _date(props.created), _date(props.modified)
        )
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged file is the file's
        raise ValueError(f"not a readable Word file ({type(exc).__name__}: {exc})") from None
    return [_extracted(out, "docx", meta, evidence, attrs)]


def _heading_level(style: str) -> int:
    name = style.strip().lower()
    if name == "title":
        return 1
    if name.startswith("heading"):
        digits = name[len("heading") :].strip()
        return int(digits) if digits.isdigit() and 0 < int(digits) < 10 else 1
    return 0


def _extracted(
    out: _Text, fmt: str, meta: DocumentMeta, evidence: str | None, attrs: dict[str, Any]
) -> Extracted:
    if out.headings:
        attrs["headings"] = [{"level": lvl, "text": text} for lvl, text in out.headings[:200]]
        if meta.title is None:
            meta = DocumentMeta(
                title=out.headings[0][1], publisher=meta.publisher, published=meta.published
            )
    return Extracted(out.text(), fmt, None, meta, published_evidence=evidence, attrs=attrs)


# -- OpenDocument -----------------------------------------------------------------------------


def read_odt(data: bytes, context: ReadContext) -> list[Extracted]:
    """An OpenDocument text's body: headings, paragraphs, list items and table rows in order."""
    check_archive(data, "OpenDocument text", "content.xml")
    try:
        from odf import opendocument

        document = opendocument.load(io.BytesIO(data))
        out = _Text()
        _walk_odt(document.text, out, 0)
        values: dict[str, str] = {}
        for node in document.meta.childNodes:
            name = getattr(node, "qname", ("", ""))[1]
            value = _node_text(node).strip()
            if value:
                values.setdefault(name, value)
        meta, evidence, attrs = _meta(
            values.get("title"),
            values.get("initial-creator") or values.get("creator"),
            _date(values.get("creation-date")),
            _date(values.get("date")),
        )
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a damaged file is the file's
        raise ValueError(
            f"not a readable OpenDocument text ({type(exc).__name__}: {exc})"
        ) from None
    return [_extracted(out, "odt", meta, evidence, attrs)]


_ODT_CONTAINERS = {
    "list",
    "list-item",
    "list-header",
    "section",
    "table-row-group",
    "index-body",
    "table-header-rows",
    "table-rows",
    "span",
}


def _walk_odt(element: Any, out: _Text, depth: int) -> None:
    if depth > 40:
        raise ValueError("the document is nested too deeply to read")
    for node in element.childNodes:
        name = getattr(node, "qname", ("", ""))[1]
        if name == "h":
            level = node.getAttribute("outlinelevel") or "1"
            out.add(_node_text(node), int(level) if level.isdigit() else 1)
        elif name == "p":
            out.add(_node_text(node))
        elif name == "table":
            for row in _descendants(node, "table-row"):
                cells = [" ".join(_node_text(c).split()) for c in _children(row, "table-cell")]
                out.add(" | ".join(c for c in cells if c))
        elif name in _ODT_CONTAINERS:
            _walk_odt(node, out, depth + 1)


def _children(node: Any, name: str) -> list[Any]:
    return [c for c in node.childNodes if getattr(c, "qname", ("", ""))[1] == name]


def _descendants(node: Any, name: str, depth: int = 0) -> list[Any]:
    found: list[Any] = []
    if depth > 40:
        return found
    for child in node.childNodes:
        if getattr(child, "qname", ("", ""))[1] == name:
            found.append(child)
        elif getattr(child, "qname", ("", ""))[1] != "table":  # not into nested tables
            found.extend(_descendants(child, name, depth + 1))
    return found


def _node_text(node: Any, depth: int = 0) -> str:
    """A paragraph's text: its text nodes, spaces (``text:s``), tabs and line breaks; notes
    (footnotes) and annotations (comments) are left out."""
    if depth > 40:
        return ""
    parts: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
            continue
        name = getattr(child, "qname", ("", ""))[1]
        if name == "s":
            count = child.getAttribute("c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        elif name in ("note", "annotation"):
            continue
        else:
            parts.append(_node_text(child, depth + 1))
    return "".join(parts)

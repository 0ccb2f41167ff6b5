"""Readers: a file's bytes in, normalised text and the file's own metadata out.

Each reader raises ``ValueError`` with a reason a user can act on; the importer adds the file
name. Readers never touch the case.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casedesk.ingest.encoding import (
    DECODE_AS,
    Decoded,
    DecodeError,
    binary_reason,
    decode,
    display_name,
    normalise,
)
from casedesk.ingest.model import DocumentMeta, date_prefix

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


@dataclass
class Extracted:
    """What a reader found in one file."""

    text: str
    format: str  # txt, md, html, pdf
    encoding: str | None
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    # Where the published date came from, and whether it was guessed rather than stated.
    published_evidence: str | None = None
    published_inferred: bool = False


def sniff_format(data: bytes, suffix: str) -> str:
    """The reader to use: by suffix when known, else by what the content looks like."""
    suffix = suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "md"
    if suffix in TEXT_SUFFIXES:
        return "txt"
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "txt"


def read_bytes(data: bytes, suffix: str) -> Extracted:
    """Read a file's content; ``suffix`` (e.g. ``.html``) chooses the reader when known."""
    kind = sniff_format(data, suffix)
    reader: Callable[[bytes], Extracted] = _READERS[kind]
    return reader(data)


# -- plain text and Markdown ---------------------------------------------------------------


def _decode_text(data: bytes) -> Decoded:
    reason = binary_reason(data)
    if reason:
        raise ValueError(reason)
    try:
        return decode(data)
    except DecodeError as exc:
        raise ValueError(str(exc)) from None


def read_text(data: bytes) -> Extracted:
    decoded = _decode_text(data)
    return Extracted(decoded.text, "txt", decoded.encoding)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_KEYS = {
    "title": "title",
    "publisher": "publisher",
    "source": "publisher",
    "site": "publisher",
    "site_name": "publisher",
    "published": "published",
    "date": "published",
    "url": "url",
    "link": "url",
    "source_url": "url",
    "language": "language",
    "lang": "language",
}
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]*)?")
_ATX_HEADING = re.compile(r"#{1,2}[ \t]+(.+?)[ \t#]*")


def read_markdown(data: bytes) -> Extracted:
    """Markdown with optional YAML-style front matter (simple ``key: value`` lines)."""
    decoded = _decode_text(data)
    text = decoded.text
    values: dict[str, str] = {}
    evidence = None
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).split("\n"):
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if not sep or key not in _FRONT_KEYS:
                continue
            value = _unquote(value.strip())
            if value and value.lower() not in ("null", "~"):
                values.setdefault(_FRONT_KEYS[key], value)
        text = text[match.end() :].lstrip("\n")
    if "published" in values:
        raw = values["published"]
        published = date_prefix(raw) if _TIMESTAMP.fullmatch(raw) else None
        if published is None:
            raise ValueError(f"front matter: published date '{raw}' is not written YYYY-MM-DD")
        values["published"] = published
        evidence = "front matter"
    if "title" not in values:
        first = next((ln for ln in text.split("\n") if ln.strip()), "")
        heading = _ATX_HEADING.fullmatch(first.strip())
        if heading:
            values["title"] = heading.group(1)
    meta = DocumentMeta(**values)
    return Extracted(text, "md", decoded.encoding, meta, published_evidence=evidence)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


# -- HTML ----------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "date",
)


def _decode_html(data: bytes) -> Decoded:
    """The page's own charset declaration is trusted when it decodes cleanly."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _META_CHARSET.search(data[:4096])
        if match:
            name = match.group(1).decode("ascii").lower()
            try:
                codec = codecs.lookup(name).name.replace("-", "_")
                codec = DECODE_AS.get(codec, codec)
                text = data.decode(codec)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                return Decoded(normalise(text), display_name(codec))
    return _decode_text(data)


def read_html(data: bytes) -> Extracted:
    """Main text via trafilatura; metadata from ``<title>``, ``og:*`` and publishing tags.

    Figure captions are turned into paragraphs first: trafilatura drops them, but a photo
    caption is part of the article (it often carries the only date or place of a picture).
    """
    import lxml.etree
    import lxml.html
    import trafilatura

    decoded = _decode_html(data)
    # lxml refuses str input that still declares an encoding (XHTML's <?xml ...?>).
    markup = _XML_DECLARATION.sub("", decoded.text, count=1)

    def parse() -> Any:
        try:
            return lxml.html.document_fromstring(markup)
        except (lxml.etree.ParserError, ValueError) as exc:
            raise ValueError(f"not a readable HTML page ({exc})") from None

    tree = parse()
    for el in tree.iter("figcaption"):
        el.tag = "p"
    for el in tree.iter("figure"):
        el.tag = "div"
    metas = _meta_tags(tree)
    lang = (
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    ).strip()
    title_el = tree.find(".//title")
    page_title = title_el.text_content().strip() if title_el is not None else None
    try:
        doc: Any = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises a variety of internal errors on odd pages
        raise ValueError(f"not a readable HTML page ({type(exc).__name__}: {exc})") from None
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        body = _fallback_text(parse())  # trafilatura may have pruned the tree it was given
    if not body:
        raise ValueError("HTML page has no main text")
    text = normalise("\n\n".join(line.strip() for line in body.split("\n") if line.strip()))

    title = metas.get("og:title") or (getattr(doc, "title", None) if doc else None) or page_title
    publisher = metas.get("og:site_name") or (getattr(doc, "sitename", None) if doc else None)
    url = metas.get("og:url") or (getattr(doc, "url", None) if doc else None)
    published = evidence = None
    inferred = False
    for key in _DATE_META:
        if key in metas and date_prefix(metas[key]):
            published, evidence = date_prefix(metas[key]), f"<meta {key}>"
            break
    if published is None and doc is not None and getattr(doc, "date", None):
        published = date_prefix(str(doc.date))
        if published:
            evidence, inferred = "date found in the page (htmldate)", True
    meta = DocumentMeta(
        title=_clean(title),
        publisher=_clean(publisher),
        published=published,
        url=_clean(url),
        language=lang.split("-")[0].lower() or None if lang else None,
    )
    return Extracted(text, "html", decoded.encoding, meta, evidence, inferred)


def _meta_tags(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            found.setdefault(key, content)
    for el in tree.iter("time"):
        if el.get("itemprop", "").lower() == "datepublished" and el.get("datetime"):
            found.setdefault("datepublished", el.get("datetime").strip())
    return found


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


_NOT_TEXT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")


def _fallback_text(tree: Any) -> str:
    """Block text of a page trafilatura found no article in (tiny pages), furniture removed."""
    for el in list(tree.iter(*_NOT_TEXT)):
        el.drop_tree()
    body = tree.find(".//body")
    root = body if body is not None else tree
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre", "td"):
        text = " ".join(el.text_content().split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(root.text_content().split())
        return text
    return "\n".join(blocks)


# -- PDF -------------------------------------------------------------------------------------

MAX_PDF_TEXT_CHARS = 50 * 1024 * 1024


def read_pdf(data: bytes) -> Extracted:
    """The PDF's text layer, page by page (pages separated by a blank line)."""
    import pypdf
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5] == b"%PDF-":
        raise ValueError("not a PDF file (no %PDF header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("PDF is password-protected")
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_PDF_TEXT_CHARS:
                raise ValueError("PDF text is larger than the import limit")
            pages.append(text.strip())
        info = reader.metadata
        title = info.title if info is not None else None
    except ValueError:
        raise
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = normalise("\n\n".join(p for p in pages if p))
    if not text.strip():
        raise ValueError(
            "PDF has no text layer (a scanned image?); run it through OCR first, then import"
        )
    return Extracted(text, "pdf", None, DocumentMeta(title=_clean(str(title)) if title else None))


_READERS: dict[str, Callable[[bytes], Extracted]] = {
    "txt": read_text,
    "md": read_markdown,
    "html": read_html,
    "pdf": read_pdf,
}

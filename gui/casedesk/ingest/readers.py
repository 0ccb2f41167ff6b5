"""Readers: a file's bytes in, normalised text and the file's own metadata out.

Each reader raises ``ValueError`` with a reason a user can act on; the importer adds the file
name. Readers never touch the case.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable
from pathlib import Path
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
from casedesk.ingest.mail import read_eml, read_mbox, read_mhtml
from casedesk.ingest.model import (
    DocumentMeta,
    date_prefix,
)
from casedesk.ingest.model import Extracted as Extracted
from casedesk.ingest.model import ReadContext as ReadContext
from casedesk.ingest.model import Reader as Reader
from casedesk.ingest.model import ReadFunction as ReadFunction
from casedesk.ingest.office import read_docx, read_odt

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
MB = 1024 * 1024


def sniff_format(data: bytes, suffix: str) -> str:
    """The reader to use: by suffix when known, else by what the content looks like (only
    formats whose content says what they are; anything else is read as text)."""
    suffix = suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader.format
    for reader in READERS.values():
        if reader.sniff is not None and reader.sniff(data):
            return reader.format
    return "txt"


def reader_for(data: bytes, suffix: str) -> Reader:
    return READERS[sniff_format(data, suffix)]


def read_documents(data: bytes, suffix: str, context: ReadContext | None = None) -> list[Extracted]:
    """Read a file's content into the documents it holds (one, except for mail archives)."""
    return reader_for(data, suffix).read(data, context or ReadContext())


def read_bytes(data: bytes, suffix: str, context: ReadContext | None = None) -> Extracted:
    """Read a file's content; ``suffix`` (e.g. ``.html``) chooses the reader when known.
    A file that holds several documents gives its first."""
    return read_documents(data, suffix, context)[0]


def _one(read: Callable[[bytes], Extracted]) -> ReadFunction:
    """A reader of one document that needs nothing but the bytes."""

    def read_one(data: bytes, context: ReadContext) -> list[Extracted]:
        return [read(data)]

    read_one.__name__ = read.__name__
    read_one.__doc__ = read.__doc__
    return read_one


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

MAX_PDF_TEXT_CHARS = 50 * MB
# A page with fewer characters than this in its text layer, and an image on it, is a scan (a
# scanner may add a page number or a stamp as text) and is recognised by OCR.
MIN_TEXT_CHARS = 20


def read_pdf(data: bytes, context: ReadContext) -> list[Extracted]:
    """The PDF's text layer, page by page (pages separated by a blank line); pages that are
    scanned images are recognised by OCR (see ``casedesk.ingest.ocr``)."""
    import pypdf
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5] == b"%PDF-":
        raise ValueError("not a PDF file (no %PDF header)")
    scanned: list[tuple[int, float, float]] = []  # page index, width and height in points
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("PDF is password-protected")
        pages: list[str] = []
        size = 0
        for index, page in enumerate(reader.pages):
            text = page.extract_text() or ""
            size += len(text)
            if size > MAX_PDF_TEXT_CHARS:
                raise ValueError("PDF text is larger than the import limit")
            pages.append(text.strip())
            if len("".join(text.split())) < MIN_TEXT_CHARS and _has_image(page):
                box = page.mediabox
                scanned.append((index, float(box.width), float(box.height)))
        info = reader.metadata
        title = info.title if info is not None else None
    except ValueError:
        raise
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    recognised: dict[int, Any] = {}
    dpi = 0
    if scanned:
        from casedesk.ingest import ocr

        ocr.languages()  # a missing engine is the file's error before any work is done
        with ocr.temporary_folder() as tmp:
            folder = Path(tmp)
            source = folder / "source.pdf"
            source.write_bytes(data)
            for n, (index, width, height) in enumerate(scanned, 1):
                context.check_cancel()
                context.say(f"recognising page {index + 1} ({n} of {len(scanned)} scanned pages)")
                dpi = max(dpi, ocr.page_dpi(width, height))
                image = ocr.render_pdf_page(
                    source, index + 1, folder, ocr.page_dpi(width, height), context.cancel
                )
                found = ocr.recognise_image_file(
                    image, index + 1, context.cancel, ocr.page_dpi(width, height)
                )
                image.unlink()
                recognised[index] = found[0] if found else ocr.OcrPage(index + 1, "", None)
                pages[index] = recognised[index].text
    text, spans = _join_pages(pages)
    if not text.strip():
        if scanned:
            raise ValueError(
                f"PDF has no text layer and OCR found no text on its {len(scanned)} scanned page(s)"
            )
        raise ValueError("PDF has no text layer and no scanned pages to recognise")
    extracted = Extracted(
        text, "pdf", None, DocumentMeta(title=_clean(str(title)) if title else None)
    )
    if recognised:
        from casedesk.ingest import ocr

        extracted.ocr = ocr.describe(
            [(recognised[i], *spans[i]) for i in sorted(recognised) if i in spans], dpi
        )
    return [extracted]


def _join_pages(pages: list[str]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The pages' normalised texts separated by blank lines, and each page's span in it."""
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    at = 0
    for index, page in enumerate(pages):
        page = normalise(page).strip()
        if not page:
            continue
        if parts:
            parts.append("\n\n")
            at += 2
        spans[index] = (at, at + len(page))
        parts.append(page)
        at += len(page)
    return "".join(parts), spans


def _has_image(page: Any) -> bool:
    """Whether a page draws an image (directly or inside a form), looked for a few levels deep."""
    try:
        return _resources_have_image(page.get("/Resources"), 0)
    except Exception:  # noqa: BLE001 - a damaged resource dictionary: try OCR rather than lose it
        return True


def _resources_have_image(resources: Any, depth: int) -> bool:
    if resources is None or depth > 3:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    xobjects = xobjects.get_object()
    for n, key in enumerate(xobjects):
        if n > 64:
            break
        obj = xobjects[key].get_object()
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_have_image(obj.get("/Resources"), depth + 1):
            return True
    return False


# -- images, through OCR ---------------------------------------------------------------------

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)


def read_image(data: bytes, context: ReadContext) -> list[Extracted]:
    """A scanned page or photographed document (PNG, JPEG, TIFF), recognised by OCR."""
    from casedesk.ingest import ocr

    suffix = next((s for magic, s in _IMAGE_MAGIC if data.startswith(magic)), None)
    if suffix is None:
        raise ValueError("not a PNG, JPEG or TIFF image")
    ocr.languages()
    context.check_cancel()
    context.say("recognising the image")
    with ocr.temporary_folder() as tmp:
        image = Path(tmp) / f"image{suffix}"
        image.write_bytes(data)
        found = ocr.recognise_image_file(image, 1, context.cancel)
    text, spans = _join_pages([p.text for p in found])
    if not text.strip():
        raise ValueError("OCR found no text in the image")
    extracted = Extracted(text, "image", None)
    extracted.ocr = ocr.describe(
        [(p, *spans[i]) for i, p in enumerate(found) if i in spans], ocr.DPI
    )
    return [extracted]


def _looks_like_html(data: bytes) -> bool:
    return data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


# Every format Casedesk imports, in the order a file without a known suffix is sniffed. The
# fuzz tests run every reader listed here.
READERS: dict[str, Reader] = {
    r.format: r
    for r in (
        Reader("pdf", "PDF", PDF_SUFFIXES, read_pdf, lambda d: d.startswith(b"%PDF-"), 200 * MB),
        Reader("image", "Scanned image", IMAGE_SUFFIXES, read_image, None, 100 * MB),
        Reader("docx", "Word", frozenset({".docx"}), read_docx, None, 200 * MB),
        Reader("odt", "OpenDocument text", frozenset({".odt"}), read_odt, None, 200 * MB),
        Reader("eml", "E-mail message", frozenset({".eml"}), read_eml, None, 200 * MB),
        Reader("mbox", "E-mail archive", frozenset({".mbox", ".mbx"}), read_mbox, None, 1024 * MB),
        Reader(
            "mhtml", "Saved web page", frozenset({".mhtml", ".mht"}), read_mhtml, None, 200 * MB
        ),
        Reader("html", "HTML", HTML_SUFFIXES, _one(read_html), _looks_like_html),
        Reader("md", "Markdown", MARKDOWN_SUFFIXES, _one(read_markdown)),
        Reader("txt", "Plain text", TEXT_SUFFIXES, _one(read_text)),
    )
}
SUFFIXES = frozenset(s for r in READERS.values() for s in r.suffixes)

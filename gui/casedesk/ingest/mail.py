"""E-mail (.eml, .mbox) and saved web-page archives (.mhtml), read with the standard library's
``email`` parser (``policy.default``).

A message is one document: a header block (From, To, Cc, Date, Subject, Attachments; flagged as
debris, so the reader greys it and extraction skips it), then the body (the plain-text part, or
the HTML part's text). Quoted replies (``>`` lines and the "On ... wrote:" line before them) are
flagged too: their facts belong to the message they quote. The subject is the title, the
sender the publisher, the ``Date:`` header the publication date. Attachments in a format
Casedesk reads become child documents of their message. The thread is the first Message-ID of
``References`` (the thread's first message), else ``In-Reply-To``, else the message's own.

An mbox is split on its ``From `` lines here rather than by ``mailbox.mbox``, which wants a file
it may open for writing (a user's evidence is only ever read) and cannot take bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import PurePath
from typing import Any

from casedesk.ingest.encoding import DecodeError, decode, normalise
from casedesk.ingest.model import DocumentMeta, Extracted, ImportCancelled, ReadContext

MAX_MESSAGES = 100_000
MAX_PARTS = 1_000  # MIME parts looked at in one message
MAX_DEPTH = 3  # messages attached to messages attached to ...
_FROM_LINE = re.compile(rb"(?:\A|(?<=\n))From [^\n]*\n")
_QUOTED_FROM = re.compile(rb"(?m)^>(>*From )")
_MSGID = re.compile(r"<[^<>\s]{1,500}>")
_QUOTE_INTRO = re.compile(r"^(?:On .{1,200} wrote:|.{1,120} (?:wrote|writes):)$")
# Content types of attachments, for names without a suffix Casedesk knows.
_SUFFIX_BY_TYPE = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tiff",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/markdown": ".md",
    "message/rfc822": ".eml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}

_PARSER = BytesParser(policy=policy.default)


def read_eml(data: bytes, context: ReadContext) -> list[Extracted]:
    """One message, with its attachments as child documents."""
    name = context.path.name if context.path is not None else None
    return [_message(_parse(data), name, context)]


def read_mbox(data: bytes, context: ReadContext) -> list[Extracted]:
    """Every message of an mbox archive (each with its attachments)."""
    if not data.startswith(b"From "):
        raise ValueError("not an mbox archive (it does not start with a 'From ' line)")
    starts = [m.end() for m in _FROM_LINE.finditer(data)]
    heads = [m.start() for m in _FROM_LINE.finditer(data)]
    if len(starts) > MAX_MESSAGES:
        raise ValueError(f"the archive holds over {MAX_MESSAGES:,} messages")
    stem = context.path.name if context.path is not None else "mbox"
    found: list[Extracted] = []
    problems: list[tuple[str, str]] = []
    for n, (start, end) in enumerate(zip(starts, [*heads[1:], len(data)], strict=True), 1):
        if n % 50 == 0:
            context.check_cancel()
            context.say(f"reading message {n} of {len(starts)}")
        raw = _QUOTED_FROM.sub(rb"\1", data[start:end])
        name = f"{stem}#{n}"
        try:
            found.append(_message(_parse(raw), name, context))
        except ValueError as exc:
            problems.append((name, str(exc)))
    if not found:
        reason = problems[0][1] if problems else "no messages"
        raise ValueError(f"no readable message in the archive ({reason})")
    found[0].problems = problems + found[0].problems
    return found


def read_mhtml(data: bytes, context: ReadContext) -> list[Extracted]:
    """A web page saved as one file (MHTML): its HTML part, read as an HTML page is."""
    from casedesk.ingest.readers import read_html

    message = _parse(data)
    html: Message | None = None
    for n, part in enumerate(message.walk()):
        if n > MAX_PARTS:
            break
        if part.get_content_type() == "text/html":
            html = part
            break
    if html is None:
        raise ValueError("not a saved web page (no HTML part in the archive)")
    payload = _payload_bytes(html)
    charset = html.get_content_charset()
    if charset:  # else the page's own declaration, or detection, decides
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            payload = codecs.BOM_UTF8 + payload.decode(charset).encode("utf-8")
    page = read_html(payload)
    page.format = "mhtml"
    url = _header(message, "Snapshot-Content-Location") or _header(html, "Content-Location")
    if page.meta.url is None and url.startswith(("http://", "https://")):
        page.meta = DocumentMeta(
            title=page.meta.title,
            publisher=page.meta.publisher,
            published=page.meta.published,
            url=url,
            language=page.meta.language,
        )
    if page.meta.title is None and _header(message, "Subject"):
        page.meta = DocumentMeta(
            title=_header(message, "Subject"),
            publisher=page.meta.publisher,
            published=page.meta.published,
            url=page.meta.url,
            language=page.meta.language,
        )
    saved = _date(_header(message, "Date"))
    if saved:
        page.attrs["saved"] = saved
    return [page]


# -- one message ------------------------------------------------------------------------------


def _parse(data: bytes) -> EmailMessage:
    try:
        message = _PARSER.parsebytes(data)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything else is damage
        raise ValueError(f"not a readable message ({type(exc).__name__}: {exc})") from None
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ValueError("not an e-mail message (no headers)")
    return message


def _header(message: Message, name: str) -> str:
    """A header's decoded value, or its raw text when the structured parser chokes on it."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is read as plain text
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    return " ".join(str(value).split()) if value is not None else ""


def _addresses(message: Message, name: str) -> list[str]:
    raw = _header(message, name)
    if not raw:
        return []
    try:
        pairs = getaddresses([raw])
    except Exception:  # noqa: BLE001
        return [raw]
    out = []
    for display, address in pairs[:500]:
        if display and address:
            out.append(f"{display} <{address}>")
        elif address or display:
            out.append(address or display)
    return out


def _date(raw: str) -> str | None:
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or not 1 <= when.year <= 9999:
        return None
    return when.date().isoformat()


def _message(message: EmailMessage, name: str | None, context: ReadContext) -> Extracted:
    if context.depth > MAX_DEPTH:
        raise ValueError("messages attached inside each other too deeply")
    sender = _addresses(message, "From")
    to = _addresses(message, "To")
    cc = _addresses(message, "Cc")
    subject = _header(message, "Subject")
    date_raw = _header(message, "Date")
    published = _date(date_raw)
    message_id = _first_id(_header(message, "Message-ID"))
    reply_to = _first_id(_header(message, "In-Reply-To"))
    references = _MSGID.findall(_header(message, "References"))[:200]

    body, body_problem = _body(message)
    children: list[Extracted] = []
    problems: list[tuple[str, str]] = []
    label = name or "message"
    attachment_names: list[str] = []
    for n, part in enumerate(_attachments(message), 1):
        filename = _filename(part, n)
        attachment_names.append(filename)
        child_name = f"{label}/{filename}"
        try:
            for child in _attachment(part, filename, context):
                child.name = child.name and f"{label}/{child.name}" or child_name
                children.append(child)
        except ImportCancelled:
            raise
        except (ValueError, RecursionError) as exc:
            problems.append((child_name, str(exc) or type(exc).__name__))

    header = [f"From: {', '.join(sender)}" if sender else "From: (unknown)"]
    if to:
        header.append(f"To: {', '.join(to)}")
    if cc:
        header.append(f"Cc: {', '.join(cc)}")
    if date_raw:
        header.append(f"Date: {date_raw}")
    if subject:
        header.append(f"Subject: {subject}")
    if attachment_names:
        header.append(f"Attachments: {', '.join(attachment_names)}")
    if body_problem and not body:
        body = f"({body_problem})"
    text = normalise("\n".join(header) + "\n\n" + body.strip())
    lines = text.split("\n")
    debris = [(0, len(header) - 1, "message header")]
    debris += _quoted_lines(lines, len(header) + 1)

    first = sender[0] if sender else None
    publisher = first.split(" <")[0] if first and " <" in first else first
    attrs: dict[str, Any] = {"from": sender, "to": to}
    if cc:
        attrs["cc"] = cc
    if message_id:
        attrs["message_id"] = message_id
    if reply_to:
        attrs["in_reply_to"] = reply_to
    if references:
        attrs["references"] = references
    if attachment_names:
        attrs["attachments"] = attachment_names
    thread = references[0] if references else (reply_to or message_id or None)
    return Extracted(
        text,
        "email",
        None,
        DocumentMeta(title=subject or None, publisher=publisher or None, published=published),
        published_evidence="Date: header" if published else None,
        name=name,
        debris_lines=debris,
        attrs=attrs,
        thread=thread,
        children=children,
        problems=problems,
    )


def _first_id(raw: str) -> str:
    found = _MSGID.search(raw)
    return found.group(0) if found else raw.strip()[:500]


def _quoted_lines(lines: list[str], first_body_line: int) -> list[tuple[int, int, str]]:
    """Runs of quoted lines (``>``), with the "On ... wrote:" line just before a run."""
    runs: list[tuple[int, int, str]] = []
    start: int | None = None
    for index in range(first_body_line, len(lines) + 1):
        quoted = index < len(lines) and lines[index].lstrip().startswith(">")
        if quoted and start is None:
            start = index
            intro = index - 1
            while intro >= first_body_line and not lines[intro].strip():
                intro -= 1
            if intro >= first_body_line and _QUOTE_INTRO.match(lines[intro].strip()):
                start = intro
        elif not quoted and start is not None:
            runs.append((start, index - 1, "quoted reply"))
            start = None
    return runs


def _body(message: EmailMessage) -> tuple[str, str | None]:
    """The message's text and, when it could not be read, why."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a damaged structure: no body rather than no message
        return "", "the message body could not be read"
    if part is None:
        return "", None
    data = _payload_bytes(part)
    text = _decode_part(data, part.get_content_charset())
    if part.get_content_type() == "text/html":
        text = _html_text(text)
    return text, None


def _decode_part(data: bytes, charset: str | None) -> str:
    if charset:
        try:
            return normalise(data.decode(charset))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return decode(data).text
    except DecodeError:
        return normalise(data.decode("utf-8", "replace"))


def _html_text(markup: str) -> str:
    import lxml.etree
    import lxml.html

    from casedesk.ingest.readers import _fallback_text

    if not markup.strip():
        return ""
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return ""
    return _fallback_text(tree)


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""


def _attachments(message: EmailMessage) -> list[Message]:
    """Attached files, without the images an HTML body shows inline."""
    found: list[Message] = []
    try:
        parts = list(message.iter_attachments())
    except Exception:  # noqa: BLE001
        return found
    for part in parts[:MAX_PARTS]:
        disposition = (part.get_content_disposition() or "").lower()
        inline_image = (
            part.get_content_maintype() == "image"
            and disposition != "attachment"
            and part.get("Content-ID") is not None
        )
        if not inline_image:
            found.append(part)
    return found


def _filename(part: Message, n: int) -> str:
    try:
        raw = part.get_filename()
    except Exception:  # noqa: BLE001
        raw = None
    name = PurePath(str(raw).replace("\\", "/")).name if raw else ""
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    if not name:
        name = f"attachment {n}{_SUFFIX_BY_TYPE.get(part.get_content_type(), '')}"
    return name


def _attachment(part: Message, filename: str, context: ReadContext) -> list[Extracted]:
    from casedesk.ingest.readers import SUFFIXES, read_documents

    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        embedded = inner[0] if isinstance(inner, list) and inner else None
        if isinstance(embedded, EmailMessage):
            return [_message(embedded, None, context.nested())]
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = _SUFFIX_BY_TYPE.get(part.get_content_type(), "")
    if not suffix:
        raise ValueError(f"not a format Casedesk imports ({part.get_content_type()})")
    data = _payload_bytes(part)
    if not data.strip():
        raise ValueError("empty attachment")
    documents = read_documents(data, suffix, context.nested())
    return [d for d in documents if d.text.strip()]

"""Text from a source, a note or a case field as HTML that can do nothing but show text.

Qt's rich-text engine loads whatever an ``<img src>``, a ``background`` attribute, a CSS
``url()`` or a ``<link>`` names (a document that says ``<img src="/dev/zero">`` makes the
window read forever), and any text that merely *starts* like a tag is taken as rich text by
tooltips, labels and message boxes. So there are exactly two ways for case content to reach
anything that renders HTML:

- ``plain_html(text)``: the text escaped, shown as itself (line breaks kept);
- ``sanitise(html)``: HTML made by Casedesk from case content (a rendered note), rebuilt
  from an allow-list of tags without attributes, except ``href`` on links whose scheme is
  http(s) or mailto. Images become their alt text; scripts, styles and unknown tags are
  dropped or reduced to their text.

``note_html(markdown)`` renders a user's Markdown note through ``sanitise``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Tags a note may use, all of them inert in Qt and browsers when they carry no attribute.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "b", "strong", "i", "em", "u", "s", "del", "code", "pre", "kbd",
        "sub", "sup", "small", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
        "a", "span", "div",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr"})
# Elements whose content is not text to show at all.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "head", "title", "template", "iframe", "object", "embed", "svg",
     "math", "noscript", "textarea", "select", "frameset", "applet", "audio", "video"}
)  # fmt: skip
SAFE_SCHEMES = ("http", "https", "mailto")
# Far more than any tooltip or preview shows; a note is not a document.
MAX_SANITISED_CHARS = 200_000
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def plain_html(text: str | None, limit: int | None = None) -> str:
    """``text`` as HTML that shows exactly that text (cut at ``limit`` characters, with …)."""
    if not text:
        return ""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return html.escape(text, quote=True).replace("\n", "<br>")


def rich_tooltip(html_text: str) -> str:
    """HTML that Qt always treats as rich text, however it starts (``<qt>`` forces it)."""
    return f"<qt>{html_text}</qt>" if html_text else ""


def plain_tooltip(text: str | None, limit: int = 2000) -> str:
    """A tooltip showing ``text`` as plain text: escaped inside ``<qt>``, never rich by
    accident (Qt guesses rich text from the first characters of a tooltip)."""
    return rich_tooltip(plain_html(text, limit))


def safe_href(url: str | None) -> str | None:
    """``url`` if it is a link worth keeping: http(s) or mailto, or no scheme at all.

    Browsers ignore tabs, newlines and some invisible characters inside a scheme
    (``java\\tscript:``), and entity references decode before the scheme is read, so both
    are undone before the scheme is checked."""
    if url is None:
        return None
    decoded = _INVISIBLE.sub("", html.unescape(url))
    if not decoded:
        return None
    match = _SCHEME.match(decoded)
    if match is None:
        # No scheme: a relative reference, unless a colon comes before any / ? or #
        # (which some programs would still read as a scheme).
        head = re.split(r"[/?#]", decoded, maxsplit=1)[0]
        return None if ":" in head else url
    if match.group(1).lower() not in SAFE_SCHEMES:
        return None
    return url


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.size = 0
        self.open: list[str] = []
        self.dropping = 0

    def _emit(self, piece: str) -> None:
        if self.size < MAX_SANITISED_CHARS:
            self.out.append(piece)
            self.size += len(piece)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.dropping += 1
            return
        if self.dropping:
            return
        if tag == "img":
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            if alt:
                self._emit(html.escape(f"[{alt}]"))
            return
        if tag not in ALLOWED_TAGS:
            return
        if tag == "a":
            href = safe_href(next((v for k, v in attrs if k == "href"), None))
            attr = f' href="{html.escape(href, quote=True)}"' if href else ""
            self._emit(f"<a{attr}>")
        else:
            self._emit(f"<{tag}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in DROPPED_WITH_CONTENT:
            self.dropping -= 1
        elif not self.dropping and tag in ALLOWED_TAGS and tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self._emit(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self._emit(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.open:
            self._emit(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitise(html_text: str) -> str:
    """``html_text`` rebuilt from allowed tags only, with no attribute but safe links."""
    parser = _Sanitiser()
    parser.feed(html_text)
    return parser.result()


def note_html(note: str | None) -> str:
    """A user's Markdown note as safe HTML: raw HTML in the note is shown as text, images
    keep only their alt text, links only if http(s) or mailto."""
    if not note:
        return ""
    import markdown

    escaped = note.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return sanitise(str(markdown.markdown(escaped, extensions=["extra", "sane_lists"])))


__all__ = [
    "ALLOWED_TAGS",
    "note_html",
    "plain_html",
    "plain_tooltip",
    "rich_tooltip",
    "safe_href",
    "sanitise",
]

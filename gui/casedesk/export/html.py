"""The summary as a self-contained HTML page, rendered from the very same Markdown.

The ``markdown`` package renders it (tables and footnotes extensions) with raw HTML switched
off, on top of the escaping the Markdown already carries: even if some text slipped through,
no tag from a source or a note can reach the page. The page has inline CSS, no script and no
remote resource; the only outside addresses are the sources' own URLs as plain links.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown import util
from markdown.extensions.footnotes import FootnoteExtension, FootnoteInlineProcessor
from markdown.inlinepatterns import ESCAPE_RE, EscapeInlineProcessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor

from casedesk.export.summary import CaseLike, ExportOptions, summary_markdown

PAGE_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin-bottom: .3rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem;
  margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; vertical-align: top;
  text-align: left; }
th { background: #f6f8fa; }
blockquote { margin: .5rem 0; padding: 0 1rem; color: #59636e; border-left: .25em solid #d0d7de; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em;
  background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
.footnote { font-size: .9rem; color: #3d444d; }
a { color: #0969da; }
""".strip()


class _Footnotes(FootnoteExtension):  # type: ignore[misc]
    """The footnotes extension with constant-time reference lookups.

    The stock extension finds each reference's number with ``list.index`` over all footnotes,
    which makes a summary with tens of thousands of citations quadratic (minutes instead of
    seconds). Numbers and output are the same.
    """

    def reset(self) -> None:
        super().reset()
        self._seen: set[str] = set()
        self._numbers: dict[str, int] = {}

    def addFootnoteRef(self, id: str) -> None:  # noqa: N802 - overrides the library's name
        if id not in self._seen:
            self._seen.add(id)
            self.footnote_order.append(id)

    def number(self, id: str) -> int:
        if len(self._numbers) != len(self.footnotes):
            self._numbers = {key: i for i, key in enumerate(self.footnotes, 1)}
        return self._numbers[id]

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        super().extendMarkdown(md)
        md.inlinePatterns.register(_FootnoteRef(r"\[\^([^\]]*)\]", self), "footnote", 175)


class _FootnoteRef(FootnoteInlineProcessor):  # type: ignore[misc]
    footnotes: _Footnotes

    def handleMatch(  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        id = m.group(1)
        if id not in self.footnotes.footnotes:
            return None, None, None
        self.footnotes.addFootnoteRef(id)
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", self.footnotes.makeFootnoteRefId(id, found=True))
        a.set("href", "#" + self.footnotes.makeFootnoteId(id))
        a.set("class", "footnote-ref")
        a.text = str(self.footnotes.number(id))
        return sup, m.start(0), m.end(0)


_SAFE_HREF = re.compile(r"^(?:https?://|mailto:|#)", re.IGNORECASE)


class _LinkGuard(Treeprocessor):  # type: ignore[misc]
    """Links keep only web, mail and in-page addresses: a note's ``[x](javascript:...)``
    becomes plain text, whatever case file it came from."""

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            if not _SAFE_HREF.match(href.strip()):
                a.attrib.pop("href", None)


# CommonMark lets a backslash escape any ASCII punctuation; python-markdown only some. The
# summary escapes ``$ ~ < & = % { }`` too (never with character references), so the page reads
# them the CommonMark way.
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPED_AMPERSAND = f"{util.STX}{ord('&')}{util.ETX}"


class _Escapes(EscapeInlineProcessor):  # type: ignore[misc]
    def handleMatch(  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[str | None, int, int]:
        char = m.group(1)
        if char in _ASCII_PUNCTUATION:
            return f"{util.STX}{ord(char)}{util.ETX}", m.start(0), m.end(0)
        return None, m.start(0), m.end(0)


class _Unescape(UnescapeTreeprocessor):  # type: ignore[misc]
    """Escaped characters back as text; an escaped ``&`` as ``&amp;`` (left as ``&``, the
    serialiser would take ``\\&amp;`` for the reference it escapes)."""

    def unescape(self, text: str) -> str:
        return str(super().unescape(text.replace(_ESCAPED_AMPERSAND, util.AMP_SUBSTITUTE + "amp;")))


def markdown_to_html(text: str) -> str:
    """Render summary Markdown to an HTML fragment: raw HTML and images switched off."""
    md = markdown.Markdown(extensions=["tables", _Footnotes()], output_format="html")
    md.inlinePatterns.register(_Escapes(ESCAPE_RE, md), "escape", 180)
    md.treeprocessors.register(_Unescape(md), "unescape", 0)
    md.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    md.treeprocessors.register(_LinkGuard(md), "link-guard", 1)
    return str(md.convert(text))


def html_page(markdown_text: str, title: str) -> str:
    """A complete HTML document around the rendered Markdown."""
    body = markdown_to_html(markdown_text)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{PAGE_CSS}\n</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def case_title(case: CaseLike) -> str:
    row = case.conn.execute("SELECT value FROM meta WHERE key = 'name'").fetchone()
    return str(row[0]) if row and row[0] else "Untitled case"


def summary_html(case: CaseLike, options: ExportOptions | None = None) -> str:
    """The summary as a self-contained HTML page (same content as ``summary_markdown``)."""
    return html_page(summary_markdown(case, options), f"{case_title(case)} — summary")

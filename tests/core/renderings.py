"""Render exported Markdown the ways its readers do, and compare what they show.

A summary or brief is pasted into CommonMark programs (GitHub, Obsidian; markdown-it-py with
tables, strike-through and footnotes stands in for them) and rendered to HTML by Casedesk itself
(python-markdown with CommonMark's backslash escapes). ``canonical`` reduces an HTML fragment to
what a reader sees: elements, their text and link targets, with the two footnote extensions'
different wrappers, back-links and numbering brackets set aside.
"""

from __future__ import annotations

import html
import html.parser
import re

import markdown
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from casedesk.export import markdown_to_html

# Wrappers one footnote extension writes and the other does not.
_WRAPPERS = {"div", "section"}
_BACKLINK = re.compile(r"footnote-backref")
_VOID = {"hr", "br", "img", "input", "wbr"}


def commonmark(text: str) -> str:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    return str(md.render(text))


def python_markdown(text: str) -> str:
    """python-markdown as most programs call it (tables and footnotes, nothing else)."""
    return markdown.markdown(text, extensions=["tables", "footnotes"])


def casedesk_markdown(text: str) -> str:
    """python-markdown as Casedesk's HTML export configures it."""
    return markdown_to_html(text)


class _Canonical(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.text: list[str] = []
        self._skip = 0  # depth inside a footnote back-link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._skip or (tag == "a" and _BACKLINK.search(values.get("class") or "")):
            self._skip += tag == "a"
            return
        if tag in _WRAPPERS:
            return
        href = values.get("href") or ""
        # In-page addresses (footnotes) are named differently by each extension.
        self.parts.append(f"<{tag}{' ' + href if href and not href.startswith('#') else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= tag == "a"
            return
        if tag not in _WRAPPERS and tag not in _VOID:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(html.escape(data, quote=False))
            self.text.append(data)


def _parse(page: str) -> _Canonical:
    parser = _Canonical()
    parser.feed(page)
    parser.close()
    return parser


def canonical(page: str) -> str:
    """Elements, text (escaped) and outside link targets, white space folded."""
    text = "".join(_parse(page).parts).replace("\xa0", " ")
    # markdown-it numbers a footnote reference "[1]" (a second one "[1:1]"), python-markdown "1".
    text = re.sub(r"<sup><a>\[(\d+)(?::\d+)?\]</a></sup>", r"<sup><a>\1</a></sup>", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?(<[^>]+>) ?", r"\1", text).strip()


def shown_text(page: str) -> str:
    """The characters a reader of the rendered page sees, white space folded."""
    return re.sub(r"\s+", " ", "".join(_parse(page).text).replace("\xa0", " ")).strip()


ACTIVE_TAGS = {"script", "img", "iframe", "style", "object", "embed", "svg", "b", "i", "del", "s"}


class _Audit(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src") and "evil" in (value or "")):
                self.found.append(f"{tag} {name}={value!r}")


def markup_from_text(page: str) -> list[str]:
    """Elements and attributes that only hostile text could have made (tags, strike-through,
    event attributes, links to the test's evil.example)."""
    audit = _Audit()
    audit.feed(page)
    audit.close()
    return audit.found

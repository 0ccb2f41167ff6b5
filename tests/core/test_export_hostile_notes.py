"""Notes in a Markdown summary stay inert in python-markdown and in markdown-it-py (CommonMark).

A summary is read by other programs: each renders the Markdown with its own idea of where a
code span starts and which link schemes to allow. The notes below are written so that a
renderer that disagrees with Casedesk's escaping reads a tag or a script link: the HTML every
renderer makes must hold no active element, no event attribute and no link to anything but
http(s), mailto or a place in the page.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt

from casedesk import edits
from casedesk.export import summary_markdown
from casedesk.export.text import note_markdown
from casedesk.safe_html import safe_href
from casedesk.store import Case

HOSTILE_NOTES = [
    # Code spans that CommonMark and python-markdown delimit differently.
    "\\`<img src=x onerror=alert(1)>`",
    "``a`<script>alert(1)</script>",
    "`a\n\n<script>alert(1)</script>`",
    "| a | `<img src=x onerror=alert(1)> | b` |\n|---|---|\n| c | d |",
    "`` `<img src=x onerror=alert(1)>` ``",
    "```\n<script>alert(1)</script>\n```",
    "a\\<script>alert(1)</script>",
    # Raw HTML.
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- x --><svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    # Links that run code or load data.
    "[click](javascript:alert(1))",
    "[v](vbscript:msgbox(1))",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[j](JaVaScRiPt:alert(1))",
    "[t](java&#x09;script:alert(1))",
    "[e](&#106;avascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[s]( javascript:alert(1) 'title')",
    "[r][x]\n\n[x]: javascript:alert(1)",
    "[x]\n\n[x]:\n  vbscript:msgbox(1)",
    "<javascript:alert(1)>",
    "![x](/dev/zero)",
    "![x](javascript:alert(1))",
    # Attribute lists (python-markdown's extra) that would set an event handler.
    "# Title {: onclick=alert(1) }",
    "para\n{: onmouseover=alert(1) }",
    # A tag whose end is on a quoted line, and tags written as references.
    "<img src=x\n> onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;script&#62;alert(1)&#60;/script&#62;",
]
FORBIDDEN_TAGS = {
    "script", "img", "iframe", "style", "object", "embed", "svg", "math", "link", "meta",
    "base", "form", "input", "button", "video", "audio", "source", "frame", "frameset",
}  # fmt: skip


class Audit(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "background") and (
                value is None or safe_href(value) is None
            ):
                self.problems.append(f"{tag} {name}={value!r}")


def _python_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "footnotes"])


def _python_markdown_extra(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", "sane_lists"])


def _markdown_it(text: str) -> str:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # markdown-it filters a few schemes itself; a renderer that does not must be safe too.
    md.validateLink = lambda url: True
    return str(md.render(text))


RENDERERS: dict[str, Callable[[str], str]] = {
    "python-markdown": _python_markdown,
    "python-markdown extra": _python_markdown_extra,
    "markdown-it-py": _markdown_it,
}


def problems(page: str) -> list[str]:
    audit = Audit()
    audit.feed(page)
    audit.close()
    return audit.problems


def test_the_audit_sees_active_markup() -> None:
    """The check itself: unescaped notes are caught in every renderer."""
    for render in RENDERERS.values():
        assert problems(render("<img src=x onerror=alert(1)>"))
        assert problems(render("[x](javascript:alert(1))"))


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_a_hostile_note_renders_inert(renderer: str, note: str) -> None:
    page = RENDERERS[renderer](note_markdown(note))
    assert problems(page) == [], (note_markdown(note), page)


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_a_note_is_neutralised_with_backslashes_only(note: str) -> None:
    """No character reference in the export: it pastes as the characters it shows."""
    assert (
        re.search(r"(?<!\\)&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", note_markdown(note), re.I) is None
    )


def test_notes_keep_their_own_markdown() -> None:
    for render in RENDERERS.values():
        page = render(note_markdown("**bold** `a<b` [site](https://example.org/x) `c | d`"))
        assert "<strong>bold</strong>" in page
        assert "<code>a&lt;b</code>" in page
        assert 'href="https://example.org/x"' in page
        assert problems(page) == []


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_summary_with_hostile_notes_renders_inert(renderer: str, tmp_path: Path) -> None:
    case = Case.create(tmp_path / "notes.casedesk", name="Notes")
    try:
        text = "Ferry services resumed on Monday, the operator said. " * 3
        with case.transaction():
            doc_id = case.add_document(
                file_name="ferry.txt", text=text, sha256="1" * 64, format="txt", title="Ferry"
            )
        for i, note in enumerate(HOSTILE_NOTES):
            edits.add_annotation(case, doc_id, i, i + 5, note=note)
        summary = summary_markdown(case)
    finally:
        case.close()
    assert problems(RENDERERS[renderer](summary)) == []

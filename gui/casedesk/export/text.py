"""Text helpers for summaries: Markdown escaping, sentence boundaries, dates in words.

Everything here is about one promise: a summary renders the same in the ``markdown`` package
(tables + footnotes), on GitHub and in Obsidian, whatever the sources contain. Text taken from
documents is made inert (no emphasis, no links, no table breaks, no HTML); a user's own note
keeps its Markdown but loses raw HTML, images and footnote syntax.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from casedesk import words
from casedesk.extract import timex
from casedesk.words import day_range_words as day_range_words
from casedesk.words import day_words as day_words

# Markdown that pastes cleanly holds no character references: what must not be read as syntax
# is backslash-escaped, which CommonMark (GitHub, Obsidian, markdown-it, Pandoc) allows before
# any ASCII punctuation and Casedesk's own renderer (``casedesk.export.html``) too. Always
# escaped: what starts emphasis, code, links, tables, quotes or attribute lists anywhere, and
# ``~`` and ``$`` (GitHub's ~strike~ and $math$). Escaped where they would start something:
# ``<`` before a tag, comment or autolink; ``&`` before a character reference; ``#`` where a
# heading or an Obsidian tag could begin; the first of ``==`` and ``%%`` (Obsidian's highlight
# and comment). A plain "1 < 2", "AT&T" or "C#" stays as it is.
_ENTITY_AHEAD = r"(?=#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)"
_SPECIAL = re.compile(
    r"[\\`*_\[\]|>{}~$]"
    r"|<(?=[A-Za-z/!?])"
    r"|&" + _ENTITY_AHEAD + r"|(?:(?<=\s)|^)#|=(?==)|%(?=%)"
)


def inline(text: str | None) -> str:
    """Document-derived text as one line of literal Markdown (safe in a table cell)."""
    if not text:
        return ""
    # Runs of white space become one space (str.split splits where a regex \s would).
    flat = " ".join(text.split())
    result = _SPECIAL.sub(_backslash, flat)
    # A leading "+ ", "- " or "1. " would start a list where a line begins with this text.
    if result[:2] in ("+ ", "- "):
        return "\\" + result
    if result[:1].isdigit() and (m := _LIST_NUMBER.match(result)):
        return result[: m.end()] + "\\" + result[m.end() :]
    return result


def _backslash(m: re.Match[str]) -> str:
    return "\\" + m.group()


_LIST_NUMBER = re.compile(r"\d+(?=[.)] )")


# A link's destination: ``](dest`` or, at a line's start, a reference definition ``[x]: dest``.
_INLINE_LINK = re.compile(r"\]\s*\(\s*(<[^>\n]*>?|[^\s)]*)")
_REFERENCE = re.compile(r"^([ \t]*\[[^\]\n]*)\]:[ \t]*\n?[ \t]*(<[^>\n]*>?|\S*)", re.MULTILINE)


def note_markdown(note: str | None) -> str:
    """A user's note, kept as Markdown but with raw HTML, images, unsafe links and footnote
    syntax neutralised, the same way for python-markdown and CommonMark renderers, with
    backslashes only (no character reference is ever written).

    Outside a code span, every ``<`` that could open a tag, comment or autolink is escaped, and
    so is every ``>`` but the ones that quote a line: even a renderer that does not take ``\\<``
    as an escape (python-markdown) finds no tag to close. A code span is kept only where every
    renderer must read it as one (on one line, with a closing run of exactly its backticks,
    not in a table cell): any other backtick is escaped, so renderers cannot disagree about
    where code starts and read a tag as code in one place and as HTML in another. A link or
    reference whose destination has a scheme other than http(s) or mailto (``javascript:``,
    ``vbscript:``, ``data:``, ``file:`` ...) loses its link syntax. ``![`` loses its image
    meaning (a summary never loads a picture), ``[^`` is escaped so a note can neither cite
    nor define one of the summary's own footnotes, ``{`` and ``}`` so it cannot set HTML
    attributes (python-markdown's attribute lists), and ``&`` before a character reference.
    ``~``, ``$``, ``==`` and ``%%`` are escaped as in document text: the window's preview of
    a note reads no strike-through, maths, highlight or comment, so neither does the export.
    """
    if not note:
        return ""
    text = note.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = _REFERENCE.sub(_defuse_reference, text)
    text = _INLINE_LINK.sub(_defuse_link, text)
    out: list[str] = []
    i, n = 0, len(text)
    line_start = 0
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch == "\\" and nxt:
            out.append(ch + nxt)  # already escaped (or a backslash before a letter)
            i += 2
            if nxt == "\n":
                line_start = i
            continue
        if ch != "`":
            if ch == "\n":
                line_start = i + 1
            elif (
                (ch == "<" and (nxt.isascii() and nxt.isalpha() or nxt in "/!?"))
                or (ch == ">" and text[line_start:i].strip(" \t>"))
                or ch in "{}~$"
                or (ch in "=%" and nxt == ch)
                or (ch == "&" and _ENTITY.match(text, i + 1))
                or (ch == "!" and nxt == "[")
                or (ch == "[" and nxt == "^")
            ):
                out.append("\\")
            out.append(ch)
            i += 1
            continue
        run = _run_length(text, i)
        close = _closing_run(text, i + run, run)
        body = text[i + run : close] if close is not None else ""
        if close is None or ("<" in body and "|" in body):
            out.append("\\`" * run)  # literal backticks in every renderer
            i += run
            continue
        out.append(text[i : close + run])
        i = close + run
    return "\n".join(line.rstrip() for line in "".join(out).split("\n"))


_ENTITY = re.compile(_ENTITY_AHEAD)


def _run_length(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j] == "`":
        j += 1
    return j - i


def _closing_run(text: str, start: int, run: int) -> int | None:
    """Where the next run of exactly ``run`` backticks on the same line starts."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    j = start
    while j < end:
        if text[j] == "`":
            length = _run_length(text, j)
            if length == run and j + length <= end:
                return j if j > start else None
            j += length
        else:
            j += 1
    return None


def _unsafe_destination(dest: str) -> bool:
    from casedesk.safe_html import safe_href

    dest = dest.strip().strip("<>").replace("\\", "")
    return bool(dest) and safe_href(dest) is None


def _defuse_link(m: re.Match[str]) -> str:
    if not _unsafe_destination(m.group(1)):
        return m.group(0)
    return "\\]" + m.group(0)[1:].replace("(", "\\(", 1)


def _defuse_reference(m: re.Match[str]) -> str:
    if not _unsafe_destination(m.group(2)):
        return m.group(0)
    return m.group(1) + "\\]:" + m.group(0)[len(m.group(1)) + 2 :]


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address that can be written as an autolink
    (``javascript:`` and the like never become links)."""
    if not url:
        return None
    # A "|" would end a table cell in some renderers; "%7C" is the same address.
    url = url.strip().replace("|", "%7C")
    if not re.fullmatch(r"https?://[^\s<>\"'`\\]+", url, flags=re.IGNORECASE):
        return None
    return url


# -- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "gen",
    "gov",
    "sen",
    "rep",
    "lt",
    "col",
    "capt",
    "sgt",
    "rev",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
}
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_NEXT_WORD = re.compile(r"\s+(\S)")
_INITIALS = re.compile(r"(\w\.)+\w")
_WORD_BEFORE = re.compile(r"[\w.]+\Z")
_LOOK_BACK = 24


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether the punctuation ``match`` ends a sentence (not an abbreviation or initial)."""
    nxt = _NEXT_WORD.match(text, match.end(), match.end() + 40)
    if nxt is not None and nxt.group(1).islower():
        return False  # '"Why?" he asked.' and 'Mr. smith' do not end there
    if text[match.start()] != ".":
        return True
    # The word before the full stop (letters, digits, "." and "_"), read from the few
    # characters before it: a regex over text[:pos] would copy and rescan the whole text for
    # every full stop, and abbreviations and initials are short.
    end = match.start()
    found = _WORD_BEFORE.search(text, max(0, end - _LOOK_BACK), end)
    if found is None:
        return True
    token = found.group().lower()
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    return not _INITIALS.fullmatch(token)  # U.S, S.K: dotted initials


def sentence_bounds(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, as offsets into ``text``."""
    s, e, _cut_left, _cut_right = Sentences(text).quote(start, end, limit)
    return s, e


class Sentences:
    """The sentence boundaries of one text, found once; ``quote`` then answers for any span
    by bisection (a summary cites a document dozens of times).

    Blank lines always end a sentence; ``.``, ``!`` and ``?`` do unless they close an
    abbreviation or an initial, or lower-case text follows. A single line break is a wrapped
    line (as in extraction)."""

    __slots__ = ("text", "_starts", "_ends")

    def __init__(self, text: str) -> None:
        self.text = text
        starts: list[int] = []  # where paragraphs begin and sentences end
        ends: list[int] = []  # where blank lines begin and sentences end
        for m in _BLANK_LINE.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        stops = [m.end() for m in _END.finditer(text) if _is_boundary(text, m)]
        self._starts = sorted(starts + stops)
        self._ends = sorted(ends + stops)

    def quote(self, start: int, end: int, limit: int = 400) -> tuple[int, int, bool, bool]:
        """The sentence around ``text[start:end]`` as ``(start, end, cut_left, cut_right)``.
        A sentence longer than ``limit`` is cut to the span and the words around it, and the
        flags say which side was cut (so a footnote can show "…")."""
        text = self.text
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        # The last boundary at or before the span; the first at or after its end (a span may
        # end with the full stop).
        i = bisect_right(self._starts, start)
        s = self._starts[i - 1] if i else 0
        j = bisect_left(self._ends, end)
        e = self._ends[j] if j < len(self._ends) else len(text)
        e = max(e, end)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        cut_left = cut_right = False
        if e - s > limit:
            half = max((limit - (end - start)) // 2, 0)
            if start - half > s:
                s = start - half
                space = text.find(" ", s, start)
                s = space + 1 if space >= 0 else s
                cut_left = True
            if end + half < e:
                e = end + half
                space = text.rfind(" ", end, e)
                e = space if space >= 0 else e
                cut_right = True
        return s, e, cut_left, cut_right


# -- dates -----------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def date_words(value: str | None, modifier: str | None = None) -> str:
    """A normalised date value in words, at its own precision ("July 2019", "week 28 of
    2019", "mid-December 2019"). Values that are not calendar dates come back escaped."""
    if value and timex.period(value) is None:
        return inline(value)
    return words.date_words(value, modifier)


def iso_day(value: str | None) -> dt.date | None:
    """The day an ISO timestamp or date falls on (``2026-11-21T05:08:08Z`` → 21 Nov 2026)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None

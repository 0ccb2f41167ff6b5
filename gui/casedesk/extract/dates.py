"""Date and duration tagging: a rule tagger in HeidelTime's spirit.

A regular grammar finds temporal expressions in raw text; each is normalised to a TimeML value
at its own precision (``2019``, ``2019-07``, ``2019-W28``, ``2019-07-04``, ``2019-07-12T14:00``,
``2019-Q3``, ``P3Y`` ...). Relative expressions ("Saturday", "next month", "in January") are
resolved against the publication date (DCT), choosing past or future by the nearby verbs, and
anaphoric ones ("the following month", "that day") against the last date resolved in the text.

Plain Python on raw text: no tokenizer or model is needed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dateutil.easter import easter

from casedesk.extract.model import Mention
from casedesk.extract.numbers import CARDINALS

PROVENANCE = "rules:dates"

# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBER_WORDS: dict[str, float] = {
    "a": 1,
    "an": 1,
    **{w: n for w, n in CARDINALS.items() if n},
    "hundred": 100,
    "half a": 0.5,
    "a half": 0.5,
    "half an": 0.5,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a dozen": 12,
    "dozen": 12,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_UNIT_CODES = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "weekend": "WE",
    "fortnight": "W2",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
_PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_ANY = rf"(?:{_WEEKDAY}|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.)"
_DAYNUM = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:1[6-9][0-9]{2}|20[0-9]{2})"
_NUMWORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+\d/\d)?|\d+/\d"
    rf"|{_NUMWORD}(?:\s+and\s+(?:a|one)[- ]half)?"
    r"|(?:a\s+)?couple(?:\s+of)?|a\s+dozen|half\s+an?|an?(?:\s+and\s+a[- ]half)?)"
)
_VAGUE = r"(?:several|a\s+few|few|many|some|numerous|a\s+number\s+of|dozens\s+of|hundreds\s+of)"
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))"
_APPROX = (
    r"(?:about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|"
    r"fewer\s+than|over(?!\s+the)|under(?!\s+the)|at\s+least|at\s+most|up\s+to|just|only|"
    r"barely|well\s+over)"
)
_MOD_WORDS = {
    "about": "approx",
    "around": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "some": "approx",
    "nearly": "less_than",
    "almost": "less_than",
    "more than": "more_than",
    "over": "more_than",
    "well over": "more_than",
    "less than": "less_than",
    "fewer than": "less_than",
    "under": "less_than",
    "at least": "equal_or_more",
    "at most": "equal_or_less",
    "up to": "equal_or_less",
}
_EDGE = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:early|earlier|mid|middle|late|later|start|beginning|end|"
    r"close)(?:\s+(?:part\s+)?of(?:\s+the)?)?)"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Tense cues looked for near an expression whose reading depends on it.
_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|'ll|wo|going\s+to|expect(?:s|ed|ing)?\s+to|plans?\s+to|planning|"
    r"schedul(?:e|es|ed)\s+(?:to|for)|slated|set\s+(?:to|for)|due|ending|expir(?:es|ing)|"
    r"matur(?:es|ing)|"
    r"(?:is|are)\s+to|to\s+be|(?:is|are)\s+expected|becomes?|upcoming|intends?\s+to|aims?\s+to|hopes?\s+to|would|"
    r"next(?!\s+to\b)|"
    r"tomorrow|coming|as\s+soon\s+as|planned\s+(?:to|for|an?)|(?-i:until)|forecasts?|forecasting|"
    r"(?:takes?|taking)\s+effect|(?:comes?|coming|enters?|entering)\s+into\s+force|"
    r"(?:goes|go|going)\s+into\s+effect)\b"
    # Weak cues: a modal ("could pause in May") or a plan ("a plan for a sale in the second
    # quarter") leans to the future, as an infinitive does.
    r"|(?P<modal>\b(?:could|might|should|(?-i:may)(?=\s+(?:not\s+)?[a-z]+\b)|plan\s+for)\b)"
    r"|(?P<inf>\bto\s+(?!(?:the|a|an|his|her|its|their|our|my|your|this|that|these|those|some|any|all|"
    r"each|every|be|have|been|date|about|around|nearly|almost|more|less|over|under|"
    r"[a-z]+ed|[a-z]+ing|[a-z]+s)\b)(?-i:[a-z]{3,})(?=\s))",
    re.IGNORECASE,
)
_PAST_CUES = re.compile(
    r"\b(?:said|told|was|were|had|has|have|did|ago|last|earlier|yesterday|[a-z]{2,}ed|"
    # Irregular past tenses common in news ("the strike began on Wednesday").
    r"began|became|broke|brought|built|came|caught|chose|drew|drove|fell|felt|flew|fought|"
    r"found|froze|gave|got|grew|held|kept|knew|led|lost|made|meant|met|paid|ran|rose|sank|"
    r"saw|sold|sent|shook|shot|slid|sought|spent|spoke|stood|stole|struck|swore|swept|"
    r"took|taught|thought|threw|told|understood|went|withdrew|woke|wrote|overtook|undertook|"
    r"bought|forgot|hung|left(?!\s+(?:wing|hand|side)))\b",
    re.IGNORECASE,
)
_NOT_PAST_ED = frozenset(
    {
        "expected",
        "planned",
        "scheduled",
        "slated",
        "proposed",
        "intended",
        "need",
        "needed",
        "red",
        "bed",
        "feed",
        "seed",
        "speed",
        "weed",
        "shed",
        "united",
        "limited",
        "based",
        "hundred",
        "related",
        "proceed",
        "succeed",
        "exceed",
        "indeed",
    }
)
# Past forms that are never participles ("to be held" is; "began" is not).
_FINITE_PAST = _words(
    "said told was were had has have did ago last earlier yesterday began became came drew "
    "drove fell flew froze gave grew knew ran rose sank saw shook spoke stole swore took threw "
    "went withdrew woke wrote overtook undertook forgot"
)
_PASSIVE_BEFORE = re.compile(r"(?i)\b(?:be|being|to|will|would|not)\s+(?:\w+ly\s+)?$")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"'`])|\n\s*\n")

# ---------------------------------------------------------------------------------------------
# Values


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _number(text: str) -> float | None:
    """The value of a number written in digits or words; None when it is vague ("several")."""
    s = re.sub(r"\s+", " ", text.strip().lower()).replace("-", " ")
    if not s:
        return None
    if m := re.fullmatch(r"(\d+)\s+(\d)/(\d)", s):
        return int(m[1]) + int(m[2]) / int(m[3])
    if m := re.fullmatch(r"(\d)/(\d)", s):
        return int(m[1]) / int(m[2])
    try:
        return float(s.replace(",", ""))
    except ValueError:
        pass
    extra = 0.0
    if s.endswith(" and a half") or s.endswith(" and one half"):
        extra = 0.5
        s = s.rsplit(" and ", 1)[0]
    if s in _NUMBER_WORDS:
        return _NUMBER_WORDS[s] + extra
    total = 0.0
    for word in s.split():
        if word not in _NUMBER_WORDS:
            return None
        total += _NUMBER_WORDS[word]
    return total + extra


def _duration_value(amount: float | None, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    if unit.endswith("ie"):
        unit = "century"
    code = _UNIT_CODES.get(unit, "D")
    n: str
    if amount is None:
        n = "X"
    elif code == "DE":
        return f"P{_fmt(amount * 10)}Y"
    elif code == "CE":
        return f"P{_fmt(amount * 100)}Y"
    elif code == "W2":
        return f"P{_fmt(amount * 2)}W"
    elif code == "Q":
        return f"P{_fmt(amount * 3)}M"
    else:
        if amount != int(amount) and code in ("H", "Y", "D"):
            whole = int(amount)
            frac = amount - whole
            small = {"H": ("M", 60), "Y": ("M", 12), "D": ("H", 24)}[code]
            sub = _fmt(frac * small[1])
            if code == "H":
                return f"PT{whole}H{sub}M" if whole else f"PT{sub}M"
            if code == "D":
                return f"P{whole}DT{sub}H" if whole else f"PT{sub}H"
            return f"P{whole}Y{sub}M" if whole else f"P{sub}M"
        n = _fmt(amount)
    if code == "DE":
        return f"P{n}DE"
    if code == "CE":
        return f"P{n}CE"
    if code in ("H", "S") or (code == "M" and unit == "minute"):
        return f"PT{n}{code}"
    return f"P{n}{code[0]}"


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


# ---------------------------------------------------------------------------------------------
# Resolution context


@dataclass
class _Context:
    text: str
    dct: dt.date | None
    anchor: str | None = None  # last value resolved on the calendar
    anchor_pos: int = -1
    quarter_anchor: str | None = None
    quarter_pos: int = -1
    doc: Any = None  # the parsed text (a spaCy Doc), when the caller has one


class _Groups(Protocol):
    """A regex match, or a view of one with alternative groups folded together."""

    def __getitem__(self, key: str) -> str | Any: ...

    def start(self) -> int: ...

    def end(self) -> int: ...


@dataclass
class _Resolved:
    value: str
    type: str = "DATE"
    modifier: str | None = None
    anchor: str | None = "dct"
    kind: str = "date"
    sets_anchor: bool = True
    quant: str | None = None  # "EACH" for a set's "every", "each", "a", "per"


@dataclass
class _Rule:
    """One rule of the grammar, with sentences it must read (``examples``: the text and the
    value its expression takes when published on ``EXAMPLE_DCT``) and sentences in which it
    must tag nothing (``counter_examples``); tests/core/test_date_rules.py checks them all."""

    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], _Context], _Resolved | None]
    priority: int = 0
    sets_anchor: bool = True
    # A word every match contains: the full pattern only runs near one (most of a text is far
    # from any date word, which keeps the tagger fast); None runs it on the whole text.
    head: str | None = None
    examples: Sequence[tuple[str, str]] = ()
    counter_examples: Sequence[str] = ()

    def __post_init__(self) -> None:
        self.head_pattern = re.compile(self.head) if self.head else None


# The publication date a rule's examples are read against (a Wednesday).
EXAMPLE_DCT = dt.date(2024, 3, 13)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - 250)
    s = left
    for m in _SENTENCE_END.finditer(text, left, min(len(text), start + 1)):
        if m.end() <= start:
            s = m.end()
    e_match = _SENTENCE_END.search(text, end, min(len(text), end + 250))
    e = e_match.start() + 1 if e_match else min(len(text), end + 250)
    return s, e


def _cues(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in _FUTURE_CUES.finditer(text, lo, hi):
        modal = m.group("modal")
        if modal and not modal.lower().startswith("plan"):
            if _PERFECT_AFTER.match(text, m.end()):
                continue  # "could have left on Friday": "have" says it is past
            if modal.lower() == "could" and (
                _NEGATION_AFTER.match(text, m.end())
                or _NEGATION_BEFORE.search(text, max(0, m.start() - 60), m.start())
            ):
                # "could not be reached on Friday", "neither could be found": the past of "can"
                found.append((m.start(), m.end(), "infinitive"))
                continue
            found.append((m.start(), m.end(), "modal"))
            continue
        weak = m.group("inf") or modal
        found.append((m.start(), m.end(), "infinitive" if weak else "future"))
    for m in _PAST_CUES.finditer(text, lo, hi):
        word = m.group(0).lower()
        if word in _NOT_PAST_ED:
            continue
        if word not in _FINITE_PAST and _PASSIVE_BEFORE.search(
            text, max(0, m.start() - 20), m.start()
        ):
            continue  # "will be named", "will be paid": a participle, not a past tense
        found.append((m.start(), m.end(), "past"))
    return found


_CONDITION = re.compile(r"(?i)\b(?:if|unless|provided|as\s+long\s+as)\b")
_PERFECT_AFTER = re.compile(r"(?i)\s+(?:not\s+)?(?:have|'ve)\b")
_NEGATION_AFTER = re.compile(r"(?i)(?:\s+not\b|n't\b)")
_NEGATION_BEFORE = re.compile(r"(?i)\b(?:neither|nor|never|nobody|no\s+one)\b[^.;:]*$")


def _tense(text: str, start: int, end: int, *, weak: bool = True) -> str | None:
    """'past', 'future' or None from the cue nearest the expression in its sentence.

    An infinitive ("agreed to buy ... in January") hints at the future; it is a weak cue that
    weekday names ignore (they lean to the past week unless "will", "is expected to" etc. say
    otherwise). A modal before the expression ("could be called as early as Friday") says
    the future as "will" does; after it ("on Friday, prices could rise"), it is a weak cue.
    """
    s, e = _sentence_bounds(text, start, end)
    best: tuple[int, str] | None = None
    before = _cues(text, max(s, start - 120), start)
    after = _cues(text, end, min(e, end + 100))
    for cs, ce, kind in before + after:
        if kind == "modal":
            if ce > start and not weak:
                continue
            kind = "future"
        elif kind == "infinitive":
            if not weak:
                continue
            kind = "future"
        # A cue after the expression counts a little less than one before it, and much less
        # past a clause break ("would tighten rules from May 1, extending those announced").
        if ce <= start:
            dist = start - ce
        else:
            if _CONDITION.search(text, end, cs):
                continue  # "by the end of June if output held steady": a condition's tense
            dist = (cs - end) * 2 + 5
            if re.search(r"[,;:\u2013\u2014]|\s-\s", text[end:cs]):
                dist += 80
        if best is None or dist < best[0]:
            best = (dist, kind)
    return best[1] if best else None


def _year_for_month(month: int, day: int | None, ctx: _Context, start: int, end: int) -> int:
    """The year of a month (and day) written without one.

    The nearest occurrence to the publication date, unless the tense says the other side and
    the date is more than about a month away on the wrong side ("in December" said in March
    of a past event is last December; a deadline "Dec. 15" in a past-tense report is still
    this year's). Without any cue, a month three or more months ahead is read as last year's.
    """
    dct = ctx.dct
    assert dct is not None
    # Signed distance in months from the DCT to this year's occurrence.
    diff = (month - dct.month) + (((day or 15) - (dct.day if day else 15)) / 31)
    year = dct.year
    if diff > 6:
        year, diff = year - 1, diff - 12
    elif diff < -6:
        year, diff = year + 1, diff + 12
    margin = 1.5 if day else 1.0
    if abs(diff) <= margin:
        return year
    tense = _tense(ctx.text, start, end)
    if tense == "past" and diff > 0:
        return year - 1
    if tense == "future" and diff < 0:
        return year + 1
    if tense is None and diff >= 3:
        # News reports more of the past year than of months ahead.
        return year - 1
    return year


# ---------------------------------------------------------------------------------------------
# Rules


def _month_number(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text)[0])  # type: ignore[index]


def _edge_modifier(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower()
    if "mid" in t or "middle" in t:
        return "mid"
    if "early" in t or "start" in t or "beginning" in t or "earlier" in t:
        return "early"
    if "late" in t or "end" in t or "close" in t:
        return "late"
    return None


def _approx_modifier(text: str | None) -> str | None:
    if not text:
        return None
    return _MOD_WORDS.get(re.sub(r"\s+", " ", text.strip().lower()))


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _r_full_date(m: _Groups, ctx: _Context) -> _Resolved | None:
    month = _month_number(m["mon"])
    day = _day_number(m["day"])
    year = int(m["year"])
    if not _valid_day(year, month, day):
        return None
    value = f"{year:04d}-{month:02d}-{day:02d}"
    if m["time"]:
        t = _clock(m["time"])
        if t:
            return _Resolved(f"{value}T{t}", "TIME", anchor=None)
    return _Resolved(value, anchor=None)


def _r_month_day(m: _Groups, ctx: _Context) -> _Resolved | None:
    month = _month_number(m["mon"])
    day = _day_number(m["day"])
    if ctx.dct is None:
        return _Resolved(f"XXXX-{month:02d}-{day:02d}", anchor=None)
    year = _year_for_month(month, day, ctx, m.start(), m.end())
    if not _valid_day(year, month, day):
        return None
    return _Resolved(f"{year:04d}-{month:02d}-{day:02d}")


def _r_iso(m: _Groups, ctx: _Context) -> _Resolved | None:
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not _valid_day(y, mo, d):
        return None
    if m["hh"]:
        return _Resolved(f"{y:04d}-{mo:02d}-{d:02d}T{m['hh']}:{m['mm']}", "TIME", anchor=None)
    return _Resolved(f"{y:04d}-{mo:02d}-{d:02d}", anchor=None)


def _r_slash(m: _Groups, ctx: _Context) -> _Resolved | None:
    mo, d, y = int(m["mo"]), int(m["d"]), int(m["y"])
    if y < 100:
        y += 1900 if y > 40 else 2000
    if not _valid_day(y, mo, d):
        return None
    return _Resolved(f"{y:04d}-{mo:02d}-{d:02d}", anchor=None)


def _r_month_year(m: _Groups, ctx: _Context) -> _Resolved | None:
    month = _month_number(m["mon"])
    year = int(m["year"])
    return _Resolved(f"{year:04d}-{month:02d}", modifier=_edge_modifier(m["edge"]), anchor=None)


def _r_month_rel(m: _Groups, ctx: _Context) -> _Resolved | None:
    """A month with a relative year: "July last year", "last July", "in January"."""
    month = _month_number(m["mon"])
    mod = _edge_modifier(m["edge"])
    rel = (m["rel"] or m["rel2"] or "").lower()
    if ctx.dct is None:
        return _Resolved(f"XXXX-{month:02d}", modifier=mod, anchor=None)
    dct = ctx.dct
    if "last" in rel or "past" in rel or "previous" in rel:
        # "July last year"; "last July" is the most recent July before this month.
        before = m["rel2"] or month >= dct.month
        year = dct.year - 1 if before else dct.year
    elif "next" in rel or "coming" in rel:
        after = m["rel2"] or month <= dct.month
        year = dct.year + 1 if after else dct.year
    elif "this" in rel:
        year = dct.year
    else:
        year = _year_for_month(month, None, ctx, m.start(), m.end())
    return _Resolved(f"{year:04d}-{month:02d}", modifier=mod)


def _weekday_date(wd: int, rel: str, ctx: _Context, start: int, end: int) -> dt.date:
    dct = ctx.dct
    assert dct is not None
    base = dct.weekday()
    if rel in ("last", "past", "previous"):
        delta = (base - wd) % 7 or 7
        return dct - dt.timedelta(days=delta)
    if rel in ("next", "coming"):
        delta = (wd - base) % 7 or 7
        return dct + dt.timedelta(days=delta)
    if rel == "this":
        tense = _tense(ctx.text, start, end, weak=False)
        if tense == "past":
            return dct - dt.timedelta(days=(base - wd) % 7)
        return dct + dt.timedelta(days=(wd - base) % 7)
    # A deadline or a start ("by Friday", "until Monday", "a strike from Wednesday") is
    # mostly ahead; and once the sentence has dated its main event ("said on Wednesday ...
    # asked the union to return to talks on Monday"), a weekday after an infinitive or a modal
    # belongs to that later action.
    deadline = _DEADLINE_BEFORE.search(ctx.text, max(0, start - 30), start) is not None
    tense = _clause_tense(ctx.doc, start, end) if ctx.doc is not None else None
    if tense is None:
        s, _ = _sentence_bounds(ctx.text, start, end)
        dated = ctx.anchor_pos >= s and ctx.anchor_pos < start
        tense = _tense(ctx.text, start, end, weak=deadline or dated)
    if tense == "future" or (tense is None and deadline):
        return dct + dt.timedelta(days=(wd - base) % 7)
    return dct - dt.timedelta(days=(base - wd) % 7)


# Dependencies through which a date phrase hangs from the verb of its clause ("on Friday":
# pobj -> prep -> verb; "Friday" alone: npadvmod -> verb).
_CLIMB = frozenset(("pobj", "prep", "npadvmod", "tmod", "advmod", "compound", "appos", "nmod"))
# Verbs whose infinitive complement is a plan or a schedule ("is expected to vote Friday").
_PLAN_HEADS = _words("expect plan schedule set due intend aim hope prepare go")
_NEGATORS = _words("neither nor never nobody")


def _clause_tense(doc: Any, start: int, end: int) -> str | None:
    """'past', 'future' or None from the parse: the tense of the verb a date hangs from.

    A modal ("could be called as early as Friday", "would not report until Monday") or
    *will* puts the clause ahead, unless it is perfect ("could have left"); a past-tense verb
    or auxiliary ("voted", "was held", "had met") puts it behind; a plan's infinitive ("is
    expected to vote on Thursday") is ahead. A present tense or a verbless phrase says
    nothing (None), and the words around decide.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ not in _CLIMB or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "mark" and c.i >= span.end for c in tok.children):
        return None  # "warnings on Thursday that strikes could ...": not the date's clause
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    modals = [a for a in auxes if a.tag_ == "MD"]
    if modals:
        if any(a.lemma_ == "have" for a in auxes):
            return "past"
        if modals[0].lower_ == "could" and (
            any(c.dep_ == "neg" for c in tok.children)
            or any(t.lower_ in _NEGATORS for t in tok.subtree)
        ):
            return None  # "could not be reached on Friday": the past of "can"
        return "future"
    if any(a.tag_ == "TO" for a in auxes):
        # "is expected to vote on Thursday"; "agreed to buy on Friday" is left to the words
        return "future" if tok.head.lemma_.lower() in _PLAN_HEADS else None
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if tok.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    return None


_DEADLINE_BEFORE = re.compile(
    r"(?i)\b(?:by|until|till|before|from|starting|effective)\s+(?:(?:early|late)\s+)?(?:on\s+)?"
    r"(?:the\s+(?:end|start|beginning|middle|close)\s+of\s+)?$"
)


def _future_reading(text: str, start: int, end: int) -> bool:
    """Whether an expression that could be past or ahead is ahead: a deadline before it, or a
    future cue (weak ones included) nearer than any past one."""
    if _DEADLINE_BEFORE.search(text, max(0, start - 40), start):
        return _tense(text, start, end) != "past"
    return _tense(text, start, end) == "future"


def _r_weekday(m: _Groups, ctx: _Context) -> _Resolved | None:
    name = m["wd"].lower().rstrip(".")
    wd = next(v for k, v in _WEEKDAYS.items() if k.startswith(name[:3]))
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    mod = _edge_modifier(m["edge"])
    if ctx.dct is None:
        return _Resolved(f"XXXX-WXX-{wd + 1}", modifier=mod, anchor=None)
    anchor = "dct"
    if rel in ("the previous", "the following", "the next") and ctx.anchor:
        base = _day_of(ctx.anchor)
        if base is None:
            return None
        if rel == "the previous":
            day = base - dt.timedelta(days=(base.weekday() - wd) % 7 or 7)
        else:
            day = base + dt.timedelta(days=(wd - base.weekday()) % 7 or 7)
        anchor = "previous"
    elif not rel and ctx.text.startswith(("'s", "\u2019s"), m.end()):
        # "Tuesday's vote": spoken of as done.
        day = ctx.dct - dt.timedelta(days=(ctx.dct.weekday() - wd) % 7)
    else:
        day = _weekday_date(wd, rel.replace("the ", ""), ctx, m.start(), m.end())
    value = day.isoformat()
    typ = "DATE"
    if m["time"]:
        t = _clock(m["time"])
        if t:
            value, typ = f"{value}T{t}", "TIME"
    elif m["part"]:
        # "Thursday morning", "Friday night": the part of that day.
        value, typ = f"{value}T{_PARTS_OF_DAY[m['part'].lower()]}", "TIME"
    return _Resolved(value, typ, modifier=mod, anchor=anchor)


def _day_of(value: str) -> dt.date | None:
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _r_weekday_date(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "Thursday, July 11" without a year: the weekday picks the year when it can."""
    month = _month_number(m["mon"])
    day = _day_number(m["day"])
    name = m["wd"].lower().rstrip(".")
    wd = next(v for k, v in _WEEKDAYS.items() if k.startswith(name[:3]))
    if ctx.dct is None:
        return _Resolved(f"XXXX-{month:02d}-{day:02d}", anchor=None)
    base = _year_for_month(month, day, ctx, m.start(), m.end())
    for year in (base, base - 1, base + 1):
        if _valid_day(year, month, day) and dt.date(year, month, day).weekday() == wd:
            return _Resolved(f"{year:04d}-{month:02d}-{day:02d}")
    if not _valid_day(base, month, day):
        return None
    return _Resolved(f"{base:04d}-{month:02d}-{day:02d}")


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _r_day_word(m: _Groups, ctx: _Context) -> _Resolved | None:
    word = m["word"].lower()
    mod = _edge_modifier(m["edge"])
    if ctx.dct is None:
        return _Resolved("PRESENT_REF", anchor=None) if word == "today" else None
    if word.startswith("the day before"):
        offset = -2
    elif word.startswith("the day after"):
        offset = 2
    else:
        offset = _DAY_WORDS[word.split()[0]]
    day = ctx.dct + dt.timedelta(days=offset)
    value = day.isoformat()
    if word == "tonight":
        return _Resolved(value, modifier=mod)
    if m["time"]:
        t = _clock(m["time"])
        if t:
            return _Resolved(f"{value}T{t}", "TIME", modifier=mod)
    if m["part"]:
        # "yesterday afternoon", "tomorrow morning".
        return _Resolved(f"{value}T{_PARTS_OF_DAY[m['part'].lower()]}", "TIME", modifier=mod)
    return _Resolved(value, modifier=mod)


def _r_part_of_day(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "this morning", "last night"."""
    if ctx.dct is None:
        return None
    rel = m["rel"].lower()
    part = m["part"].lower()
    day = ctx.dct
    if rel == "last" and part in ("night", "evening"):
        day = day - dt.timedelta(days=1)
    elif rel == "last":
        return None
    return _Resolved(f"{day.isoformat()}T{_PARTS_OF_DAY[part]}", "TIME")


def _r_the_part(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "in the afternoon", "that evening": a part of the day last spoken of."""
    if not ctx.anchor or not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", ctx.anchor):
        return None
    if m.start() - ctx.anchor_pos > 600:
        return None
    return _Resolved(
        f"{ctx.anchor[:10]}T{_PARTS_OF_DAY[m['part'].lower()]}", "TIME", anchor="previous"
    )


def _unit_value(unit: str, offset: int, base: dt.date) -> str:
    unit = unit.lower()
    if unit == "day":
        return (base + dt.timedelta(days=offset)).isoformat()
    if unit == "week":
        return _iso_week(base + dt.timedelta(weeks=offset))
    if unit == "weekend":
        return _iso_week(base + dt.timedelta(weeks=offset)) + "-WE"
    if unit == "month":
        y, mo = _add_months(base.year, base.month, offset)
        return f"{y:04d}-{mo:02d}"
    if unit == "quarter":
        q = (base.month - 1) // 3
        index = base.year * 4 + q + offset
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "year":
        return f"{base.year + offset:04d}"
    if unit == "decade":
        return f"{(base.year // 10 + offset):03d}"
    if unit == "century":
        return f"{(base.year // 100 + offset):02d}"
    raise ValueError(unit)


def _r_rel_unit(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "last week", "this year", "next month", "earlier this year", "the current quarter"."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    mod = _edge_modifier(m["edge"])
    if ctx.dct is None:
        return _Resolved("PRESENT_REF" if rel in ("this", "the current") else "XXXX", anchor=None)
    if rel in ("last", "past", "previous", "the past", "the last", "the previous"):
        offset = -1
    elif rel in ("next", "coming", "the next", "the coming"):
        offset = 1
    else:
        offset = 0
    return _Resolved(_unit_value(unit, offset, ctx.dct), modifier=mod)


def _r_ago(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "three years ago", "two weeks from now", "a year earlier" (anaphoric)."""
    amount = _number(m["num"]) if m["num"] else None
    unit = m["unit"].lower().rstrip("s")
    if unit.endswith("ie"):
        unit = "century"
    direction = m["dir"].lower()
    sign = (
        1 if direction in ("later", "after", "afterward", "afterwards", "from now", "hence") else -1
    )
    anchored = direction not in ("ago", "from now", "hence")
    mod = _approx_modifier(m["approx"])
    if ctx.dct is None:
        return None
    if amount is None:
        return _Resolved("PAST_REF" if sign < 0 else "FUTURE_REF", modifier=mod)
    if amount != int(amount):
        return None
    n = int(amount) * sign
    comparison = direction in ("ago", "earlier", "before")
    if unit == "year" and comparison and ctx.quarter_anchor and m.start() - ctx.quarter_pos < 1000:
        # Financial reports: "the third quarter ... compared with a year ago".
        y, q = ctx.quarter_anchor.split("-Q")
        return _Resolved(f"{int(y) + n:04d}-Q{q}", anchor="previous", sets_anchor=False)
    if anchored and ctx.anchor:
        shifted = None
        if comparison and _compares_within_sentence(ctx, m.start(), m.end()):
            shifted = _shift_keeping_precision(ctx.anchor, unit, n)
        shifted = shifted or _shift_value(ctx.anchor, unit, n)
        if shifted:
            return _Resolved(shifted, modifier=mod, anchor="previous", sets_anchor=not comparison)
    # "a year ago" is mostly a comparison ("up from $5 a year ago"), not a narrative anchor;
    # "three years ago, ..." starts a story the next "the following year" continues.
    narrative = not (comparison and abs(n) == 1 and unit == "year")
    return _Resolved(_unit_value(unit, n, ctx.dct), modifier=mod, sets_anchor=narrative)


def _compares_within_sentence(ctx: _Context, start: int, end: int) -> bool:
    """Whether "a year earlier" compares with a date of its own sentence ("stood at $34bn at
    the end of January, from $41bn a year earlier"), not with the day a statement was made
    ("said Friday that ... a year earlier")."""
    s, _ = _sentence_bounds(ctx.text, start, end)
    if ctx.anchor_pos < s:
        return False
    before = ctx.text[max(s, ctx.anchor_pos - 25) : ctx.anchor_pos]
    return not re.search(r"(?i)\b(?:said|says|announced|reported|told\s+\w+)\s+(?:on\s+)?$", before)


def _shift_keeping_precision(value: str, unit: str, n: int) -> str | None:
    """ "a year earlier" than a day is that day a year before; than a month, that month.

    A comparison keeps the precision of what it compares with (TimeBank values "a year
    earlier" after "Sept. 30, 1989" as 1988-09-30). None when the unit is finer than the value
    (a week earlier than a month) or the value has no day or month.
    """
    months = {"year": 12, "quarter": 3, "month": 1}
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        if unit == "week":
            return (day + dt.timedelta(weeks=n)).isoformat()
        if unit in months:
            y, mo = _add_months(day.year, day.month, n * months[unit])
            last = _month_end_day(y, mo).day
            return dt.date(y, mo, min(day.day, last)).isoformat()
        return None
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", value)) and unit in months:
        y, mo = _add_months(int(m[1]), int(m[2]), n * months[unit])
        return f"{y:04d}-{mo:02d}"
    return None


def _shift_value(value: str, unit: str, n: int) -> str | None:
    """Move a normalised value by n units, keeping the coarser of the two precisions."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return _unit_value(unit, n, day)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        if unit in ("month", "year", "quarter", "decade", "century"):
            return _unit_value(unit, n, dt.date(int(m[1]), int(m[2]), 15))
        return None
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        base = dt.date(int(m[1]), int(m[2]) * 3 - 1, 15)
        if unit == "year":
            return f"{int(m[1]) + n:04d}-Q{m[2]}"
        if unit in ("quarter", "month"):
            return _unit_value(unit, n, base)
        return None
    if m := re.fullmatch(r"(\d{4})", value):
        if unit in ("year", "decade", "century"):
            return _unit_value(unit, n, dt.date(int(m[1]), 7, 1))
        return None
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return _unit_value(unit, n, monday)
    return None


_ANAPHOR_OFFSET = {
    "that": 0,
    "that same": 0,
    "the same": 0,
    "this": 0,
    "the following": 1,
    "the next": 1,
    "the previous": -1,
    "the preceding": -1,
    "the prior": -1,
    "the day before": -1,
}


def _r_anaphor(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "that day", "the following month", "the next day": on the last resolved date."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    offset = _ANAPHOR_OFFSET[rel]
    if unit in _PARTS_OF_DAY:
        unit = "day"
    base_value = ctx.anchor
    shifted: str | None = None
    if base_value:
        shifted = _shift_value(base_value, unit, offset)
    anchor = "previous"
    if shifted is None:
        if ctx.dct is None:
            return None
        shifted = _unit_value(unit, offset, ctx.dct)
        anchor = "dct"
    # "the next morning" is a day, like "Friday morning".
    return _Resolved(shifted, anchor=anchor)


def _r_day_before_after(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the day before", "the day after": a day next to the last resolved one."""
    offset = -1 if m["dir"].lower() == "before" else 1
    base = ctx.anchor
    if base and re.fullmatch(r"\d{4}-\d{2}-\d{2}", base):
        shifted = _shift_value(base, "day", offset)
        if shifted:
            return _Resolved(shifted, anchor="previous")
    return None


def _r_year(m: _Groups, ctx: _Context) -> _Resolved | None:
    year = int(m["year"])
    mod = _edge_modifier(m["edge"])
    return _Resolved(f"{year:04d}", modifier=mod, anchor=None)


def _r_decade(m: _Groups, ctx: _Context) -> _Resolved | None:
    mod = _edge_modifier(m["edge"])
    if m["full"]:
        return _Resolved(m["full"][:3], modifier=mod, anchor=None)
    short = int(m["short"])
    century = 19 if short >= 20 or ctx.dct is None or ctx.dct.year < 2000 + short else 20
    return _Resolved(f"{century}{short // 10}", modifier=mod, anchor=None)


def _quarter_begun(value: str, dct: dt.date | None) -> bool:
    """Whether a quarter has ended by the publication date (the ones reports are about)."""
    if dct is None:
        return True
    year, q = value.split("-Q")
    return _month_end_day(int(year), int(q) * 3) < dct


def _month_end_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _quarter_of(day: dt.date, offset: int = 0) -> str:
    index = day.year * 4 + (day.month - 1) // 3 + offset
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def _recent_quarter(ctx: _Context, pos: int) -> str | None:
    """The quarter a financial report is about: the one last named, else the one just ended."""
    if ctx.quarter_anchor and pos - ctx.quarter_pos < 2000:
        return ctx.quarter_anchor
    if ctx.dct is None:
        return None
    return _quarter_of(ctx.dct, -1)


def _r_quarter(m: _Groups, ctx: _Context) -> _Resolved | None:
    which = m["ord"].lower()
    half = m["unit"].lower().startswith("half")
    pre = re.sub(r"\s+", " ", (m["pre"] or "").lower())
    year: int | None = None
    back = 0
    if m["year"]:
        year = int(m["year"])
    elif m["rel"] or pre.endswith("s") and "year" in pre:
        if ctx.dct is None:
            return None
        r = (m["rel"] or pre).lower()
        year = ctx.dct.year + (-1 if "last" in r or "previous" in r else 1 if "next" in r else 0)
    elif pre[:2] in ("19", "20"):
        year = int(pre[:4])
    elif pre:
        back = 1  # "the year-ago third quarter"
    if which in ("final", "last", "fourth", "4th"):
        n = 2 if half else 4
    elif which in ("latest", "comparable"):
        n = 0
    elif which == "current":
        if ctx.dct is None or half:
            return None
        return _Resolved(_quarter_of(ctx.dct))
    else:
        n = _ORDINALS.get(which, 0)
    if n == 0:
        if half:
            return None
        value = _recent_quarter(ctx, m.start())
        if value is None:
            return None
        if which == "comparable" or back:
            y, q = value.split("-Q")
            value = f"{int(y) - 1:04d}-Q{q}"
        return _Resolved(value, anchor="previous", sets_anchor=False)
    if half and n > 2:
        return None
    if year is None:
        if ctx.dct is None:
            return None
        # The most recent such quarter that has begun, unless the sentence speaks of what is
        # to come ("would issue a eurobond in the second quarter", "until the third quarter").
        start_month = (n - 1) * (6 if half else 3) + 1
        year = ctx.dct.year
        if start_month > ctx.dct.month and not (
            not back and _future_reading(ctx.text, m.start(), m.end())
        ):
            year -= 1
        year -= back
    return _Resolved(
        f"{year:04d}-{'H' if half else 'Q'}{n}",
        modifier=_edge_modifier(m["edge"]),
        sets_anchor=not back,
    )


def _r_year_ago_period(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the year-ago period", "year-earlier" (profit), "the 1988 period": a report's
    comparison period, the quarter last spoken of a year back (or its own year)."""
    quarter = (
        ctx.quarter_anchor if ctx.quarter_anchor and m.start() - ctx.quarter_pos < 2000 else None
    )
    if m["year"]:
        if quarter is None:
            return None
        return _Resolved(
            f"{m['year']}-Q{quarter.split('-Q')[1]}", anchor="previous", sets_anchor=False
        )
    if quarter:
        y, q = quarter.split("-Q")
        return _Resolved(f"{int(y) - 1:04d}-Q{q}", anchor="previous", sets_anchor=False)
    if ctx.dct is None:
        return None
    return _Resolved(f"{ctx.dct.year - 1:04d}", sets_anchor=False)


def _r_the_quarter(m: _Groups, ctx: _Context) -> _Resolved | None:
    if m["mon"]:
        # "the quarter ended Sept. 30": the quarter of that month.
        month = _month_number(m["mon"])
        if ctx.dct is None:
            return None
        day = dt.date(_year_for_month(month, 28, ctx, m.start(), m.end()), month, 1)
        return _Resolved(_quarter_of(day))
    if ctx.quarter_anchor and m.start() - ctx.quarter_pos < 2000:
        return _Resolved(ctx.quarter_anchor, anchor="previous", sets_anchor=False)
    if ctx.dct is None:
        return None
    idx = ctx.dct.year * 4 + (ctx.dct.month - 1) // 3 - 1
    return _Resolved(f"{idx // 4:04d}-Q{idx % 4 + 1}")


def _r_season(m: _Groups, ctx: _Context) -> _Resolved | None:
    code = _SEASONS[m["season"].lower()]
    mod = _edge_modifier(m["edge"])
    if m["year"]:
        return _Resolved(f"{int(m['year']):04d}-{code}", modifier=mod, anchor=None)
    if ctx.dct is None:
        return None
    rel = (m["rel"] or "").lower()
    start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = ctx.dct.year
    if "last" in rel or "past" in rel:
        year = year if start_month < ctx.dct.month - 2 else year - 1
    elif "next" in rel or "coming" in rel:
        year = year if start_month > ctx.dct.month else year + 1
    elif "this" in rel:
        pass
    else:
        tense = _tense(ctx.text, m.start(), m.end())
        if tense == "past" and start_month > ctx.dct.month:
            year -= 1
        elif tense == "future" and start_month + 2 < ctx.dct.month:
            year += 1
    return _Resolved(f"{year:04d}-{code}", modifier=mod)


_REF_WORDS = {
    "now": "PRESENT_REF",
    "right now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "the present": "PRESENT_REF",
    "recently": "PAST_REF",
    "lately": "PAST_REF",
    "in the past": "PAST_REF",
    "recent years": "PAST_REF",
    "the future": "FUTURE_REF",
    "in future": "FUTURE_REF",
    "soon": "FUTURE_REF",
    "shortly": "FUTURE_REF",
}


def _r_ref(m: _Groups, ctx: _Context) -> _Resolved | None:
    word = re.sub(r"\s+", " ", m["word"].lower())
    if word.startswith("in the past"):
        word = "in the past"
    return _Resolved(_REF_WORDS[word], anchor=None)


_LENGTH_VERBS = _words(
    "last lasts lasted lasting take takes took taking for after in within of spent spend "
    "spends than is was be been are were wait waits waited run runs ran aged age"
)


def _over_as_preposition(text: str, m: re.Match[str]) -> bool:
    """Whether "over" before a length is the preposition ("£105 million over three years",
    "Over three years, ...") rather than "more than" ("lasted over a week")."""
    if (m.group("approx") or "").lower() != "over":
        return False
    before = re.search(r"([A-Za-z]+)\s*$", text[max(0, m.start() - 20) : m.start()])
    return not (before and before.group(1).lower() in _LENGTH_VERBS)


def _r_duration(m: _Groups, ctx: _Context) -> _Resolved | None:
    unit = m["unit"]
    amount = _number(m["num"]) if m["num"] else None
    if m["vague"]:
        amount = None
    elif not m["num"] and not m["plural"]:
        amount = 1
    elif not m["num"]:
        amount = None
    elif m["lo"]:
        amount = None  # a range of lengths: its length is not one number
    mod = _approx_modifier(m["approx"])
    if isinstance(m, re.Match) and _over_as_preposition(ctx.text, m):
        mod = None
    value = _duration_value(amount, unit)
    return _Resolved(value, "DURATION", modifier=mod, anchor=None, kind="duration")


def _r_set(m: _Groups, ctx: _Context) -> _Resolved | None:
    word = re.sub(r"\s+", " ", m["word"].lower())
    unit = word.split()[-1]
    base = {
        "daily": "day",
        "weekly": "week",
        "monthly": "month",
        "annually": "year",
        "yearly": "year",
        "hourly": "hour",
        "nightly": "night",
        "quarterly": "quarter",
    }.get(unit, unit)
    quant = None if word.endswith("ly") else "EACH"
    return _Resolved(_duration_value(1, base), "SET", anchor=None, kind="duration", quant=quant)


def _r_day_of_month(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "on the 12th", "the 6th of this month": a day of the current (or named) month."""
    day = _day_number(m["day"])
    if ctx.dct is None:
        return None
    rel = (m["rel"] or "").lower()
    if not rel and ctx.anchor and re.match(r"\d{4}-\d{2}(?:-|$)", ctx.anchor):
        # "In July, ... on the 12th": the month just named in the same sentence.
        s, _ = _sentence_bounds(ctx.text, m.start(), m.end())
        if ctx.anchor_pos >= s:
            y, mo = int(ctx.anchor[:4]), int(ctx.anchor[5:7])
            if _valid_day(y, mo, day):
                return _Resolved(f"{y:04d}-{mo:02d}-{day:02d}", anchor="previous")
    offset = -1 if "last" in rel or "previous" in rel else 1 if "next" in rel else 0
    y, mo = _add_months(ctx.dct.year, ctx.dct.month, offset)
    if not _valid_day(y, mo, day):
        return None
    return _Resolved(f"{y:04d}-{mo:02d}-{day:02d}")


def _r_weekend(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the weekend", "last weekend": the most recent (or, said of the future, next) one."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    if ctx.dct is None:
        return None
    if rel in ("that", "the following", "the previous"):
        base = _day_of(ctx.anchor or "")
        if base is None:
            return None
        if rel == "the previous":
            base -= dt.timedelta(days=7)
        elif rel == "the following":
            base += dt.timedelta(days=7)
        return _Resolved(_iso_week(base) + "-WE", anchor="previous")
    dct = ctx.dct
    if rel == "last":
        offset = -1 if dct.weekday() < 5 else -1
    elif rel == "next":
        offset = 1
    elif rel == "this":
        offset = 0
    else:
        tense = _tense(ctx.text, m.start(), m.end(), weak=False)
        offset = 0 if tense == "future" or dct.weekday() >= 5 else -1
    return _Resolved(_iso_week(dct + dt.timedelta(weeks=offset)) + "-WE")


def _r_unit_edge(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the end of the year", "year-end", "by the end of this month"."""
    if ctx.dct is None:
        return None
    unit = m["unit"].lower()
    edge = m["edge"].lower()
    mod = {
        "end": "late",
        "close": "late",
        "beginning": "early",
        "start": "early",
        "middle": "mid",
        "turn": "late",
    }[edge]
    return _Resolved(_unit_value(unit, 0, ctx.dct), modifier=mod)


def _r_the_year(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the current fiscal year", "the full year", "the latest fiscal year"."""
    which = (m["which"] or "").lower()
    if not which and not m["fiscal"]:
        return None
    if ctx.dct is None:
        return None
    if which in ("past", "previous", "last", "latest"):
        year = ctx.dct.year - 1
    elif which in ("coming", "next"):
        year = ctx.dct.year + 1
    else:
        year = ctx.dct.year
    if which in ("past", "last", "coming", "next") and not m["fiscal"]:
        return None
    return _Resolved(f"{year:04d}")


_TENS = {w: n for w, n in CARDINALS.items() if n >= 10}
_ONES = {w: n for w, n in CARDINALS.items() if 1 <= n <= 10}


def _r_spelled_year(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "nineteen ninety-six", "the year two thousand" (transcribed broadcasts)."""
    if m["tens"]:
        year = 1900 + _TENS[m["tens"].lower()] + _ONES.get((m["ones"] or "").lower(), 0)
    else:
        year = 2000 + _ONES.get((m["ones2"] or "").lower(), 0)
    return _Resolved(f"{year:04d}", anchor=None)


def _r_decade_words(m: _Groups, ctx: _Context) -> _Resolved | None:
    tens = _TENS[m["dec"].lower()[:-3] + "y"] if m["dec"].lower() != "twenties" else 20
    century = 19
    if ctx.dct is not None and ctx.dct.year >= 2000 + tens + 10 and tens < 30:
        century = 20
    return _Resolved(f"{century}{tens // 10}", anchor=None)


def _r_quarter_code(m: _Groups, ctx: _Context) -> _Resolved | None:
    year = int(m["year"])
    if m["q"]:
        return _Resolved(f"{year:04d}-Q{m['q']}", anchor=None)
    if m["h"]:
        return _Resolved(f"{year:04d}-H{m['h']}", anchor=None)
    return _Resolved(f"{year:04d}", anchor=None)


def _r_week_of(m: _Groups, ctx: _Context) -> _Resolved | None:
    """ "the week of July 8": the ISO week holding that day."""
    month, day = _month_number(m["mon"]), _day_number(m["day"])
    if m["year"]:
        year = int(m["year"])
    elif ctx.dct is not None:
        year = _year_for_month(month, day, ctx, m.start(), m.end())
    else:
        return None
    if not _valid_day(year, month, day):
        return None
    return _Resolved(_iso_week(dt.date(year, month, day)), anchor=None if m["year"] else "dct")


def _clock(text: str) -> str | None:
    """ "2 p.m." -> "14:00", "10:30 a.m." -> "10:30", "noon" -> "12:00"; None if invalid."""
    t = text.lower().strip()
    if "noon" in t or "midday" in t:
        return "12:00"
    if "midnight" in t:
        return "24:00"
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?", t)
    if not m:
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    if m[3]:
        if hour == 0 or hour > 12:
            return None
        if m[3].startswith("p") and hour != 12:
            hour += 12
        elif m[3].startswith("a") and hour == 12:
            hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _r_time(m: _Groups, ctx: _Context) -> _Resolved | None:
    clock = _clock(m["time"])
    if clock is None:
        return None
    day_value: str | None = None
    anchor: str | None = "dct"
    if m["mon"]:
        month, day = _month_number(m["mon"]), _day_number(m["day"])
        if m["year"]:
            year = int(m["year"])
        elif ctx.dct is not None:
            year = _year_for_month(month, day, ctx, m.start(), m.end())
        else:
            return None
        if not _valid_day(year, month, day):
            return None
        day_value = f"{year:04d}-{month:02d}-{day:02d}"
        anchor = "dct" if not m["year"] else None
    elif m["wd"]:
        name = m["wd"].lower().rstrip(".")
        wd = next(v for k, v in _WEEKDAYS.items() if k.startswith(name[:3]))
        if ctx.dct is None:
            return None
        day_value = _weekday_date(wd, (m["rel"] or "").lower(), ctx, m.start(), m.end()).isoformat()
    elif m["dayword"]:
        if ctx.dct is None:
            return None
        day_value = (ctx.dct + dt.timedelta(days=_DAY_WORDS[m["dayword"].lower()])).isoformat()
    else:
        found = _day_of_bare_time(ctx, m.start(), m.end())
        if found is None:
            return None
        day_value, anchor = found
    return _Resolved(f"{day_value}T{clock}", "TIME", anchor=anchor)


_DAY_NAME_AFTER = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tomorrow)\b"
)
_REPORTING = re.compile(
    r"(?i)\b(?:said|says|told|tells|announced|announces|reported|stated|confirmed|declared|"
    r"added|briefed)\b"
)


def _day_of_bare_time(ctx: _Context, start: int, end: int) -> tuple[str, str] | None:
    """The day a clock time without one belongs to ("told reporters at 3 p.m.").

    The day its sentence is about when the sentence names one (before it, or as a weekday
    after it); else the reporting day (the publication date) when the sentence reports speech;
    else the day the story last spoke of ("On Friday gunmen attacked. At 3 p.m. police came.");
    else the publication date.
    """
    day = (
        ctx.anchor if ctx.anchor and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", ctx.anchor) else None
    )
    s, e = _sentence_bounds(ctx.text, start, end)
    if day and ctx.anchor_pos >= s:
        return day[:10], "previous"
    later = _DAY_NAME_AFTER.search(ctx.text, end, min(e, end + 60))
    if later and ctx.dct is not None:
        # "occurred at about 10:35 a.m. (0735 GMT) Friday".
        word = later.group(0).lower()
        if word in _DAY_WORDS:
            return (ctx.dct + dt.timedelta(days=_DAY_WORDS[word])).isoformat(), "dct"
        when = _weekday_date(_WEEKDAYS[word], "", ctx, later.start(), later.end())
        return when.isoformat(), "dct"
    if ctx.dct is None:
        if day and start - ctx.anchor_pos < 2000:
            return day[:10], "previous"
        return None
    if _REPORTING.search(ctx.text, s, e):
        return ctx.dct.isoformat(), "dct"
    if day and start - ctx.anchor_pos < 2000:
        return day[:10], "previous"
    return ctx.dct.isoformat(), "dct"


def _r_holiday(m: _Groups, ctx: _Context) -> _Resolved | None:
    name = re.sub(r"\s+", " ", m["name"].lower())
    if m["year"]:
        year = int(m["year"])
    elif ctx.dct is not None:
        year = ctx.dct.year
    else:
        return None
    fixed = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year's day": (1, 1),
        "new year's eve": (12, 31),
        "independence day": (7, 4),
        "fourth of july": (7, 4),
        "halloween": (10, 31),
        "valentine's day": (2, 14),
    }
    if name in fixed:
        mo, d = fixed[name]
        if ctx.dct is not None and not m["year"]:
            year = _year_for_month(mo, d, ctx, m.start(), m.end())
        return _Resolved(f"{year:04d}-{mo:02d}-{d:02d}")
    if name.startswith("thanksgiving"):
        if ctx.dct is not None and not m["year"]:
            year = _year_for_month(11, 25, ctx, m.start(), m.end())
        first = dt.date(year, 11, 1)
        day = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
        return _Resolved(day.isoformat())
    if name == "election day":
        # United States: the Tuesday after the first Monday of November.
        if ctx.dct is not None and not m["year"]:
            year = _year_for_month(11, 5, ctx, m.start(), m.end())
        first = dt.date(year, 11, 1)
        monday = first + dt.timedelta(days=(0 - first.weekday()) % 7)
        return _Resolved((monday + dt.timedelta(days=1)).isoformat())
    if name.startswith("easter") or name == "good friday":
        sunday = easter(year)
        if ctx.dct is not None and not m["year"]:
            sunday = easter(_year_for_month(sunday.month, sunday.day, ctx, m.start(), m.end()))
        if name.endswith("week"):
            return _Resolved(_iso_week(sunday))
        offset = {"easter monday": 1, "good friday": -2}.get(name, 0)
        return _Resolved((sunday + dt.timedelta(days=offset)).isoformat())
    return None


# ---------------------------------------------------------------------------------------------
# Grammar

_TIME_OF_DAY = (
    r"(?:(?:[01]?[0-9]|2[0-3])(?:[:.][0-5][0-9])?\s*(?:[ap]\.m\.|[ap]m\b|[AP]M\b)"
    r"|(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?=\s*(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|KST|JST|BST|"
    r"CET|local\s+time|hours?\b|\(|,?\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|today|tomorrow|yesterday)|,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
    r"Nov|Dec)[a-z]*\.?\s+\d))"
    r"|noon|midnight|midday)"
)
_TZ = (
    r"(?:\s*\(?(?:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|KST|JST|BST|CET|Eastern|Pacific|"
    r"local\s+time)\)?)?"
)
_PART = r"(?:morning|afternoon|evening|night|overnight)"


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p)


def _ci(p: str) -> str:
    """A case-insensitive group."""
    return f"(?i:{p})"


def _opt(p: str) -> str:
    return f"(?:{p})?"


_EDGE_REQ = r"\b" + _ci(rf"(?P<edge>{_EDGE})") + r"[\s-]+"
_EDGE_PRE = _opt(_EDGE_REQ)

_MONTH_HEAD = r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# A unit of time as a word of its own ("days", "year-long"; not the "day" of "Monday").
_UNIT_HEAD = r"\b(?i:second|minute|hour|day|night|week|fortnight|month|year|decade|centur)"
_RULES: list[_Rule] = [
    _Rule(
        "full_date",
        _compile(
            r"\b"
            + _opt(_WEEKDAY_ANY + r",?\s+")
            + rf"(?:(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM}),?\s+"
            rf"(?P<year>{_YEAR4})|(?P<day2>{_DAYNUM})\s+(?P<mon2>{_MONTH_ANY}),?\s+"
            rf"(?P<year2>{_YEAR4}))\b"
            + _opt(r",?\s+" + _opt(_ci("at") + r"\s+") + rf"(?P<time>{_TIME_OF_DAY}){_TZ}")
        ),
        lambda m, c: _r_full_date(_Swap(m, {"mon": "mon2", "day": "day2", "year": "year2"}), c),
        priority=9,
        head=_MONTH_HEAD,
        examples=[
            ("The plant opened on June 5, 2011.", "2011-06-05"),
            ("Ballots closed on 3 May 2019.", "2019-05-03"),
            ("The vote was held on Tuesday, Nov. 8, 2022.", "2022-11-08"),
        ],
        counter_examples=["On June 5, 20 people were hurt."],
    ),
    _Rule(
        "iso_date",
        # 2019-07-04, 2019.07.04, 2019/07/04 (East Asian sites), with an optional clock time.
        _compile(
            r"\b(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<mo>[01]?\d)(?P=sep)\s?(?P<d>[0-3]?\d)\b"
            r"(?![-./]\d)(?:[ T](?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d)?\b)?"
        ),
        _r_iso,
        priority=9,
        head=None,
        examples=[
            ("Posted 2022-09-30 08:15", "2022-09-30T08:15"),
            ("Filed on 2021/04/07.", "2021-04-07"),
        ],
        counter_examples=["Install version 2019.1.2 now."],
    ),
    _Rule(
        "slash_date",
        _compile(
            r"(?<![\d/.])(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/"
            r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\d/])"
        ),
        _r_slash,
        priority=8,
        head=None,
        examples=[
            ("The deadline is 4/15/2023.", "2023-04-15"),
            ("Signed 11/02/98 in the capital.", "1998-11-02"),
        ],
        counter_examples=["Mix 1/2/3 parts."],
    ),
    _Rule(
        "weekday_date",
        _compile(
            rf"\b(?P<wd>{_WEEKDAY_ANY}),?\s+(?:(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM})|"
            rf"(?P<day2>{_DAYNUM})\s+(?P<mon2>{_MONTH_ANY}))\b(?!,?\s*\d)"
        ),
        lambda m, c: _r_weekday_date(_Swap(m, {"mon": "mon2", "day": "day2"}), c),
        priority=8,
        head=_MONTH_HEAD,
        examples=[
            ("The vote is on Friday, March 15.", "2024-03-15"),
            ("The ferry sailed on Monday 4 March.", "2024-03-04"),
        ],
        counter_examples=["They met on Friday, March 15, 2024."],
    ),
    _Rule(
        "month_day",
        _compile(
            rf"(?:\b(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM})\b(?![,.]?\d|:\d|\s*(?:%|percent))"
            rf"|\b(?P<day2>{_DAYNUM})\s+(?P<mon2>{_MONTH_ANY})\b"
            rf"|\bthe\s+(?P<day3>{_DAYNUM})\s+of\s+(?P<mon3>{_MONTH_ANY})\b)"
        ),
        lambda m, c: _r_month_day(_Swap(m, {"mon": ("mon2", "mon3"), "day": ("day2", "day3")}), c),
        priority=7,
        head=_MONTH_HEAD,
        examples=[
            ("Shipments resume on April 2.", "2024-04-02"),
            ("Ballots were counted on 28 February.", "2024-02-28"),
            ("The fair ends on the 9th of March.", "2024-03-09"),
        ],
        counter_examples=["Sales rose in May 5 percent."],
    ),
    _Rule(
        "month_year",
        _compile(rf"{_EDGE_PRE}\b(?P<mon>{_MONTH_ANY}),?\s+(?:of\s+)?(?P<year>{_YEAR4})\b"),
        _r_month_year,
        priority=7,
        head=_MONTH_HEAD,
        examples=[
            ("The mine closed in October 2017.", "2017-10"),
            ("Rates peaked in late March of 2008.", "2008-03"),
        ],
    ),
    _Rule(
        "month_rel",
        _compile(
            _EDGE_PRE
            + _opt(
                r"\b"
                + _ci("(?P<rel>this\\s+past|this\\s+coming|last|next|this|past|coming|previous)")
                + r"\s+"
            )
            + rf"\b(?P<mon>{_MONTH_FULL}|{_MONTH_ABBR})(?!\.?\s+\d)"
            + _opt(r"\s+" + _ci("(?P<rel2>last|next|this)") + r"\s+" + _ci("year"))
            + r"\b"
        ),
        _r_month_rel,
        priority=5,
        head=_MONTH_HEAD,
        examples=[
            ("Prices fell last July.", "2023-07"),
            ("The fleet was sold in January.", "2024-01"),
            ("The survey ran in December last year.", "2023-12"),
        ],
        counter_examples=["April Smith testified.", "Protesters gathered and march on"],
    ),
    _Rule(
        "time",
        _compile(
            _opt(
                r"\b(?:"
                + _opt(_ci("(?P<rel>last|next|this)") + r"\s+")
                + rf"(?P<wd>{_WEEKDAY})|"
                + _ci("(?P<dayword>today|tomorrow|yesterday)")
                + ")"
                + _opt(r",?\s+" + _ci("at|around|about|by|before|after"))
                + r"\s+"
            )
            + rf"(?<![\d.:$])(?<!high )\b(?P<time>{_TIME_OF_DAY}){_TZ}"
            + _opt(
                # "6am on Friday 11 April", "2 p.m. on March 3, 2020": a full date first.
                rf"(?:,?\s+(?:{_ci('on')}\s+)?(?:{_WEEKDAY_ANY},?\s+)?"
                + rf"(?:(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM})"
                + rf"|(?P<day2>{_DAYNUM})\s+(?P<mon2>{_MONTH_ANY}))\b"
                + rf"(?:,?\s+(?P<year>{_YEAR4})\b)?"
                + r"|,?\s+"
                + _opt(_ci("on") + r"\s+")
                + _opt(_ci("(?P<rel2>last|next|this)") + r"\s+")
                + rf"(?P<wd2>{_WEEKDAY})|\s+"
                + _ci("(?P<dayword2>today|tomorrow|yesterday)")
                + ")"
            )
        ),
        lambda m, c: _r_time(
            _Swap(
                m,
                {
                    "wd": "wd2",
                    "rel": "rel2",
                    "dayword": "dayword2",
                    "mon": "mon2",
                    "day": "day2",
                },
            ),
            c,
        ),
        priority=6,
        head=r"(?i:[ap]\.?m\b|\d:\d\d|noon|midnight|midday)",
        examples=[
            ("The ship docked at 6:30 a.m. on Tuesday.", "2024-03-12T06:30"),
            ("The polls close at 8 p.m. today.", "2024-03-13T20:00"),
        ],
        counter_examples=["The score was 3:40 at half time."],
    ),
    _Rule(
        "weekday",
        _compile(
            _opt(r"\b" + _ci("(?P<edge>early|late|mid)") + r"[\s-]+")
            + _opt(
                r"\b"
                + _ci(r"(?P<rel>last|next|this|coming|past|the\s+(?:previous|following|next))")
                + r"\s+"
            )
            + rf"\b(?P<wd>{_WEEKDAY})"
            + _opt(r"\s+" + _ci(rf"(?P<part>{_PART})") + r"\b")
            + _opt(r",?\s+" + _opt(_ci("at|around") + r"\s+") + rf"(?P<time>{_TIME_OF_DAY}){_TZ}")
        ),
        _r_weekday,
        priority=5,
        head=r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",
        examples=[
            ("Protesters marched on Monday.", "2024-03-11"),
            ("The ministry will vote on Thursday.", "2024-03-14"),
            ("The motion could go to a vote as early as Friday.", "2024-03-15"),
            ("The inspectors would not publish their findings until Monday.", "2024-03-18"),
            ("Crews worked through Sunday night.", "2024-03-10TNI"),
        ],
        counter_examples=["Every Monday the market opens."],
    ),
    _Rule(
        "day_word",
        _compile(
            _opt(r"\b" + _ci("(?P<edge>early|late)") + r"\s+")
            + r"\b"
            + _ci(
                r"(?P<word>today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday|"
                r"the\s+day\s+after\s+tomorrow)"
            )
            + r"\b"
            + _opt(r"\s+" + _ci(rf"(?P<part>{_PART})") + r"\b")
            + _opt(r",?\s+" + _opt(_ci("at|around") + r"\s+") + rf"(?P<time>{_TIME_OF_DAY}){_TZ}")
        ),
        _r_day_word,
        priority=5,
        head=r"(?i:today|tonight|yesterday|tomorrow)",
        examples=[
            ("Markets fell yesterday.", "2024-03-12"),
            ("The court rules tomorrow morning.", "2024-03-14TMO"),
        ],
    ),
    _Rule(
        "part_of_day",
        _compile(
            r"\b" + _ci(r"(?P<rel>this|last)\s+(?P<part>morning|afternoon|evening|night)") + r"\b"
        ),
        _r_part_of_day,
        priority=5,
        head=r"(?i:morning|afternoon|evening|night)",
        examples=[
            ("Police closed the road last night.", "2024-03-12TNI"),
            ("The mayor spoke this morning.", "2024-03-13TMO"),
        ],
    ),
    _Rule(
        "the_part",
        _compile(
            r"(?<![Tt]he )\b" + _ci(r"(?:the|that)\s+(?P<part>morning|afternoon|evening)") + r"\b"
        ),
        _r_the_part,
        priority=4,
        sets_anchor=False,
        head=r"(?i:morning|afternoon|evening)",
        examples=[
            ("The mayor spoke on Monday. In the afternoon, she left.", "2024-03-11TAF"),
        ],
        counter_examples=["The morning session ran late."],
    ),
    _Rule(
        "quarter",
        _compile(
            _EDGE_PRE
            + r"\b"
            + _ci(
                r"(?:(?:the|its|their)\s+)?(?:(?P<pre>(?:this|last|next)\s+year['\u2019]s|"
                r"year-ago|year-earlier|prior-year|(?:19|20)\d\d(?:['\u2019]s)?)\s+)?(?:fiscal\s+)?"
                r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|"
                r"comparable)[\s-]+(?:fiscal[\s-]+)?"
                r"(?P<unit>quarter|half)(?!-?\s*(?:of\s+(?:a|the)\s+)?(?:century|mile|point))"
            )
            + _opt(
                r"\s+"
                + _ci(r"of\s+(?:(?:fiscal|the\s+year|calendar)\s+)?")
                + rf"(?:(?P<year>{_YEAR4})|"
                + _ci(r"(?P<rel>this|last|next|the\s+previous)\s+year")
                + ")"
            )
            + r"\b"
        ),
        _r_quarter,
        priority=6,
        head=r"(?i:quarter|half)",
        examples=[
            ("Profit rose in the third quarter.", "2023-Q3"),
            ("Sales fell in the first half of 2021.", "2021-H1"),
        ],
        counter_examples=["She ran the final quarter mile."],
    ),
    _Rule(
        "year_ago_period",
        _compile(
            r"\b"
            + _ci(
                r"(?:the\s+)?(?:(?P<ago>year-ago|year-earlier|prior-year)(?:\s+(?P<unit>quarter|"
                r"period))?|(?P<year>(?:19|20)\d\d)\s+(?P<unit2>quarter|period))"
            )
            + r"\b"
        ),
        lambda m, c: _r_year_ago_period(m, c),
        priority=2,
        head=r"(?i:year-ago|year-earlier|prior-year|period|quarter)",
        examples=[
            ("Sales in the third quarter rose from the year-ago period.", "2022-Q3"),
        ],
    ),
    _Rule(
        "the_quarter",
        _compile(
            r"\b"
            + _ci(r"(?:the\s+(?:latest\s+|same\s+)?|this\s+)(?:quarter|period)")
            + r"\b(?!\s+of|-)"
            + rf"(?=\s+{_ci('ended|ending|through|to')}\s+(?P<mon>{_MONTH_ANY})|)"
        ),
        _r_the_quarter,
        priority=3,
        head=r"(?i:quarter|period)",
        examples=[
            ("Revenue in the quarter ended Sept. 30 rose.", "2023-Q3"),
        ],
        counter_examples=["The same quarter last year was weak."],
    ),
    _Rule(
        "ago",
        _compile(
            r"\b"
            + _opt(_ci(rf"(?P<approx>{_APPROX})") + r"\s+")
            + _opt(_ci(rf"(?P<num>{_NUMBER}|{_VAGUE})"))
            + r"[\s-]*"
            + _ci(rf"(?P<unit>{_UNIT})")
            + r"s?\s+"
            + _opt(_ci(r"or\s+so\s+"))
            + _ci(
                r"(?P<dir>ago|earlier(?!\s+than)|later(?!\s+than)|afterwards?|from\s+now|hence"
                r"|(?:before|after)(?=\s*(?:[.,;:)]|$|and\b|but\b)))"
            )
            + r"\b"
        ),
        _r_ago,
        priority=7,
        head=_UNIT_HEAD
        + r"(?i:[a-z]*\s+(?:or\s+so\s+)?(?:ago|earlier|later|before|after|from\s+now|hence))",
        examples=[
            ("The dam burst three years ago.", "2021"),
            ("The firm was fined two weeks ago.", "2024-W09"),
        ],
        counter_examples=["It is three years older than that."],
    ),
    _Rule(
        "rel_unit",
        _compile(
            _opt(r"\b" + _ci(rf"(?P<edge>{_EDGE}|earlier|later)") + r"\s+")
            + r"\b"
            + _ci(
                r"(?P<rel>last|this|next|past|coming|previous|the\s+current|the\s+coming)\s+"
                r"(?P<unit>week|weekend|month|year|quarter|decade|century)"
            )
            + r"\b(?![\s-]+(?:old|long)\b)"
        ),
        _r_rel_unit,
        priority=5,
        head=r"(?i:week|month|year|quarter|decade|century)",
        examples=[
            ("Exports fell last month.", "2024-02"),
            ("Talks resume next week.", "2024-W12"),
            ("The plant closes this year.", "2024"),
        ],
        counter_examples=["The last month-long strike ended."],
    ),
    _Rule(
        "anaphor",
        _compile(
            r"\b"
            + _ci(
                r"(?P<rel>that\s+same|that|the\s+same|the\s+following|the\s+next|the\s+previous|"
                r"the\s+preceding|the\s+prior)\s+(?P<unit>day|week|weekend|month|year|"
                r"morning|afternoon|evening|night)"
            )
            + r"\b"
        ),
        _r_anaphor,
        priority=5,
        head=r"(?i:day|week|month|year|morning|afternoon|evening|night)",
        examples=[
            ("The strike began on May 2, 2019. The following week, talks resumed.", "2019-W19"),
        ],
        counter_examples=["They planned the next day trip."],
    ),
    _Rule(
        "day_before_after",
        _compile(r"\b" + _ci(r"the\s+day\s+(?P<dir>before|after)") + r"\b(?=\s*[.,;:)]|\s*$)"),
        _r_day_before_after,
        priority=4,
        head=r"(?i:day\s+(?:before|after))",
        examples=[
            ("Officials met on June 5, 2022, and again the day after.", "2022-06-06"),
        ],
        counter_examples=["The day after the vote was quiet."],
    ),
    _Rule(
        "decade",
        _compile(
            _EDGE_PRE
            + _opt(_ci(r"the\s+"))
            + r"(?:(?P<full>(?:1[89]|20)[0-9]0)'?s|'(?P<short>[0-9]0)s)\b"
        ),
        _r_decade,
        priority=6,
        head=r"0'?s\b",
        examples=[
            ("Rents doubled in the 1990s.", "199"),
            ("Prices soared in the late '70s.", "197"),
        ],
    ),
    _Rule(
        "season",
        _compile(
            _EDGE_PRE
            + r"(?:\b"
            + _ci(
                r"(?P<rel>last|next|this|past|coming)\s+(?P<season>spring|summer|autumn|fall|winter)"
            )
            + r"\b|\b"
            + _opt(_ci(r"(?P<det>the|this)\s+"))
            + _ci(r"(?P<season2>spring|summer|autumn|winter)")
            + r"\b|\b"
            + _ci(r"(?P<season3>spring|summer|autumn|fall|winter)(?:\s+of)?")
            + r"\s+(?=(?:19|20)\d\d\b))"
            + _opt(r"(?:\s+" + _ci("of") + rf")?\s*(?P<year>{_YEAR4})\b")
        ),
        lambda m, c: _r_season(_Swap(m, {"season": ("season2", "season3")}), c),
        priority=5,
        head=r"(?i:spring|summer|autumn|fall|winter)",
        examples=[
            ("Work starts in spring 2025.", "2025-SP"),
            ("The dam was finished last summer.", "2023-SU"),
        ],
        counter_examples=["The hot spring drew visitors."],
    ),
    _Rule(
        "weekend",
        _compile(
            r"\b"
            + _ci(r"(?P<rel>the|this|last|next|that|the\s+following|the\s+previous)\s+weekend")
            + r"\b"
        ),
        lambda m, c: _r_weekend(m, c),
        priority=4,
        head=r"(?i:weekend)",
        examples=[
            ("Crowds gathered over the weekend.", "2024-W10-WE"),
        ],
    ),
    _Rule(
        "unit_edge",
        _compile(
            r"\b"
            + _ci(
                r"(?:(?P<approx>around|about)\s+)?"
                r"(?:the\s+)?(?P<edge>end|close|beginning|start|middle|turn)\s+of\s+"
                r"(?:the|this)\s+(?:(?:current|fiscal|calendar)\s+)?(?P<unit>year|month|week|"
                r"quarter|decade|century)"
                r"|(?P<unit2>year)(?:-|\s+|['\u2019]s\s+)(?P<edge2>end)"
            )
            + r"\b"
        ),
        lambda m, c: _r_unit_edge(_Swap(m, {"unit": "unit2", "edge": "edge2"}), c),
        priority=6,
        head=r"(?i:end|close|beginning|start|middle|turn)",
        examples=[
            ("Output should recover by the end of the year.", "2024"),
            ("The fund closes at year-end.", "2024"),
        ],
    ),
    _Rule(
        "the_year",
        _compile(
            r"\b"
            + _ci(
                r"the\s+(?P<which>current|full|latest|past|previous|last|coming|next)?\s*"
                r"(?:(?P<fiscal>fiscal|calendar)\s+)?year"
            )
            + r"\b(?<!the year)(?<!the past year)(?<!the last year)(?<!the next year)"
            + r"(?<!the coming year)(?!\s+(?:ago|earlier|before|after|later)\b)"
        ),
        lambda m, c: _r_the_year(m, c),
        priority=4,
        head=r"(?i:year)",
        examples=[
            ("Profit for the current fiscal year will fall.", "2024"),
        ],
        counter_examples=["The year was hard."],
    ),
    _Rule(
        "spelled_year",
        _compile(
            r"\b"
            + _ci(
                r"(?:the\s+year\s+)?(?:nineteen(?:\s+hundred)?(?:\s+and)?\s+"
                r"(?P<tens>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
                r"eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                r"(?:[\s-](?P<ones>one|two|three|four|five|six|seven|eight|nine))?"
                r"|two\s+thousand(?:\s+and)?(?:[\s-](?P<ones2>one|two|three|four|five|six|"
                r"seven|eight|nine|ten))?)"
            )
            + r"\b(?!\s+(?:people|men|women|dollars|troops|\w+s)\b)"
        ),
        lambda m, c: _r_spelled_year(m, c),
        priority=5,
        head=r"(?i:nineteen|thousand)",
        examples=[
            ("In nineteen ninety-six the mill closed.", "1996"),
        ],
        counter_examples=["Nineteen thirty troops landed."],
    ),
    _Rule(
        "decade_words",
        _compile(
            r"\b"
            + _ci(
                r"the\s+(?P<dec>twenties|thirties|forties|fifties|sixties|seventies|eighties|"
                r"nineties)"
            )
            + r"\b"
        ),
        lambda m, c: _r_decade_words(m, c),
        priority=4,
        head=r"(?i:ties\b)",
        examples=[
            ("Jazz thrived in the twenties.", "192"),
        ],
    ),
    _Rule(
        "century",
        _compile(
            _EDGE_PRE
            + _opt(_ci(r"the\s+"))
            + r"(?P<n>[1-2]?\d)(?:st|nd|rd|th)[\s-]+"
            + _ci(r"century")
            + r"\b"
        ),
        lambda m, c: (
            _Resolved(f"{int(m['n']) - 1:02d}", modifier=_edge_modifier(m["edge"]), anchor=None)
            if 0 < int(m["n"]) <= 21
            else None
        ),
        priority=6,
        head=r"(?i:century)",
        examples=[
            ("The church was built in the 18th century.", "17"),
        ],
    ),
    _Rule(
        "in_the_unit",
        _compile(
            r"\b" + _ci(r"(?P<edge>earlier|later)\s+in\s+the\s+(?P<unit>year|month|week)") + r"\b"
        ),
        lambda m, c: (
            _Resolved(_unit_value(m["unit"].lower(), 0, c.dct), modifier=_edge_modifier(m["edge"]))
            if c.dct is not None
            else None
        ),
        priority=6,
        head=r"(?i:in\s+the)",
        examples=[
            ("Earlier in the year, rates rose.", "2024"),
        ],
    ),
    _Rule(
        "quarter_code",
        # "Q3 2019", "2019 Q3", "Q3 of FY2019", "FY2019", "FY 2019"
        _compile(
            rf"\b(?:Q(?P<q>[1-4])\s*(?:of\s+)?(?:FY\s?)?(?P<year>{_YEAR4})"
            rf"|(?P<year2>{_YEAR4})\s*Q(?P<q2>[1-4])|FY\s?(?P<fy>{_YEAR4})"
            rf"|(?:H(?P<h>[12])|(?P<h2>[12])H)\s*(?P<hyear>{_YEAR4}))\b"
        ),
        lambda m, c: _r_quarter_code(
            _Swap(m, {"year": ("year2", "fy", "hyear"), "q": "q2", "h": "h2"}), c
        ),
        priority=7,
        head=r"Q[1-4]|FY|H[12]|[12]H",
        examples=[
            ("Q3 2022 results beat forecasts.", "2022-Q3"),
            ("FY2021 revenue fell.", "2021"),
        ],
    ),
    _Rule(
        "week_of",
        _compile(
            r"\b"
            + _ci(r"the\s+week\s+of")
            + rf"\s+(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM})\b"
            + _opt(rf",?\s+(?P<year>{_YEAR4})\b")
        ),
        lambda m, c: _r_week_of(m, c),
        priority=8,
        head=r"(?i:week\s+of)",
        examples=[
            ("Hearings are set for the week of April 8.", "2024-W15"),
        ],
    ),
    _Rule(
        "weekly_set",
        _compile(
            r"\b(?:[Ee]very|[Ee]ach)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|"
            r"Saturday|Sunday)s?\b"
        ),
        lambda m, c: _Resolved(
            f"XXXX-WXX-{_WEEKDAYS[m['wd'].lower()] + 1}", "SET", anchor=None, kind="duration"
        ),
        priority=8,
        sets_anchor=False,
        head=r"(?:very|ach)\s+[MTWFS]",
        examples=[
            ("The market opens every Tuesday.", "XXXX-WXX-2"),
        ],
    ),
    _Rule(
        "year",
        _compile(
            rf"(?:{_EDGE_REQ}|(?<![\w$.,/-]))"
            + _opt(_ci(r"(?P<fiscal>fiscal|calendar|the\s+year|model\s+year)") + r"\s+")
            + rf"(?P<year>{_YEAR4})\b(?![.,/:-]?\d|\s*(?:%|percent|per\s*cent))"
        ),
        _r_year,
        priority=4,
        head=r"(?:1[6-9]|20)\d\d",
        examples=[
            ("The bridge opened in 1987.", "1987"),
            ("Its 2015 report was withdrawn.", "2015"),
        ],
        counter_examples=["About 2000 people marched.", "The index rose 3.5 to 1995."],
    ),
    _Rule(
        "ref",
        _compile(
            r"\b"
            + _ci(
                r"(?P<word>right\s+now|now|currently|at\s+present|presently|nowadays|"
                rf"these\s+days|recently|lately|in\s+the\s+past(?!\s+(?:\w+\s+)?{_UNIT}s?\b)|"
                r"recent\s+years|the\s+future|in\s+future|(?<!as\s)soon(?!\s+after))"
            )
            + r"\b"
        ),
        _r_ref,
        priority=2,
        sets_anchor=False,
        head=r"(?i:now|currently|present|days|recent|lately|past|future|soon)",
        examples=[
            ("Prices are high now.", "PRESENT_REF"),
            ("Costs rose recently.", "PAST_REF"),
        ],
    ),
    _Rule(
        "day_of_month",
        _compile(
            # "on the 12th", "as of the 28th", "the afternoon of the 12th" (Korean wire style);
            # not "the 2nd floor".
            r"(?:(?:(?<=\b[Oo]n )|(?<=\bas of )|(?<=\b[Ss]ince )|(?<=\b[Ff]rom )|(?<=\b[Uu]ntil )"
            r"|(?<=\bby )|(?<=\bmorning of )|(?<=\bafternoon of )|(?<=\bevening of )"
            r"|(?<=\bnight of ))"
            + _ci("the")
            + rf"\s+(?P<day>{_DAYNUM})\b(?!\s+(?:of\s+)?{_MONTH_ANY})"
            + r"(?![ \t-]+(?:floor|round|place|time|times|anniversary|century|grade|amendment|"
            + r"edition|session|term|day|week|month|year|straight|consecutive|largest|biggest|"
            + r"most|least|annual|generation|division|district|street|avenue|army|fleet|"
            + r"plenary|plenum|party|congress|meeting|game|inning|hole|lap|stage|match|"
            + r"highest|lowest|best|worst|quarter|half|overall|seed|percentile)\b)"
            + _opt(r"\s+" + _ci(r"(?:of\s+)?(?P<rel>this|last|next)\s+month"))
            + r"|\b"
            + _ci("the")
            + rf"\s+(?P<day2>{_DAYNUM})\s+"
            + _ci(r"(?:of\s+)?(?P<rel2>this|last|next)\s+month")
            + r"\b|\b"
            + _ci(r"(?P<rel3>this|last|next)\s+month")
            + rf"\s+(?P<day3>{_DAYNUM})\b)"
        ),
        lambda m, c: _r_day_of_month(
            _Swap(m, {"day": ("day2", "day3"), "rel": ("rel2", "rel3")}), c
        ),
        priority=6,
        head=r"\d(?:st|nd|rd|th)\b",
        examples=[
            ("Fees rise on the 28th.", "2024-03-28"),
        ],
        counter_examples=["Her office is on the 2nd floor."],
    ),
    _Rule(
        "holiday",
        _compile(
            r"\b(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|"
            r"Independence\s+Day|Halloween|Valentine's\s+Day|Thanksgiving(?:\s+Day)?|"
            r"Election\s+Day|Easter(?:\s+(?:Sunday|Monday|week))?|Good\s+Friday|"
            r"Fourth\s+of\s+July)" + _opt(rf",?\s+(?P<year>{_YEAR4})") + r"\b"
        ),
        _r_holiday,
        priority=5,
        head=r"Christmas|Year's|Independence|Halloween|Valentine|Thanksgiving|Election|Easter|"
        r"Good|Fourth",
        examples=[
            ("Easter 2025 falls in April.", "2025-04-20"),
            ("The talks ended on Christmas Eve, 2019.", "2019-12-24"),
        ],
    ),
    _Rule(
        "duration",
        _compile(
            r"\b"
            + _opt(_ci(rf"(?P<approx>{_APPROX})") + r"\s+")
            + _opt(_ci(r"the\s+"))
            + _opt(
                _ci(
                    r"(?:past|last|next|first|coming|previous|final|following|preceding|"
                    r"latest|recent|another|an\s+additional|a\s+further|further|additional)"
                )
                + r"\s+"
            )
            + _opt(
                "(?:"
                + _ci(rf"(?P<vague>{_VAGUE})")
                + r"\s+|"
                # "three to five days", "two or three weeks", "10-12 years": a range.
                + _opt(
                    _ci(rf"(?P<lo>(?!an?\b){_NUMBER})")
                    + r"(?:\s*[-\u2013]\s*|\s+"
                    + _ci("(?:to|or)")
                    + r"\s+)"
                )
                + _ci(rf"(?P<num>{_NUMBER})")
                + r"[\s-]+"
                # "two business days", "three straight weeks"
                + _opt(
                    _ci(r"(?:business|working|calendar|trading|school|full|straight|consecutive)")
                    + r"\s+"
                )
                + ")"
            )
            + _ci(rf"(?P<unit>{_UNIT})")
            + r"(?P<plural>s)?(?:-long)?\b"
            + r"(?![\s-]+(?:old|ago|earlier|later|from\s+now)\b)"
        ),
        _r_duration,
        priority=3,
        sets_anchor=False,
        head=_UNIT_HEAD,
        examples=[
            ("The trial lasted three weeks.", "P3W"),
            ("Repairs take about two and a half years.", "P2Y6M"),
        ],
        counter_examples=["They billed kilowatt-hours."],
    ),
    _Rule(
        "unit_old",
        # "a decade-old promise", "a century-old bridge": one unit's length as an adjective
        # (not the age "52-year-old", whose number the duration rule leaves alone).
        _compile(r"(?<![-\w])" + _ci(r"(?P<unit>decade|century|year|month|week)") + r"-old\b"),
        lambda m, c: _Resolved(
            _duration_value(1, m["unit"]), "DURATION", anchor=None, kind="duration"
        ),
        priority=3,
        sets_anchor=False,
        head=r"(?i:-old\b)",
        examples=[
            ("It ended a decade-old dispute.", "P10Y"),
        ],
        counter_examples=["A 52-year-old driver was hurt."],
    ),
    _Rule(
        "set",
        _compile(
            # Lower case only: "Daily", "Weekly" in names are newspapers and magazines.
            r"\b(?P<word>daily|weekly|monthly|annually|yearly|hourly|nightly|quarterly|"
            r"(?:[Ee]very|[Ee]ach|per|a)\s+(?:day|week|month|year|hour|night|quarter))\b"
        ),
        _r_set,
        priority=1,
        sets_anchor=False,
        head=r"(?i:(?:dai|week|month|annual|year|hour|night|quarter)ly"
        r"|(?:every|each|per|\ba)\s+(?:day|week|month|year|hour|night|quarter))",
        examples=[
            ("Trains run hourly.", "PT1H"),
            ("The plant makes 400 cars a day.", "P1D"),
        ],
        counter_examples=["The daily newspaper closed."],
    ),
]


def rules() -> list[tuple[str, Sequence[tuple[str, str]], Sequence[str]]]:
    """Each rule's name, examples and counter-examples, in the grammar's order."""
    return [(r.name, r.examples, r.counter_examples) for r in _RULES]


_REACH = 60  # characters a match may extend before or after its head word


def _rule_matches(rule: _Rule, text: str) -> list[re.Match[str]]:
    head = rule.head_pattern
    if head is None:
        return list(rule.pattern.finditer(text))
    found: list[re.Match[str]] = []
    lo = hi = -1
    n = len(text)
    for h in head.finditer(text):
        s, e = max(0, h.start() - _REACH), min(n, h.end() + _REACH)
        if s <= hi:
            hi = e
            continue
        if hi >= 0:
            found.extend(rule.pattern.finditer(text, lo, hi))
        lo, hi = s, e
    if hi >= 0:
        found.extend(rule.pattern.finditer(text, lo, hi))
    return found


class _Swap:
    """A match where optional alternative groups ("mon2") stand in for the main ones."""

    def __init__(self, m: re.Match[str], alts: dict[str, str | tuple[str, ...]]) -> None:
        self._m = m
        self._alts = {k: (v,) if isinstance(v, str) else v for k, v in alts.items()}

    def __getitem__(self, key: str) -> str | None:
        value: str | None = self._m.group(key) if key in self._m.re.groupindex else None
        if value is None and key in self._alts:
            for alt in self._alts[key]:
                value = self._m.group(alt)
                if value is not None:
                    break
        return value

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end()


# ---------------------------------------------------------------------------------------------
# Filters for words that only look like dates

# Words before "May"/"March" that make it the month ("in May", "from March"); weaker ones
# ("and", "to") leave room for the verb ("protesters gathered and march on").
_MAY_MARCH_CONTEXT = re.compile(
    r"(?i:\b(?:in|of|since|until|till|by|from|through|during|before|after|early|mid|late|"
    r"last|next|this|end|beginning|middle|between)[\s-]*)$"
)
_MAY_MARCH_WEAK = re.compile(r"(?i:\b(?:and|to|or|on)\s*)$")
_NAME_AFTER = re.compile(r"\s+(?:[A-Z][a-z]+|[A-Z]\.)")
# A counted amount just before "a year" ("125,000 cars a year", "$5 a day", "3% a month"),
# unless a preposition intervenes ("in 2019 for a year").
_RATE_BEFORE = re.compile(
    r"(?i)(?:\d[\d,.]*\s*(?:%|percent|million|billion|thousand|bn|m|k)?|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|"
    r"hundred|dozen|hundreds|thousands|millions|billions))"
    r"(?:[\s-]+(?!(?:for|in|within|over|than|after|before|about|nearly|almost|of|by|from|to|"
    r"and|or|at|on|last|past|next|spent|took|takes|lasted)\b)[a-z]+"
    # "1.6 million barrels of crude a day", "900 million tonnes of iron ore a year".
    r"|\s+of\s+[a-z]+){0,3}\s+$"
)
_FRACTION_BEFORE = re.compile(
    r"(?i)\b(?:by|about|around|nearly|almost|roughly|some|than|over|under|only|just|"
    r"more|less|up|down|cut|fell|rose|dropped|gained|lost)\s+$"
)
_UNIT_DURATION_BAD = re.compile(r"(?i)^(?:day|night|second|minute|hour|week|month|year)s?$")


# Words that make "hours", "days" a time of day or a unit rather than a length of time.
_TIME_OF_DAY_MODIFIERS = _words(
    "peak working business office opening trading rush school daylight waking visiting "
    "overtime man person kilowatt megawatt gigawatt terawatt watt ampere light"
)
# Nouns that follow "day", "night", "morning" in compounds ("night trains", "day care").
_COMPOUND_HEADS = _words(
    "train trains shift shifts flight flights service services bus buses trip trips job jobs "
    "care club clubs life market markets session sessions show shows news worker workers staff "
    "ticket tickets pass passes school schools sky skies curfew raid raids watch duty trader "
    "traders trading rate rates nurse nurses porter porters sleeper sleepers ferry ferries "
    "crew crews patrol patrols class classes visit visits"
)


_FUNCTION_WORDS = frozenset(
    [
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "since",
        "until",
        "as",
        "with",
        "than",
        "the",
        "a",
        "an",
        "this",
        "that",
        "it",
    ]
)


def _may_march_is_month(mon: str, before: str, after: str) -> bool:
    if _MAY_MARCH_CONTEXT.search(before):
        return True
    if re.search(r"\b[Tt]he\s+$", before):
        # "the March accession", "the May elections"; not "The march on Washington".
        return bool(re.match(r"\s+[a-z]{3,}", after))
    if not _MAY_MARCH_WEAK.search(before):
        return False
    if mon == "March" and re.match(r"\s+(?:on|forward|ahead|past|through|into|to|in)\b", after):
        return False
    return not re.match(r"\s+(?:be|have|not|also|well|still|need|take)\b", after)


def _plausible(rule: str, m: re.Match[str], text: str) -> bool:
    """Reject matches that are words of another kind ("may", "march on", "2000 people")."""
    start, end = m.start(), m.end()
    if rule == "month_rel":
        mon = m.group("mon")
        has_rel = bool(m.group("rel") or m.group("rel2") or m.group("edge"))
        if len(mon.rstrip(".")) <= 4 and mon not in ("May", "June", "July"):
            # An abbreviation ("Jan", "Dec.") alone is too ambiguous without "last" etc.
            return has_rel
        if (
            mon in ("May", "March")
            and not has_rel
            and not _may_march_is_month(mon, text[max(0, start - 20) : start], text[end : end + 12])
        ):
            return False
        # "April Smith", "June Carter": a first name, not a month.
        return (
            has_rel
            or mon not in ("April", "June", "August", "May")
            or not (_NAME_AFTER.match(text, end))
        )
    if rule == "season" and m.group("season2"):
        # "in spring", "the summer", "early winter"; not "Spring of Life" or "hot spring".
        return bool(
            m.group("det")
            or m.group("edge")
            or re.search(
                r"(?i)\b(?:in|during|by|until|since|through|over|of)\s+$",
                text[max(0, start - 10) : start],
            )
        )
    if rule == "iso_date":
        # "2019.07.04" is a date; "version 2019.1.2" is not.
        if m.group("sep") == "." and (len(m.group("mo")) < 2 or len(m.group("d")) < 2):
            return False
        return not re.search(
            r"(?i)\b(?:version|ver\.?|v|release|build)\s*$", text[max(0, start - 10) : start]
        )
    if rule == "year":
        if m.group("edge") or m.group("fiscal"):
            return True
        after = text[end : end + 25]
        before = text[max(0, start - 25) : start]
        if re.search(
            r"(?i)\b(?:the|a|an|its|his|her|their|our|this|that)\s+$|['\u2019]s\s+$", before
        ):
            # "the 1996 Olympic bombing", "Kopp's 1987 Chevrolet": a year used as a modifier.
            return True
        if re.search(
            r"(?i)\b(?:in|since|by|until|till|from|before|after|during|through|between|of|for)\s+$",
            before,
        ) and not re.match(
            r"\s*(?:%|percent|[a-z]+s\b|people|men|women|children|staff|personnel|yen|won)", after
        ):
            # "since 1990 there has been", "in 1990 will rise": a year after its preposition.
            return True
        # "2000 people", "1,500 workers" - a count, not a year.
        if re.match(
            r"\s+(?!(?:and|to|or|through|as|when|in|on|at|for|from|with|by|the|a|"
            r"but|that|which|was|were|is|are|had|has|after|before|until|while|"
            r"because|than|if|into|season|election|elections|budget|levels?|"
            r"figures?|census|campaign|model|models|fiscal|calendar|average|"
            r"compared|versus|vs|against|high|low|peak|since|during|over|under)\b)"
            r"[a-z]",
            after,
        ):
            return False
        if re.search(
            r"(?:\$|US\$|No\.|#|\u00a9|\([Cc]\)|[Cc]opyright|number|Route|page|pages|Article|Section|"
            r"flight|Flight|Room|Suite|Gate|Highway|Channel|Chapter|Rule|Resolution|rose|fell|"
            r"gained|lost|up|down|to|at|of)\s*$",
            before,
        ):
            # "rose 3.5 to 1990", "Flight 2019": not years unless the context says so.
            prices = re.search(
                r"(?:rose|fell|gained|lost|up|down|closed|climbed|dropped)\s+[\d.,]+\s+to\s*$"
                r"|\bat\s*$",
                before,
            )
            return bool(re.search(r"\b(?:to|at|of)\s*$", before)) and not prices
        return True
    if rule == "duration":
        if _UNIT_DURATION_BAD.match(m.group(0)) and not m.group("plural"):
            return False
        if not (m.group("num") or m.group("vague") or m.group("plural")):
            return False
        if m.group("num") and not m.group("vague"):
            num = m.group("num").lower()
            # "a day" after "per"/"times" or after a counted noun ("125,000 cars a year",
            # "$5 a day") is a rate (a set), not a duration.
            if num in ("a", "an") and (
                re.search(r"(?i)\b(?:times|once|twice|per)\s*$", text[max(0, start - 10) : start])
                or _RATE_BEFORE.search(text[max(0, start - 60) : start])
            ):
                return False
            if num in ("a", "an") and re.search(
                r"(?i)\b(?:working|business|school|trading)\s+$", text[start : m.start("unit")]
            ):
                return False  # "a working week of 35 hours": the notion, not a length
            if (
                num in ("a", "an", "one")
                and m.group("unit").lower() == "second"
                and not m.group("plural")
                and (word_after := re.match(r"[ \t]+([a-z]+)", text[end : end + 20]))
                and word_after.group(1) not in _FUNCTION_WORDS
            ):
                return False  # "a second supplier", "a second term": an ordinal
        elif not m.group("vague"):
            # A bare plural: "for hours", "in recent months"; not "kilowatt-hours" or
            # "off-peak hours", where a modifier makes it a unit or a time of day.
            unit_start = m.start("unit")
            if text[unit_start - 1 : unit_start] == "-":
                return False
            modifier = re.search(r"([A-Za-z-]+)\s+$", text[max(0, unit_start - 25) : unit_start])
            if modifier and modifier.group(1).lower().split("-")[-1] in _TIME_OF_DAY_MODIFIERS:
                return False
        return True
    if rule == "anaphor":
        # "that night trains", "the next day trip": the noun is the head of a compound.
        follow = re.match(r"[ \t]+([a-z]+)", text[end : end + 20])
        return not (follow and follow.group(1) in _COMPOUND_HEADS)
    if rule == "the_quarter" and m.group(0).lower().startswith("the same"):
        # "the same period last year": the comparison lies in "last year", tagged on its own.
        return not re.match(
            r"(?i)\s+(?:(?:of\s+)?(?:last|the\s+previous|the\s+prior)\s+year|a\s+year\s+"
            r"(?:earlier|ago|before))\b",
            text[end : end + 30],
        )
    if rule == "the_part":
        # "the morning session", "that evening's vote" are other things; "of the morning".
        follow = re.match(r"(?:\s+([a-z]+)|'s|\u2019s)", text[end : end + 20])
        if follow and (follow.group(1) is None or follow.group(1) not in _FUNCTION_WORDS):
            return False
        # "of the morning", "all evening", "4 in the morning" (a clock time).
        return not re.search(
            r"(?i)(?:\b(?:of|all)|(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
            r"eleven|twelve|o'clock))\s+in)\s*$",
            text[max(0, start - 20) : start],
        )
    if rule == "set":
        word = m.group("word").lower()
        if word.startswith("a ") and (
            _FRACTION_BEFORE.search(text[max(0, start - 20) : start])
            or re.match(r"\s*(?:of\b|-)", text[end : end + 5])
        ):
            return False  # "fell by a quarter", "a quarter of the staff": a fraction
        if word.endswith("ly"):
            # "a quarterly dividend", "daily life": an adjective before its noun.
            follow = re.match(r"\s+([a-z]+)", text[end : end + 20])
            if follow and follow.group(1) not in _FUNCTION_WORDS:
                return False
        return True
    return True


# ---------------------------------------------------------------------------------------------
# Entry points


def _overlaps_any(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in ranges)


def tag_dates(
    text: str,
    dct: dt.date | None,
    *,
    skip: Sequence[tuple[int, int]] = (),
    sets: bool = False,
    doc: Any = None,
) -> list[Mention]:
    """Every date, time and duration expression in ``text``, normalised against ``dct``.

    ``skip`` lists character ranges (web-page debris) in which nothing is tagged. Mentions are
    sorted by start and never overlap; ``text[m.start:m.end] == m.text``.

    Frequencies ("a day" in "$5 a day", "daily", "every Monday": TimeML SETs) are recognised
    so that they are not read as lengths of time, but are returned only with ``sets=True``
    (kind ``duration``, ``attrs['type'] == 'SET'``): a rate is neither a date nor a duration.

    ``doc``, the text parsed by spaCy when the caller has it, lets a weekday take the tense of
    the verb it hangs from ("could be called as early as Friday" is ahead, "voted on Friday"
    behind); without it, the words around the expression decide.
    """
    return _resolve_all(text, _find_expressions(text, skip), dct, skip=skip, sets=sets, doc=doc)


_Chosen = list[tuple[int, int, _Rule, re.Match[str]]]


def tag_dates_inferring(
    text: str,
    published: dt.date | None,
    *,
    skip: Sequence[tuple[int, int]] = (),
    url: str | None = None,
    reference: dt.date | None = None,
    doc: Any = None,
) -> tuple[list[Mention], tuple[dt.date, str] | None]:
    """``tag_dates`` for a document whose publication date may be missing: without one, it is
    inferred (``infer_publication_date``, from the text, ``url`` and the day the document
    came in, ``reference``) and the text's dates are resolved against it. Returns the
    mentions and the inferred date with its evidence (None when given or not found). The text
    is searched once for both."""
    chosen = _find_expressions(text, skip)
    inferred = None
    if published is None:
        inferred = infer_publication_date(
            text, skip=skip, url=url, reference=reference, expressions=chosen
        )
        if inferred is not None:
            published = inferred[0]
    return _resolve_all(text, chosen, published, skip=skip, doc=doc), inferred


def _find_expressions(text: str, skip: Sequence[tuple[int, int]] = ()) -> _Chosen:
    """The expressions of ``text`` (extent and rule), before any is resolved: what is found
    does not depend on the publication date, so one search serves both the inference of a
    missing publication date and the resolution against it."""
    candidates: list[tuple[int, int, int, int, _Rule, re.Match[str]]] = []
    for order, rule in enumerate(_RULES):
        for m in _rule_matches(rule, text):
            s, e = m.span()
            # Trim whitespace a pattern may have taken at its edges.
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if rule.name == "duration" and _over_as_preposition(text, m):
                # "losses of £105 million over three years": "over" says when, not how long.
                s = m.end("approx")
                while s < e and text[s].isspace():
                    s += 1
            if s >= e:
                continue
            if skip and _overlaps_any(s, e, skip):
                continue
            if not _plausible(rule.name, m, text):
                continue
            candidates.append((s, e, rule.priority, order, rule, m))
    # Longest first, then the more specific rule; keep what does not overlap what is kept.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[3]))
    # What is kept never overlaps, so by start it is also by end: only the last kept
    # expression starting before ``e`` can reach past ``s`` (found by bisection; a long
    # document has thousands).
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    chosen: _Chosen = []
    for s, e, _prio, _order, rule, m in candidates:
        k = bisect.bisect_left(taken_starts, e)
        if k and taken_ends[k - 1] > s:
            continue
        taken_starts.insert(k, s)
        taken_ends.insert(k, e)
        chosen.append((s, e, rule, m))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _resolve_all(
    text: str,
    chosen: _Chosen,
    dct: dt.date | None,
    *,
    skip: Sequence[tuple[int, int]] = (),
    sets: bool = False,
    doc: Any = None,
) -> list[Mention]:
    """The mentions of the expressions ``_find_expressions`` found, valued against ``dct``."""
    if isinstance(dct, dt.datetime):
        dct = dct.date()  # values are built from the calendar day
    ctx = _Context(text=text, dct=dct, doc=doc)
    mentions: list[Mention] = []
    for s, e, rule, m in chosen:
        try:
            resolved = rule.resolve(m, ctx)
        except (ValueError, KeyError, OverflowError):
            resolved = None
        if resolved is None or (resolved.type == "SET" and not sets):
            continue
        value = resolved.value
        if (
            rule.sets_anchor
            and resolved.sets_anchor
            and resolved.kind == "date"
            and re.match(r"\d{4}", value)
        ):
            ctx.anchor = value
            ctx.anchor_pos = s
            if re.fullmatch(r"\d{4}-Q[1-4]", value) and _quarter_begun(value, dct):
                # Reports speak of quarters that have begun; a forecast for a later one
                # ("the third quarter of 1990") is not the quarter in play.
                ctx.quarter_anchor = value
                ctx.quarter_pos = s
        mentions.append(
            Mention(
                kind=resolved.kind,
                start=s,
                end=e,
                text=text[s:e],
                value=value,
                modifier=resolved.modifier,
                provenance=PROVENANCE,
                attrs={
                    "type": resolved.type,
                    "anchor": resolved.anchor,
                    "rule": rule.name,
                    **({"quant": resolved.quant} if resolved.quant else {}),
                },
            )
        )
        if rule.name == "month_day" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            second = _second_day(text, e, value, [c[:2] for c in chosen], skip)
            if second is not None:
                mentions.append(second)
    return mentions


_AND_DAY = re.compile(
    r"(?:\s+(?:and|or|to|through)\s+|\s*[-\u2013]\s*)(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
    r"(?![.,:]?\d|\s*(?:%|percent|per\s*cent))"
    r"(?!\s+(?!(?:and|to|in|at|on|of|for|the|when|while|that|this|after|before)\b)[a-z])"
)


def _second_day(
    text: str,
    end: int,
    value: str,
    taken: Sequence[tuple[int, int]],
    skip: Sequence[tuple[int, int]],
) -> Mention | None:
    """The second day of "April 24 and 25", in the month of the first."""
    m = _AND_DAY.match(text, end)
    if not m:
        return None
    s, e = m.span("day")
    if _overlaps_any(s, e, taken) or (skip and _overlaps_any(s, e, skip)):
        return None
    day = int(m["day"])
    year, month, first = (int(x) for x in value.split("-"))
    if day <= first or not _valid_day(year, month, day):
        return None
    return Mention(
        kind="date",
        start=s,
        end=e,
        text=text[s:e],
        value=f"{year:04d}-{month:02d}-{day:02d}",
        provenance=PROVENANCE,
        attrs={"type": "DATE", "anchor": "previous", "rule": "month_day_and"},
    )


_WEEKDAY_IN_TEXT = re.compile(
    r"\b(?P<verb>said|announced|told|reported|says)\s+(?:on\s+)?(?P<wd>" + _WEEKDAY + r")\b"
    r"|\b(?P<wd2>" + _WEEKDAY + r")\b,?\s+(?:that\s+)?(?:\w+\s+){0,3}?(?P<verb2>said|announced)\b"
)
# A date in a source address: /2019/07/04/, /2019-07-04-, /20190704/ (news sites put the day
# of publication in the path).
_URL_DATE = re.compile(
    r"(?:^|[/_.-])(?P<y>(?:19|20)\d{2})(?:/(?P<m1>[01]?\d)/(?P<d1>[0-3]?\d)"
    r"|-(?P<m2>[01]\d)-(?P<d2>[0-3]\d)|(?P<m3>[01]\d)(?P<d3>[0-3]\d))(?=$|[/_.?#-])"
)
# A weekday with a month-day in brackets, either way round: "on Friday (Feb. 1)",
# "Feb. 1 (Friday)". ("Friday, Feb. 1" is the weekday_date rule's.)
_BRACKETED_PAIR = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY})\s*\(\s*(?P<mon>{_MONTH_ANY})\s+(?P<day>{_DAYNUM})\s*\)"
    rf"|(?P<mon2>{_MONTH_ANY})\s+(?P<day2>{_DAYNUM})\s*\(\s*(?P<wd2>{_WEEKDAY})\s*\))"
)
# A weekday falls on the same date again after 5, 6 or 11 years: a year named in the text
# bounds the search from below, the day the document reached the case from above.
WEEKDAY_YEARS = 11


def url_date(url: str | None) -> dt.date | None:
    """The day in a source address's path ("/2019/07/04/", "/news/20190704-"), or None."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for m in _URL_DATE.finditer(path):
        y = int(m["y"])
        mo = int(m["m1"] or m["m2"] or m["m3"])
        d = int(m["d1"] or m["d2"] or m["d3"])
        if _valid_day(y, mo, d):
            return dt.date(y, mo, d)
    return None


def _weekday_number(name: str) -> int:
    return next(v for k, v in _WEEKDAYS.items() if k.startswith(name.lower()[:3]))


def _weekday_pairs(
    text: str, mentions: Sequence[Mention], skip: Sequence[tuple[int, int]]
) -> list[tuple[int, int, int, int, int]]:
    """(month, day, weekday, start, end) of each weekday named with a month-day and no year:
    "Friday, Oct. 23", "on Friday (Feb. 1)"."""
    pairs: list[tuple[int, int, int, int, int]] = []
    for m in mentions:
        if m.attrs.get("rule") == "weekday_date" and m.value:
            found = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", m.value)
            named = re.match(r"[A-Za-z]+", m.text)
            if found and named:
                wd = _weekday_number(named.group(0))
                pairs.append((int(found[1]), int(found[2]), wd, m.start, m.end))
    for b in _BRACKETED_PAIR.finditer(text):
        if skip and _overlaps_any(b.start(), b.end(), skip):
            continue
        g = _Swap(b, {"wd": "wd2", "mon": "mon2", "day": "day2"})
        wd_name, mon, day = g["wd"], g["mon"], g["day"]
        if wd_name and mon and day:
            pairs.append(
                (_month_number(mon), _day_number(day), _weekday_number(wd_name), *b.span())
            )
    return pairs


def _year_of_weekday(
    month: int, day: int, weekdays: set[int], low: int | None, reference: dt.date | None
) -> tuple[int, str] | None:
    """The year in which ``month``/``day`` falls on one of ``weekdays``, with a reason saying
    how it was chosen. Given ``reference`` (the day the document came in, which it cannot
    postdate), the latest such year up to it and not before ``low`` (the latest year the
    text names); without one (an archive), the first such year from ``low``. The choice is
    called low in confidence when the window holds another such year or the text names none.
    """

    def fits(year: int) -> bool:
        return (
            _valid_day(year, month, day)
            and dt.date(year, month, day).weekday() in weekdays
            and (reference is None or dt.date(year, month, day) <= reference)
        )

    if reference is not None:
        floor = reference.year - WEEKDAY_YEARS if low is None else max(low, reference.year - 40)
        found = [y for y in range(reference.year, floor - 1, -1) if fits(y)]
        if not found:
            return None
        since = "the text names no year" if low is None else f"from {low}, the latest year named"
        doubt = "; low confidence" if low is None or len(found) > 1 else ""
        return found[0], (
            f"the latest such year up to {reference.isoformat()}, when the document came in "
            f"({since}{doubt})"
        )
    if low is None:
        return None
    for year in range(low, low + WEEKDAY_YEARS + 1):
        if fits(year):
            return year, f"the first such year from {low}, the latest year the text names"
    return None


def infer_publication_date(
    text: str,
    *,
    skip: Sequence[tuple[int, int]] = (),
    url: str | None = None,
    reference: dt.date | None = None,
    expressions: _Chosen | None = None,
) -> tuple[dt.date, str] | None:
    """A publication date for a document that has none, from its source address and its own
    dates; with the evidence, in words, of how it was found.

    1. A day in the source address's path ("/2019/07/04/") is the day of publication.
    2. A report cannot tell of days after its own publication, so the latest full date (day,
       month, year) the text gives as past is the earliest possible publication day. A weekday
       named with a month-day ("on Friday (Feb. 1)", "Friday, Oct. 23") is such a date once its
       year is found: the first year, from the latest year the text names, in which that day
       is that weekday (or, when the text names no year, the latest such year up to
       ``reference``, the day the document came in). The latest date is used only when no
       later year is spoken of as past (else it is history, not news). A dateline
       ("SEOUL, July 6 (Yonhap) --") takes its year from that date. A reporting weekday
       ("said Saturday") then moves the day to the first such weekday on or after it.
    3. Without a usable full date, a dateline's day is dated by the weekday it or its lead
       gives (see ``_dateline_with_weekday``).

    None when nothing rests on more than a bare full date deep in the text (as likely history
    as news). ``skip`` lists ranges (web-page debris) that are not evidence; ``expressions``
    are the text's expressions when the caller has found them already.
    """
    from_url = url_date(url)
    if from_url is not None and (reference is None or from_url <= reference):
        return from_url, f"the source address names the day ({from_url.isoformat()})"
    chosen = _find_expressions(text, skip) if expressions is None else expressions
    mentions = [
        m for m in _resolve_all(text, chosen, None, skip=skip) if m.kind == "date" and m.value
    ]
    past = [m for m in mentions if _tense(text, m.start, m.end, weak=False) != "future"]
    latest_year = max(
        (
            int(m.value[:4])
            for m in past
            if m.value and m.attrs.get("anchor") is None and re.match(r"\d{4}(?:-|$)", m.value)
        ),
        default=None,
    )
    if reference is not None and latest_year is not None and latest_year > reference.year:
        latest_year = None  # a year ahead of the day the document came in is no bound
    full: list[tuple[dt.date, str, int, bool]] = [  # day, words, position, weekday-fixed
        (dt.date.fromisoformat(m.value[:10]), f'"{m.text}"', m.start, False)
        for m in past
        if m.value
        and m.attrs.get("anchor") is None
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T.*)?", m.value)
    ]
    for month, day_of_month, wd, start, end in _weekday_pairs(text, mentions, skip):
        if _tense(text, start, end, weak=False) == "future":
            continue
        found_year = _year_of_weekday(month, day_of_month, {wd}, latest_year, reference)
        if found_year is None:
            continue
        pair_day = dt.date(found_year[0], month, day_of_month)
        words = text[start:end]
        full.append((pair_day, f'"{words}" ({found_year[1]})', start, True))
    if reference is not None:
        full = [f for f in full if f[0] <= reference]
    if not full:
        if latest_year is None and reference is None:
            return None
        return _dateline_with_weekday(text, mentions, latest_year, reference)
    if latest_year is not None and max(f[0] for f in full).year < latest_year:
        return _dateline_with_weekday(text, mentions, latest_year, reference)
    day, source_words, source_start, weekday_fixed = max(full, key=lambda f: f[0])
    evidence = f"latest full date reported: {source_words} ({day.isoformat()})"
    for m in mentions:
        assert m.value is not None
        found = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", m.value)
        if (
            found
            and m.start < 300
            and _DATELINE.search(text, max(0, m.start - 60), m.start)
            and _valid_day(day.year, int(found[1]), int(found[2]))
        ):
            dateline = dt.date(day.year, int(found[1]), int(found[2]))
            if dateline >= day and (reference is None or dateline <= reference):
                day = dateline
                evidence = f'dateline "{m.text}" in {day.year} ({day.isoformat()})'
            break
    # A date heading the text ("The council said in a statement on Friday, Jan. 6:",
    # "March 3, 2021 - The board ...", a time stamp) is the day of the report itself; a date in
    # the lead is the day of what it reports, which the report follows within the week.
    lead = source_start < LEAD_CHARS and not _years_ago(chosen)
    heading = lead and (weekday_fixed or "T" in source_words or _heads_the_text(text, source_start))
    corroborated = lead or evidence.startswith("dateline")
    reporting = next(
        (
            r
            for r in _WEEKDAY_IN_TEXT.finditer(text)
            if not (skip and _overlaps_any(r.start(), r.end(), skip))
        ),
        None,
    )
    if reporting and lead and not heading and not evidence.startswith("dateline"):
        name = reporting.group("wd") or reporting.group("wd2")
        delta = (_WEEKDAYS[name.lower()] - day.weekday()) % 7
        reported = day + dt.timedelta(days=delta)
        # A lead's happening is reported within a few days; a weekday further on is one
        # before it ("said Tuesday" of a Friday's vote), which moves nothing.
        if delta <= REPORTING_DAYS and (reference is None or reported <= reference):
            evidence += f'; reporting weekday "{name}" -> {reported.isoformat()}'
            day = reported
            corroborated = True
    if not corroborated:
        # A full date alone, deep in the text, is as likely history as news.
        return None
    return day, evidence


# How far into a text its lead (and a heading date) may lie, in characters.
LEAD_CHARS = 300
# How many days after the happening its lead tells of a report is published, at most.
REPORTING_DAYS = 3


def _years_ago(chosen: _Chosen) -> bool:
    """Whether the text counts years back from its own day ("nearly four years ago"): then a
    full date in it is as likely the day of that past as the day of the report."""
    for _s, _e, rule, m in chosen:
        if rule.name == "ago" and m["dir"].lower() == "ago":
            unit = m["unit"].lower()
            if unit.startswith(("year", "decade", "centur")):
                return True
    return False


def _heads_the_text(text: str, start: int) -> bool:
    """Whether a date opens its line ("March 3, 2021 - The board ...") or closes the text's
    first line ("The council said in a statement on March 3, 2021:")."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() or _DATELINE.search(text, line_start, start):
        return True
    line_end = text.find("\n", start)
    rest = text[start : line_end if line_end >= 0 else len(text)]
    return bool(re.fullmatch(r"[^.!?]{0,40}[:\u2014-]?\s*", rest)) and not text[:line_start].strip()


def _dateline_with_weekday(
    text: str, mentions: Sequence[Mention], latest_year: int | None, reference: dt.date | None
) -> tuple[dt.date, str] | None:
    """A dateline's day ("LISBON, May 4 (Meridian Press) -") dated by the weekday it or its
    lead gives ("on Wednesday imposed"): the year in which that day falls on that weekday,
    the first from the latest year the text names as past, or when it names none the latest
    up to ``reference`` (a weekday repeats on a date every 5 to 11 years, so the bound
    matters)."""
    for m in mentions:
        assert m.value is not None
        found = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", m.value)
        if found and m.start < 400 and _DATELINE.search(text, max(0, m.start - 60), m.start):
            break
    else:
        return None
    month, day = int(found[1]), int(found[2])
    named = re.match(r"\w+", m.text)
    if m.attrs.get("rule") == "weekday_date" and named:
        weekdays = {_weekday_number(named.group(0))}
    else:
        # The weekdays of the lead (its first two sentences): the day itself or the one before.
        lead_end = m.end
        for _ in range(2):
            lead_end = _sentence_bounds(text, lead_end, lead_end)[1] + 1
        named_in_lead = {
            int(w.value[-1]) - 1
            for w in mentions
            if m.end <= w.start < lead_end and w.value and re.fullmatch(r"XXXX-WXX-\d", w.value)
        }
        # A report is filed on the day it tells of or the day after: a lead naming two days
        # in a row is filed on the later; one naming a single day, on it or the next.
        later = {w for w in named_in_lead if (w - 1) % 7 in named_in_lead}
        weekdays = later or named_in_lead | {(w + 1) % 7 for w in named_in_lead}
    if not weekdays:
        return None
    year = _year_of_weekday(month, day, weekdays, latest_year, reference)
    if year is None:
        return None
    found_day = dt.date(year[0], month, day)
    names = "/".join(sorted(k.title() for k, v in _WEEKDAYS.items() if v in weekdays))
    return found_day, (
        f'dateline "{m.text}" with the weekday {names}: {year[1]} ({found_day.isoformat()})'
    )


# "SEOUL, July 6 (Yonhap) --", "WASHINGTON, August 11 (Xinhua) --": a city in capitals.
_DATELINE = re.compile(r"(?:^|\n)\s*[A-Z][A-Z .'-]{2,}(?:,\s*[A-Z][\w. ]*)?,\s*$")

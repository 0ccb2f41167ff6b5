"""Score the date tagger on the TempEval-3 TBAQ-cleaned corpora (TimeBank and AQUAINT).

Each .tml file is stripped to its raw <TEXT> with the gold TIMEX3 spans (offsets in the stripped
text) and the document creation time from <DCT>; ``tag_dates(text, dct, sets=True)`` runs on the
raw text (frequencies included: TimeML scores them as SETs).

Scoring follows TempEval-3: a prediction matches a gold expression when their extents overlap
(relaxed) or are identical (strict), one to one; value F1 counts a relaxed match only when the
normalised values are equal (P over predictions, R over gold; ``2000-W7`` equals ``2000-W07``,
``T17`` equals ``T17:00`` and ``199X`` equals ``199``, spellings the corpora use interchangeably;
the figure with values compared as exact strings is printed too). The main figures count DATE
and TIME gold against the tagger's calendar mentions (kind ``date``); a calendar prediction
lying on a gold DURATION or SET is left to the "all types" line, which scores every gold TIMEX3
against every prediction. DURATION and SET are also reported on their own.

Files are split by a fixed hash of their name: one in five is held out from development
("held-out" rows), so the figures there are on text the grammar was not tuned on.

With the DCT withheld, a publication date is inferred from each text
(``infer_publication_date``) and the figures say how many documents get one, how many are exact,
within a day or wrong, and how many of the relative expressions ("Friday", "last month":
values their own words do not give) come out right; ``--came-in DAYS`` repeats this as if each
document had come into the case DAYS after its publication (a case's import date bounds the
inference; without it, as in an archive, a weekday and month-day fix no year unless the text
names one).

    python bench/tempeval.py [--data DIR] [--corpus TimeBank|AQUAINT|both] [--errors N]
                             [--repeat N] [--came-in DAYS ...] [--parsed]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from casedesk.extract.dates import infer_publication_date, tag_dates
from casedesk.extract.model import Mention

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared import shared_dir  # noqa: E402

_SHARED = shared_dir()
DEFAULT_DATA = (_SHARED or Path("shared")) / "tempeval" / "TBAQ-cleaned"

_TOKEN = re.compile(r"<(/?)(\w+)([^>]*)>|&(#\d+|#x[0-9a-fA-F]+|\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
CALENDAR = ("DATE", "TIME")


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass
class Document:
    name: str
    text: str
    dct: dt.date
    gold: list[Gold]


def strip_timeml(source: str, name: str = "<string>") -> Document:
    """Raw text of a TimeML document's <TEXT>, with its gold TIMEX3s and its DCT."""
    dct_match = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4}-\d{2}-\d{2})", source)
    if not dct_match:
        raise ValueError(f"{name}: no <DCT> with a day value")
    dct = dt.date.fromisoformat(dct_match[1])
    start = source.find("<TEXT>")
    end = source.find("</TEXT>")
    if start < 0 or end < 0:
        raise ValueError(f"{name}: no <TEXT> element")
    body = source[start + len("<TEXT>") : end]
    out: list[str] = []
    length = 0
    gold: list[Gold] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TOKEN.finditer(body):
        chunk = body[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m[4] is not None:
            char = html.unescape(f"&{m[4]};")
            out.append(char)
            length += len(char)
            continue
        if m[2] != "TIMEX3":
            continue
        if m[1]:
            if open_timex is None:
                raise ValueError(f"{name}: </TIMEX3> without <TIMEX3>")
            s, attrs = open_timex
            gold.append(Gold(s, length, attrs.get("type", ""), attrs.get("value", ""), ""))
            open_timex = None
        else:
            open_timex = (length, dict(_ATTR.findall(m[3])))
    out.append(body[pos:])
    text = "".join(out)
    for g in gold:
        g.text = text[g.start : g.end]
    return Document(name, text, dct, gold)


def load(directory: Path) -> list[Document]:
    files = sorted(directory.glob("*.tml"))
    if not files:
        raise SystemExit(f"{directory}: no .tml files")
    return [strip_timeml(f.read_text(encoding="utf-8"), f.name) for f in files]


def held_out(name: str) -> bool:
    return zlib.crc32(name.encode()) % 5 == 0


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    value_exact: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.value += other.value
        self.value_exact += other.value_exact
        self.errors.extend(other.errors)

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.pred if self.pred else 0.0
        r = hits / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def canonical(value: str | None) -> str:
    """One spelling per TimeML value: the corpora write ISO weeks both as ``2000-W7`` and
    ``2000-W07``, clock hours both as ``T17`` and ``T17:00`` and decades both as ``199X`` and
    ``199``; these are the same values."""
    if not value:
        return ""
    value = re.sub(r"-W(\d)(?!\d)", r"-W0\1", value)
    value = re.sub(r"^(\d{3})X$|^(\d{2})XX$", r"\1\2", value)  # "199X" is "199", the 1990s
    return re.sub(r"T(\d{2})$", r"T\1:00", value)


def same_value(gold: str, predicted: str | None) -> bool:
    return canonical(gold) == canonical(predicted)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(
    doc: Document, gold: Iterable[Gold], pred: Iterable[Mention], ignore: Iterable[Gold] = ()
) -> Counts:
    """One-to-one matching of predictions to gold by extent overlap, best overlap first."""
    golds = list(gold)
    preds = [
        p for p in pred if not any(_overlap((p.start, p.end), (g.start, g.end)) for g in ignore)
    ]
    pairs = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if _overlap((g.start, g.end), (p.start, p.end)):
                inter = min(g.end, p.end) - max(g.start, p.start)
                pairs.append((-inter, i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    c = Counts(gold=len(golds), pred=len(preds))
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        g, p = golds[i], preds[j]
        c.relaxed += 1
        if (g.start, g.end) == (p.start, p.end):
            c.strict += 1
        c.value_exact += g.value == p.value
        if same_value(g.value, p.value):
            c.value += 1
        else:
            c.errors.append(
                f"{doc.name}\tVALUE\t{g.text!r}\tgold={g.value}\tgot={p.value} "
                f"({p.text!r}, {p.attrs.get('rule')})"
            )
    for i, g in enumerate(golds):
        if i not in used_g:
            c.errors.append(
                f"{doc.name}\tMISS\t{g.text!r}\tgold={g.value}\t{_context(doc, g.start, g.end)}"
            )
    for j, p in enumerate(preds):
        if j not in used_p:
            c.errors.append(
                f"{doc.name}\tEXTRA\t{p.text!r}\tgot={p.value} ({p.attrs.get('rule')})"
                f"\t{_context(doc, p.start, p.end)}"
            )
    return c


def _context(doc: Document, start: int, end: int) -> str:
    left = doc.text[max(0, start - 50) : start].replace("\n", " ")
    right = doc.text[end : end + 40].replace("\n", " ")
    return f"...{left}[{doc.text[start:end]}]{right}..."


def _line(label: str, c: Counts) -> str:
    sp, sr, sf = c.prf(c.strict)
    rp, rr, rf = c.prf(c.relaxed)
    vp, vr, vf = c.prf(c.value)
    return (
        f"  {label:<22} gold {c.gold:5d} pred {c.pred:5d}"
        f" | strict P {sp:.3f} R {sr:.3f} F1 {sf:.3f}"
        f" | relaxed P {rp:.3f} R {rr:.3f} F1 {rf:.3f} | value P {vp:.3f} R {vr:.3f} F1 {vf:.3f}"
    )


_YEAR_WORDS = re.compile(r"\b(?:1[6-9]|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2}\b|'\d\d\b")


def relative(g: Gold) -> bool:
    """A calendar expression whose value its own words do not give ("Friday", "last month",
    "Oct. 23"): it is right only if the publication date it is resolved against is."""
    return g.type in CALENDAR and g.value[:1].isdigit() and not _YEAR_WORDS.search(g.text)


@dataclass
class Withheld:
    """Publication-date inference with the DCT withheld, and what it does to the values."""

    docs: int = 0
    inferred: int = 0
    exact: int = 0
    near: int = 0  # within a day, exact included
    relative: int = 0  # gold relative expressions
    right_given: int = 0  # ... valued right with the DCT given
    right_inferred: int = 0  # ... with the DCT withheld and the inferred date used
    right_none: int = 0  # ... with the DCT withheld and nothing inferred
    calendar: Counts = field(default_factory=Counts)  # DATE+TIME, DCT withheld, inferred used

    def wrong(self) -> int:
        return self.inferred - self.near


def _right_relative(doc: Document, mentions: list[Mention]) -> int:
    right = 0
    for g in doc.gold:
        if not relative(g):
            continue
        if any(
            m.kind == "date"
            and _overlap((g.start, g.end), (m.start, m.end))
            and same_value(g.value, m.value)
            for m in mentions
        ):
            right += 1
    return right


def withheld(doc: Document, came_in: int | None = None) -> Withheld:
    """One document with its DCT withheld: is a publication date inferred, how far is it from
    the DCT, and how many relative expressions come out right with it. ``came_in``: the
    document reached the case that many days after its publication (the day it came in
    bounds the inference, as the import date does in a case); None: not known (an archive)."""
    w = Withheld(docs=1)
    reference = None if came_in is None else doc.dct + dt.timedelta(days=came_in)
    inferred = infer_publication_date(doc.text, reference=reference)
    given = tag_dates(doc.text, doc.dct)
    dct = None
    if inferred is not None:
        dct = inferred[0]
        w.inferred = 1
        gap = abs((dct - doc.dct).days)
        w.exact = int(gap == 0)
        w.near = int(gap <= 1)
    found = tag_dates(doc.text, dct)
    w.relative = sum(1 for g in doc.gold if relative(g))
    w.right_given = _right_relative(doc, given)
    w.right_inferred = _right_relative(doc, found)
    w.right_none = _right_relative(doc, tag_dates(doc.text, None)) if dct else w.right_inferred
    cal_gold = [g for g in doc.gold if g.type in CALENDAR]
    others = [g for g in doc.gold if g.type not in CALENDAR]
    w.calendar = score(doc, cal_gold, [m for m in found if m.kind == "date"], ignore=others)
    return w


def _add_withheld(total: Withheld, one: Withheld) -> None:
    for name in ("docs", "inferred", "exact", "near", "relative", "right_given"):
        setattr(total, name, getattr(total, name) + getattr(one, name))
    total.right_inferred += one.right_inferred
    total.right_none += one.right_none
    total.calendar.add(one.calendar)


def publication_lines(docs: list[Document], came_in: int | None = None) -> list[str]:
    """The publication-date figures with the DCT withheld, on all documents, the development
    four fifths and the held-out fifth."""
    splits = {"all": Withheld(), "development": Withheld(), "held-out": Withheld()}
    for doc in docs:
        one = withheld(doc, came_in)
        _add_withheld(splits["all"], one)
        _add_withheld(splits["held-out" if held_out(doc.name) else "development"], one)
    when = (
        "the day each came in not known (an archive)"
        if came_in is None
        else f"each came in {came_in} days after its publication"
    )
    lines = [f"  DCT withheld, publication date inferred from the text ({when}):"]
    for name, w in splits.items():

        def share(n: int, w: Withheld = w) -> str:
            return f"{n / w.relative:.3f}" if w.relative else "-"

        lines.append(
            f"    {name:<12} inferred for {w.inferred}/{w.docs} documents: {w.exact} exact, "
            f"{w.near} within a day, {w.wrong()} wrong | DATE+TIME value F1 "
            f"{w.calendar.prf(w.calendar.value)[2]:.3f} | relative expressions ({w.relative}) "
            f"valued right: {share(w.right_inferred)} (DCT given {share(w.right_given)}, "
            f"nothing inferred {share(w.right_none)})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="print N errors of the dev split")
    parser.add_argument("--corpus", choices=("TimeBank", "AQUAINT", "both"), default="both")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timing runs; the fastest is reported (default 3)"
    )
    parser.add_argument(
        "--came-in",
        type=int,
        nargs="*",
        default=[],
        metavar="DAYS",
        help="also infer publication dates as if each document came into the case DAYS "
        "after its publication (the import date bounds the inference)",
    )
    parser.add_argument(
        "--parsed",
        action="store_true",
        help="give the tagger each text's spaCy parse, as the pipeline does (weekdays take "
        "the tense of their verb); slower",
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: TempEval-3 data not found", file=sys.stderr)
        return 2
    corpora = ("AQUAINT", "TimeBank") if args.corpus == "both" else (args.corpus,)
    dev_errors: list[str] = []
    for corpus in corpora:
        docs = load(args.data / corpus)
        words = 0
        rows: dict[str, dict[str, Counts]] = {
            split: {"DATE+TIME": Counts(), "DURATION+SET": Counts(), "all types": Counts()}
            for split in ("all", "held-out")
        }
        # Throughput per core: CPU time of this process (a shared machine's other processes
        # do not count), the fastest of a few full passes.
        runs = []
        for _ in range(max(1, args.repeat)):
            t0 = time.process_time()
            for doc in docs:
                tag_dates(doc.text, doc.dct, sets=True)
            runs.append(time.process_time() - t0)
        seconds = max(min(runs), 1e-9)
        parses: dict[str, object] = {}
        if args.parsed:
            from casedesk.extract.nlp import parse

            parses = {doc.name: parse(doc.text) for doc in docs}
        for doc in docs:
            mentions = tag_dates(doc.text, doc.dct, sets=True, doc=parses.get(doc.name))
            words += len(doc.text.split())
            cal_gold = [g for g in doc.gold if g.type in CALENDAR]
            other_gold = [g for g in doc.gold if g.type not in CALENDAR]
            cal_pred = [m for m in mentions if m.kind == "date"]
            dur_pred = [m for m in mentions if m.kind != "date"]
            per = {
                "DATE+TIME": score(doc, cal_gold, cal_pred, ignore=other_gold),
                "DURATION+SET": score(doc, other_gold, dur_pred, ignore=cal_gold),
                "all types": score(doc, doc.gold, mentions),
            }
            splits = ["all", "held-out"] if held_out(doc.name) else ["all"]
            for split in splits:
                for key, counts in per.items():
                    rows[split][key].add(counts)
            if not held_out(doc.name):
                dev_errors.extend(per["DATE+TIME"].errors)
        n_held = sum(1 for d in docs if held_out(d.name))
        print(f"{corpus}: {len(docs)} documents ({n_held} held out), {words} words")
        for split in ("all", "held-out"):
            for key, counts in rows[split].items():
                print(_line(f"{split} {key}", counts))
        cal = rows["all"]["DATE+TIME"]
        print(
            "  all DATE+TIME value F1 with values compared as exact strings: "
            f"{cal.prf(cal.value_exact)[2]:.3f}"
        )
        print(f"  throughput: {words / seconds:,.0f} words per CPU-second")
        for came_in in (None, *args.came_in):
            for line in publication_lines(docs, came_in):
                print(line)
    if args.errors:
        print("\nErrors (development split, DATE+TIME):")
        for line in dev_errors[: args.errors]:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The polarity benchmark: speakers and polarity of claims on a battery of denial sentences.

The battery is ``tests/data/polarity/battery.txt`` (its header says how a line reads): denial
constructions of news writing, nested speech, pronoun speakers, two negations and controls,
each with the speaker, the polarity and the words the claim should hold. A second set,
``fresh.txt``, was written after the rules were made on the first and measured once before
any change (its first figures are in docs/extraction.md). Each text is read
by the claim extractor as a document of its own (dates, entities, claims, as the pipeline
does). A line is judged on the claim that holds its words (overlapping them most, preferring
the expected speaker):

* speaker: that claim's speaker is the expected one (over the lines that expect a claim);
* polarity: that claim's polarity is the expected one, and no claim asserts words a line of
  the text says are denied or unclaimed (a denial never shown as an assertion: an asserting
  claim that begins inside those words); for a line expecting no claim ("none"), no claim
  holds its words;
* both: speaker and polarity right (for a "none" line, polarity);
* content: the claim spans exactly the expected words.

Run:  python bench/polarity.py            (from the repository root, in the project's venv)
      python bench/polarity.py --show     (also list each line that fails, and why)
      python bench/polarity.py --battery tests/data/polarity/fresh.txt   (one set only)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.extract.model import Mention  # noqa: E402

BATTERY = ROOT / "tests" / "data" / "polarity" / "battery.txt"
# Written after the rules were made on BATTERY, measured once before any change to them.
FRESH = BATTERY.with_name("fresh.txt")
PUBLISHED = "2024-03-08"
POLARITIES = ("asserts", "denies", "none")


@dataclass(frozen=True)
class Line:
    number: int  # in the battery file
    group: str
    text: str
    speaker: str | None
    polarity: str
    content: str

    @property
    def span(self) -> tuple[int, int]:
        start = self.text.index(self.content)
        return start, start + len(self.content)


@dataclass(frozen=True)
class Verdict:
    line: Line
    claim: Mention | None
    speaker: bool
    polarity: bool
    content: bool
    wrong_assertion: Mention | None  # a claim asserting words the battery says are not asserted

    @property
    def both(self) -> bool:
        return self.speaker and self.polarity

    @property
    def passed(self) -> bool:
        return self.both and self.content

    def reason(self) -> str:
        if self.wrong_assertion is not None:
            w = self.wrong_assertion
            return f"asserted by {w.value!r}: {w.text!r}"
        if self.line.polarity == "none":
            c = self.claim
            return "" if c is None else f"claimed by {c.value!r} ({c.attrs['polarity']})"
        if self.claim is None:
            return "no claim holds the words"
        c = self.claim
        return f"{c.value!r} {c.attrs['polarity']} {c.text!r} (cue {c.attrs.get('cue')!r})"


def load_battery(path: Path = BATTERY) -> list[Line]:
    """The battery's lines; a malformed line is an error naming the file and the line."""
    lines: list[Line] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split(" | ")]
        if len(fields) != 5:
            raise ValueError(f"{path}:{number}: {len(fields)} fields, not 5")
        group, text, speaker, polarity, content = fields
        if polarity not in POLARITIES:
            raise ValueError(f"{path}:{number}: polarity {polarity!r} is not one of {POLARITIES}")
        if content not in text:
            raise ValueError(f"{path}:{number}: the content is not in the text")
        if (speaker == "-") != (polarity == "none"):
            raise ValueError(f"{path}:{number}: a speaker is '-' exactly when polarity is none")
        lines.append(
            Line(number, group, text, None if speaker == "-" else speaker, polarity, content)
        )
    return lines


def extract(text: str) -> list[Mention]:
    """The claims of ``text`` read as one document published on ``PUBLISHED``."""
    from casedesk.extract.claims import find_claims
    from casedesk.extract.dates import tag_dates
    from casedesk.extract.entities import find_entities
    from casedesk.extract.nlp import get_nlp
    from casedesk.extract.pipeline import make_doc

    nlp = get_nlp()
    doc = nlp(make_doc(nlp, text))
    dates = tag_dates(text, dt.date.fromisoformat(PUBLISHED))
    return find_claims(doc, find_entities(doc), dates, PUBLISHED)


def _norm(words: str | None) -> str:
    return " ".join((words or "").split()).casefold()


def _overlap(claim: Mention, span: tuple[int, int]) -> int:
    return min(claim.end, span[1]) - max(claim.start, span[0])


def _expected_by(claim: Mention, lines: Sequence[Line]) -> bool:
    """``claim`` is what one of ``lines`` expects: its speaker, polarity and words."""
    return any(
        line.speaker is not None
        and _norm(claim.value) == _norm(line.speaker)
        and claim.attrs.get("polarity") == line.polarity
        and _overlap(claim, line.span) > 0
        for line in lines
    )


def judge(line: Line, claims: Sequence[Mention], same_text: Sequence[Line]) -> Verdict:
    """How the claims of ``line.text`` fare against ``line`` (``same_text``: every line of
    that text, whose expected claims are no wrong assertions)."""
    span = line.span
    holding = [c for c in claims if _overlap(c, span) > 0]
    holding.sort(
        key=lambda c: (_overlap(c, span), _norm(c.value) == _norm(line.speaker)), reverse=True
    )
    claim = holding[0] if holding else None
    wrong = None
    if line.polarity != "asserts":
        # An assertion that begins inside the words holds them as its own; one that takes in
        # the words of denial before them ("the senator had rejected reports that ...") does not.
        wrong = next(
            (
                c
                for c in holding
                if c.attrs.get("polarity") == "asserts"
                and span[0] <= c.start < span[1]
                and not _expected_by(c, same_text)
            ),
            None,
        )
    if line.polarity == "none":
        ok = claim is None
        return Verdict(line, claim, ok, ok, ok, wrong)
    if claim is None:
        return Verdict(line, None, False, False, False, wrong)
    return Verdict(
        line,
        claim,
        speaker=_norm(claim.value) == _norm(line.speaker),
        polarity=claim.attrs.get("polarity") == line.polarity and wrong is None,
        content=_norm(claim.text) == _norm(line.content),
        wrong_assertion=wrong,
    )


def run(lines: Sequence[Line]) -> list[Verdict]:
    by_text: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        by_text[line.text].append(line)
    verdicts: list[Verdict] = []
    for text, group in by_text.items():
        found = extract(text)
        verdicts.extend(judge(line, found, group) for line in group)
    verdicts.sort(key=lambda v: v.line.number)
    return verdicts


def _share(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def report(verdicts: Sequence[Verdict], show: bool = False) -> str:
    out = []
    claimed = [v for v in verdicts if v.line.polarity != "none"]
    out.append(f"Polarity battery: {len(verdicts)} lines ({len(claimed)} expect a claim)")
    out.append("| figure | accuracy |")
    out.append("|---|---|")
    out.append(f"| speaker | {_share(sum(v.speaker for v in claimed), len(claimed))} |")
    out.append(f"| polarity | {_share(sum(v.polarity for v in verdicts), len(verdicts))} |")
    out.append(f"| both | {_share(sum(v.both for v in verdicts), len(verdicts))} |")
    out.append(f"| content | {_share(sum(v.content for v in claimed), len(claimed))} |")
    out.append(f"| all three | {_share(sum(v.passed for v in verdicts), len(verdicts))} |")
    wrong = sum(v.wrong_assertion is not None for v in verdicts)
    out.append(f"| denials shown as an assertion | {wrong} |")
    out.append("")
    out.append("| group | lines | speaker | polarity | both | content |")
    out.append("|---|---|---|---|---|---|")
    groups: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        groups[v.line.group].append(v)
    for name, vs in groups.items():
        cs = [v for v in vs if v.line.polarity != "none"]
        out.append(
            f"| {name} | {len(vs)} | {sum(v.speaker for v in cs)}/{len(cs)} | "
            f"{sum(v.polarity for v in vs)}/{len(vs)} | {sum(v.both for v in vs)}/{len(vs)} | "
            f"{sum(v.content for v in cs)}/{len(cs)} |"
        )
    if show:
        out.append("")
        for v in verdicts:
            if v.passed:
                continue
            wrong_parts = [
                name
                for name, ok in (
                    ("speaker", v.speaker),
                    ("polarity", v.polarity),
                    ("content", v.content),
                )
                if not ok
            ]
            out.append(f"line {v.line.number} [{v.line.group}] wrong {', '.join(wrong_parts)}")
            out.append(f"    {v.line.text}")
            out.append(
                f"    expected {v.line.speaker!r} {v.line.polarity} {v.line.content!r}; "
                f"got {v.reason()}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--show", action="store_true", help="list each line that fails")
    parser.add_argument(
        "--battery", type=Path, action="append", help="a battery file (default: both sets)"
    )
    args = parser.parse_args(argv)
    started = time.process_time()
    for path in args.battery or (BATTERY, FRESH):
        print(f"== {path.name}")
        print(report(run(load_battery(path)), show=args.show))
        print()
    print(f"{time.process_time() - started:.1f} CPU-s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

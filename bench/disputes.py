"""Disputed facts on a generated case with planted disagreements: precision and recall per kind.

The generator writes stories of invented towns, companies and people (sentences of our own),
each reported by two or three articles. Most details agree across a story's articles, often at
different precision ("on March 3, 2026" / "earlier this month") or with approximate figures
("more than 40 people" for 42); some are planted to disagree, and the plan is written to
``planted.json``:

* ``date``: one article dates the happening some days apart;
* ``quantity``: one article gives another count of the same thing;
* ``claim``: one article has the party concerned deny what another article's source asserts;
* ``event``: one article reports a second happening, another has it denied.

A found dispute matches a planted one when it has the same kind and its sides are articles of
that story including the one planted to disagree; every other found dispute is a false alarm.

    python bench/disputes.py [--stories 16] [--seed 11] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

TOWNS = [
    "Marrowgate", "Lindholm", "Caskbridge", "Orrin Falls", "Westmere", "Dunhallow",
    "Pellory", "Saltrun", "Harrowby", "Quenfield", "Brackwater", "Ellisford",
    "Tamsworth", "Corvale", "Ashtonbury", "Rilling",
]  # fmt: skip
COMPANIES = [
    "Velden Chemicals", "Orbis Freight", "Hallam Foods", "Nortek Cables", "Greystone Mining",
    "Pellucid Glass", "Arden Textiles", "Kestrel Motors",
]  # fmt: skip
PEOPLE = [
    "Helen Brack", "Tobias Venn", "Marta Quill", "Jonas Ferrow", "Ines Calder", "Rafael Osei",
    "Nadia Korrel", "Piet Laurens", "Greta Holm", "Samuel Idris", "Clara Menet", "Otto Rask",
]  # fmt: skip
REPORTERS = ["Ada Lorne", "Bram Tesk", "Cleo Varga", "Dov Ashe", "Esme Rudd", "Finn Marlo"]
PUBLISHERS = ["Coastal Herald", "Harbour Times", "Valley Gazette", "Morning Ledger"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@dataclass(frozen=True)
class Template:
    """One kind of happening: its sentence (``{when}``, ``{n}``), what is claimed about it,
    and a second happening that can be denied."""

    headline: str
    happening: str
    unit_low: int
    unit_high: int
    claim: str  # what a source asserts (a clause)
    claimant: str
    denier: str  # the party the claim concerns
    second: str  # a second happening (a clause, ``{when}``)
    second_denier: str


TEMPLATES = [
    Template(
        "Arrests after port protest in {town}",
        "Police in {town} arrested {n} people {when} after a protest at the container port "
        "turned violent.",
        25, 90,
        "the officers had used excessive force against the crowd in {town}",
        "{person}, a lawyer for the protesters,",
        "The {town} police chief, {person2},",
        "protesters set fire to a customs office at the {town} port {when}",
        "The dockers' union",
    ),
    Template(
        "Floods force evacuation in {town}",
        "Flood water forced the evacuation of {n} residents from {town} {when}.",
        300, 2000,
        "the river authority had ignored warnings about the {town} levee for years",
        "{person}, who heads a residents' association,",
        "The river authority",
        "engineers opened the sluice gates of the dam above {town} {when}",
        "The dam operator",
    ),
    Template(
        "{company} cuts jobs at {town} plant",
        "{company} cut {n} jobs at its {town} plant {when}, the company said.",
        80, 900,
        "{company} had moved the {town} production line abroad to avoid a wage agreement",
        "{person}, a union organiser,",
        "{company}",
        "managers locked the workers out of the {town} plant {when}",
        "{company}",
    ),
    Template(
        "Explosion at {town} apartment block",
        "A gas explosion at an apartment block in {town} injured {n} people {when}.",
        6, 60,
        "the landlord had been told about a leaking pipe in the {town} block before the blast",
        "{person}, a tenant in the building,",
        "The landlord, {person2},",
        "firefighters evacuated a school in {town} {when}",
        "The fire service",
    ),
    Template(
        "Customs seize drugs in {town}",
        "Customs officers in {town} seized {n} kilograms of cocaine from a cargo ship {when}.",
        40, 700,
        "the shipping agent had helped the smugglers to clear the containers in {town}",
        "{person}, a prosecutor,",
        "The shipping agent, {person2},",
        "the crew of the ship tried to sink the cargo off {town} {when}",
        "The ship's owner",
    ),
    Template(
        "Bus drivers strike in {town}",
        "Bus drivers in {town} began a strike over unpaid wages {when}, leaving {n} routes "
        "without service.",
        12, 80,
        "the {town} transport company had paid its directors bonuses while wages went unpaid",
        "{person}, a spokeswoman for the drivers,",
        "The transport company",
        "strikers blocked the main depot in {town} {when}",
        "The drivers' union",
    ),
    Template(
        "Chemical spill near {town}",
        "A chemical spill at the {company} works near {town} killed {n} fish in the river "
        "{when}, inspectors said.",
        2000, 40000,
        "the {company} works near {town} had discharged waste into the river at night for months",
        "{person}, a local fisherman,",
        "{company}",
        "workers at the plant dumped barrels of solvent into a quarry near {town} {when}",
        "{company}",
    ),
    Template(
        "Hospital in {town} cancels operations",
        "The general hospital in {town} cancelled {n} operations {when} after its computer "
        "system failed.",
        30, 400,
        "the {town} hospital board had cut the budget for computer maintenance by half",
        "{person}, a surgeon at the hospital,",
        "The hospital board",
        "hackers broke into the records system of the {town} hospital {when}",
        "The hospital board",
    ),
]  # fmt: skip

KINDS = ("claim", "date", "quantity", "event")


def _on(day: dt.date) -> str:
    return f"on {MONTHS[day.month - 1]} {day.day}, {day.year}"


def _agreeing_when(day: dt.date, rng: random.Random) -> str:
    """Another article's words for the same date, often at a coarser precision."""
    return rng.choice([_on(day), _on(day), f"in {MONTHS[day.month - 1]} {day.year}"])


def _agreeing_number(n: int, rng: random.Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return str(n)
    if choice == 1:
        lower = max(1, n - max(1, n // 10))
        return f"more than {lower}"
    return f"about {n}"


def _fill(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _format_number(n: int) -> str:
    return f"{n:,}"


def generate(out: Path, stories: int = 16, seed: int = 11) -> Path:
    """Write the articles, ``manifest.json`` and ``planted.json`` into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    manifest: list[dict[str, object]] = []
    planted: list[dict[str, object]] = []
    story_docs: dict[str, list[str]] = {}
    towns = rng.sample(TOWNS, min(stories, len(TOWNS)))
    for s in range(stories):
        t = TEMPLATES[s % len(TEMPLATES)]
        town = towns[s % len(towns)]
        company = COMPANIES[s % len(COMPANIES)]
        person, person2 = rng.sample(PEOPLE, 2)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        n = rng.randint(t.unit_low, t.unit_high)
        reports = rng.choice([2, 3, 3])
        # Which details one article (the second) gets wrong, or denies; about a fifth of the
        # stories plant nothing and must stay undisputed.
        plan = [k for k in KINDS if rng.random() < 0.45] if rng.random() > 0.2 else []
        names = [f"s{s:02d}_{r}.txt" for r in range(reports)]
        story_docs[f"s{s:02d}"] = names
        for kind in plan:
            planted.append(
                {"kind": kind, "story": f"s{s:02d}", "documents": names, "odd": names[1]}
            )
        values = {"town": town, "company": company, "person": person, "person2": person2}
        for r, name in enumerate(names):
            odd = r == 1
            if odd and "date" in plan:
                when_day = day + dt.timedelta(days=rng.choice([-3, -2, 2, 3, 4]))
                when = _on(when_day)
            else:
                when = _on(day) if r == 0 else _agreeing_when(day, rng)
            if odd and "quantity" in plan:
                number = _format_number(max(1, round(n * rng.choice([0.6, 0.7, 1.4, 1.6]))))
            else:
                number = _format_number(n) if r == 0 else _agreeing_number(n, rng)
            lines = [_fill(t.headline, **values), ""]
            lines.append(_fill(t.happening, when=when, n=number, **values))
            lines.append("")
            if r != 1 or "claim" not in plan:
                # every article but the odd one repeats the claim (corroborating it)
                claimant = _fill(t.claimant, **values)
                lines.append(f"{claimant} said {_fill(t.claim, **values)}.")
            else:
                denier = _fill(t.denier, **values)
                lines.append(f"{denier} denied that {_fill(t.claim, **values)}.")
            lines.append("")
            second_when = _on(day)
            if "event" in plan and r == 0:
                second = _fill(t.second, when=second_when, **values)
                lines.append(f"Witnesses said {second}.")
            elif "event" in plan and r == 1:
                second = _fill(t.second, when=second_when, **values)
                lines.append(f"{_fill(t.second_denier, **values)} denied that {second}.")
            else:
                lines.append(
                    f"Officials in {town} said they would publish a report on the matter "
                    "within weeks."
                )
            lines.append(f"Reporting by {REPORTERS[(s + r) % len(REPORTERS)]}.")
            lines.append("")
            (out / name).write_text("\n".join(lines), encoding="utf-8")
            published = day + dt.timedelta(days=rng.randint(1, 5) + (4 if r == 1 else 0))
            manifest.append(
                {
                    "file": name,
                    "title": _fill(t.headline, **values),
                    "publisher": PUBLISHERS[r % len(PUBLISHERS)],
                    "published": published.isoformat(),
                }
            )
    (out / "manifest.json").write_text(
        json.dumps({"case": "Planted disagreements", "documents": manifest}, indent=1),
        encoding="utf-8",
    )
    (out / "planted.json").write_text(
        json.dumps({"planted": planted, "stories": story_docs}, indent=1), encoding="utf-8"
    )
    return out


def score(
    found: list[dict[str, object]], planted: list[dict[str, object]]
) -> dict[str, dict[str, float]]:
    """Precision and recall per kind (see the module docstring for what matches)."""
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        gold = [p for p in planted if p["kind"] == kind]
        mine = [f for f in found if f["kind"] == kind]
        used: set[int] = set()
        hits = 0
        for f in mine:
            docs = {str(s["document"]) for s in f["sides"]}  # type: ignore[attr-defined]
            for i, p in enumerate(gold):
                if i in used:
                    continue
                if docs <= set(p["documents"]) and p["odd"] in docs and len(docs) >= 2:  # type: ignore[call-overload, operator]
                    used.add(i)
                    hits += 1
                    break
        out[kind] = {
            "planted": len(gold),
            "found": len(mine),
            "right": hits,
            "precision": hits / len(mine) if mine else 1.0,
            "recall": hits / len(gold) if gold else 1.0,
        }
    return out


def run(stories: int, seed: int, keep: Path | None) -> dict[str, dict[str, float]]:
    from casedesk.cli import main as cli
    from casedesk.disputes import find_disputes
    from casedesk.store import Case

    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        data = generate(work / "articles", stories, seed)
        case_path = work / "planted.casedesk"
        case_path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        docs = sorted(str(p) for p in data.glob("*.txt"))
        code = cli(["new", str(case_path)])
        code = code or cli(
            ["import", str(case_path), *docs, "--manifest", str(data / "manifest.json"), "-q"]
        )
        if code:
            raise SystemExit(f"import failed ({code})")
        extracted = time.perf_counter() - t0
        with Case.open(case_path, readonly=True) as case:
            t1 = time.perf_counter()
            found = [d.as_json() for d in find_disputes(case)]
            took = time.perf_counter() - t1
        plan = json.loads((data / "planted.json").read_text(encoding="utf-8"))
        figures = score(found, plan["planted"])
        print(
            f"{len(docs)} articles in {stories} stories (seed {seed}); import and extraction "
            f"{extracted:.1f} s, finding disputes {took:.2f} s"
        )
        print(
            f"{'kind':10} {'planted':>8} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7}"
        )
        for kind, f in figures.items():
            print(
                f"{kind:10} {f['planted']:>8} {f['found']:>6} {f['right']:>6} "
                f"{f['precision']:>10.3f} {f['recall']:>7.3f}"
            )
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=16)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="keep the articles and the case in this folder")
    parser.add_argument("--generate", type=Path, help="only write the articles to this folder")
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.stories, args.seed)
        return
    run(args.stories, args.seed, args.keep)


if __name__ == "__main__":
    main()

"""Write N article-like documents of realistic shape, deterministically from a seed.

Each article has 300-900 words: a headline, a dateline, paragraphs mixing explicit and relative
dates, recurring people and organisations under alternate spellings, quantities, quotes with
their speakers, and some web-page debris (menus, share prompts, copyright lines). N = 10,000
gives about 30 MB of text. A manifest.json with publishers and publication dates sits beside
the articles, in the form ``casedesk import --manifest`` reads.

    python bench/generate.py OUT_DIR -n 10000 --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

# Each entity has a main spelling and the variants sources use for it.
PEOPLE = [
    ("Park Ji-hoon", ["Park Ji Hoon", "Park Ji-hun"]),
    ("Choi Min-seo", ["Choi Min Seo", "Choe Min-seo"]),
    ("Kang Hyun-woo", ["Kang Hyeon-woo", "Kang Hyun Woo"]),
    ("Jung Eun-ji", ["Jeong Eun-ji", "Jung Eun Ji"]),
    ("Takeshi Morita", ["Morita Takeshi"]),
    ("Haruka Ishikawa", ["Ishikawa Haruka"]),
    ("Kenji Watanabe", ["Watanabe Kenji"]),
    ("Maria Lindqvist", ["Maria Lindquist"]),
    ("Daniel Okafor", ["Dan Okafor"]),
    ("Elena Petrova", ["Yelena Petrova"]),
    ("Samuel Hartmann", ["Sam Hartmann"]),
    ("Lucia Fernandes", ["Lúcia Fernandes"]),
]
ROLES = [
    "trade minister",
    "deputy minister",
    "spokesperson",
    "chief negotiator",
    "director general",
    "senior economist",
    "chief executive",
    "union leader",
]
ORGS = [
    ("Ministry of Commerce and Industry", ["MCI", "Commerce and Industry Ministry"]),
    ("Ministry of Foreign Affairs", ["Foreign Ministry", "MOFA"]),
    ("Federal Trade Agency", ["FTA", "the trade agency"]),
    ("National Export Council", ["NEC", "the export council"]),
    ("Hanbit Semiconductor", ["Hanbit Semiconductor Co.", "Hanbit"]),
    ("Kiyomizu Chemical", ["Kiyomizu Chemical Industries", "Kiyomizu"]),
    ("Northern Steel Group", ["Northern Steel", "NSG"]),
    ("World Trade Organization", ["WTO"]),
    ("International Monetary Fund", ["IMF"]),
    ("Eastern Shipping Lines", ["Eastern Shipping"]),
]
PLACES = [
    "Seoul",
    "Tokyo",
    "Busan",
    "Osaka",
    "Geneva",
    "Brussels",
    "Singapore",
    "Jakarta",
    "Hanoi",
    "Berlin",
    "Washington",
    "Beijing",
    "Incheon",
    "Nagoya",
    "Rotterdam",
]
MATERIALS = [
    ("high-purity hydrogen fluoride", ["hydrogen fluoride"]),
    ("fluorinated polyimide", ["fluorine polyimide"]),
    ("photoresist", ["photoresists"]),
    ("silicon wafers", ["silicon wafer"]),
    ("lithium hydroxide", ["lithium hydroxide"]),
    ("rare earth magnets", ["rare-earth magnets"]),
    ("nickel sulfate", ["nickel sulphate"]),
    ("carbon fiber", ["carbon fibre"]),
]
PUBLISHERS = [
    "The Harbour Post",
    "Daily Ledger",
    "Northern Times",
    "Asia Business Wire",
    "The Morning Record",
    "Capital Economic Review",
    "Global Trade Journal",
]
TOPICS = [
    "export controls",
    "tariff talks",
    "supply chain review",
    "trade dispute",
    "investment screening",
    "shipping delays",
    "currency swap",
    "semiconductor output",
]
VERBS_PAST = [
    "announced",
    "confirmed",
    "rejected",
    "proposed",
    "postponed",
    "approved",
    "criticized",
    "welcomed",
    "suspended",
    "extended",
]
OBJECTS = [
    "new restrictions on {material}",
    "a review of {topic}",
    "talks on {topic}",
    "a plan to cut shipments of {material}",
    "an emergency fund of {money}",
    "tighter screening of {material} exports",
    "a deal with {org}",
    "a complaint to {org}",
]
DEBRIS_TOP = [
    "Skip to main content",
    "Home > News > Economy",
    "Menu  Search  Subscribe",
    "Business | Economy | Trade | Markets",
    "Sign in  Register",
]
DEBRIS_BOTTOM = [
    "Share this article",
    "Share on Facebook  Share on Twitter  Email",
    "Log in to comment",
    "Related Articles",
    "Most Read",
    "Latest News",
    "Copyright © {year} {publisher}. All rights reserved.",
    "Unauthorized reproduction and redistribution prohibited.",
]
UNRELATED = [
    "Heavy rain expected over the weekend",
    "Local team wins cup final",
    "City council approves new bus routes",
    "Museum reopens after renovation",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Article:
    def __init__(self, rng: random.Random, published: dt.date, publisher: str) -> None:
        self.rng = rng
        self.published = published
        self.publisher = publisher
        self.people = rng.sample(PEOPLE, 3)
        self.roles = rng.sample(ROLES, 3)
        self.orgs = rng.sample(ORGS, 3)
        self.places = rng.sample(PLACES, 3)
        self.materials = rng.sample(MATERIALS, 2)
        self.topic = rng.choice(TOPICS)
        self.named: set[str] = set()

    def person(self, i: int | None = None) -> str:
        rng = self.rng
        k = rng.randrange(3) if i is None else i
        name, variants = self.people[k]
        if name in self.named:
            choice = rng.random()
            if choice < 0.4:
                return name.split()[0] if "-" in name else name.split()[-1]
            if choice < 0.6:
                return rng.choice(variants)
            return name
        self.named.add(name)
        return f"{self.roles[k].capitalize()} {name}"

    def org(self) -> str:
        name, variants = self.rng.choice(self.orgs)
        return name if self.rng.random() < 0.6 else self.rng.choice(variants)

    def material(self) -> str:
        name, variants = self.rng.choice(self.materials)
        return name if self.rng.random() < 0.7 else self.rng.choice(variants)

    def explicit_date(self) -> str:
        d = self.published - dt.timedelta(days=self.rng.randrange(1, 400))
        if self.rng.random() < 0.5:
            return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
        return f"{MONTHS[d.month - 1]} {d.day}"

    def relative_date(self) -> str:
        return self.rng.choice(
            [
                f"on {WEEKDAYS[(self.published.weekday() - self.rng.randrange(1, 6)) % 7]}",
                "last week",
                "last month",
                "earlier this year",
                "last year",
                f"in {MONTHS[self.rng.randrange(12)]}",
                "the previous day",
                "on Monday",
                f"in mid-{MONTHS[self.rng.randrange(12)]}",
                "next month",
                "next week",
            ]
        )

    def quantity(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                f"{rng.randrange(2, 300)} companies",
                f"{rng.randrange(2, 60)} percent",
                f"{rng.randrange(2, 40)} countries",
                f"{rng.randrange(100, 9000):,} tons",
                f"{rng.randrange(2, 30)} days",
                f"more than {rng.randrange(10, 500)} cases",
                f"{rng.randrange(1, 90)} billion won",
            ]
        )

    def obj(self) -> str:
        return self.rng.choice(OBJECTS).format(
            material=self.material(),
            topic=self.topic,
            org=self.org(),
            money=f"${self.rng.randrange(1, 900)} million",
        )

    def sentence(self) -> str:
        rng = self.rng
        form = rng.randrange(7)
        if form == 0:
            return (
                f"{self.org()} {rng.choice(VERBS_PAST)} {self.obj()} "
                f"{self.relative_date()}, officials in {rng.choice(self.places)} said."
            )
        if form == 1:
            return (
                f"\u201cWe will not accept {self.obj()},\u201d {self.person()} said "
                f"{self.relative_date()}."
            )
        if form == 2:
            return (
                f"According to {self.org()}, shipments of {self.material()} fell by "
                f"{rng.randrange(2, 60)} percent after {self.explicit_date()}."
            )
        if form == 3:
            return (
                f"{self.person()} met officials from {self.org()} in "
                f"{rng.choice(self.places)} on {self.explicit_date()} to discuss "
                f"{self.topic}."
            )
        if form == 4:
            return (
                f"The measures affect {self.quantity()} and could last "
                f"{rng.choice(['three years', 'six months', 'two weeks', '90 days'])}, "
                f"analysts said."
            )
        if form == 5:
            return (
                f"{self.person()} said the government {rng.choice(VERBS_PAST)} "
                f"{self.obj()} {self.relative_date()}."
            )
        first, second = rng.sample(self.orgs, 2)
        return (
            f"Talks between {first[0]} and {second[0]} are expected to resume "
            f"{rng.choice(['next week', 'next month', 'on Thursday', 'in the autumn'])} "
            f"in {rng.choice(self.places)}."
        )

    def render(self) -> tuple[str, str]:
        rng = self.rng
        target = int(rng.triangular(300, 900, 350))
        title = (f"{self.org()} {rng.choice(VERBS_PAST)} {self.obj()}").replace("  ", " ")
        title = title[0].upper() + title[1:]
        lines: list[str] = []
        if rng.random() < 0.6:
            lines += rng.sample(DEBRIS_TOP, rng.randrange(1, 3))
        lines.append(title)
        dateline = f"{rng.choice(self.places).upper()} -- "
        words = 0
        first = True
        while words < target:
            para = " ".join(self.sentence() for _ in range(rng.randrange(2, 5)))
            if first:
                para = dateline + para
                first = False
            lines.append(para)
            words += len(para.split())
            if rng.random() < 0.04:
                lines.append(rng.choice(UNRELATED))
        if rng.random() < 0.7:
            tail = rng.sample(DEBRIS_BOTTOM, rng.randrange(1, 4))
            lines += [t.format(year=self.published.year, publisher=self.publisher) for t in tail]
        return title, "\n\n".join(lines) + "\n"


def generate(out: Path, n: int, seed: int = 7) -> Path:
    """Write ``n`` articles and their manifest into ``out``; return the manifest's path."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2018, 1, 1)
    documents = []
    for i in range(n):
        published = start + dt.timedelta(days=rng.randrange(0, 365 * 3))
        publisher = rng.choice(PUBLISHERS)
        article = Article(random.Random(rng.getrandbits(64)), published, publisher)
        title, text = article.render()
        name = f"article_{i:05d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        documents.append(
            {
                "file": name,
                "title": title,
                "publisher": publisher,
                "published": published.isoformat(),
                "language": "en",
            }
        )
    manifest = out / "manifest.json"
    manifest.write_text(
        json.dumps(
            {"case": f"Generated case ({n} documents, seed {seed})", "documents": documents},
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    manifest = generate(args.out, args.n, args.seed)
    size = sum(p.stat().st_size for p in args.out.glob("*.txt"))
    print(f"wrote {args.n} documents, {size / 1e6:.1f} MB of text; manifest {manifest}")


if __name__ == "__main__":
    main()

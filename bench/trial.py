"""The new-user trial: a fresh case of short news articles, scored by the failure classes of news.

``tests/data/trial/articles/`` holds nine short articles about an invented drug recall, written
for this trial with wire-style page furniture (bylines, credits, reading times, share labels, an
undated article with a dateline); ``tests/data/trial/gold.json`` holds what a journalist expects
of them, written before Casedesk was first run on them. The case is made with the command-line
tool as a user would (``casedesk new``, ``import``, ``list``, ``facts``, ``timeline``) and
scored by class:

* published: each document's publication date (given by a "Published" line, or inferred);
* dates: each relative date ("yesterday", "on Thursday", "next month") resolved to its value;
* debris: page-furniture lines that hold no fact of any kind;
* events: a dated event from the document whose title holds one of the happening's words;
* claims: the claim holding the words has the expected speaker and polarity ("none": no claim
  may hold them);
* kinds: every mention of a name has the expected kind;
* identity: every spelling of one entity resolves to one entity.

Run:  python bench/trial.py            (from the repository root, in the project's venv)
      python bench/trial.py --show     (also list each miss)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TRIAL = ROOT / "tests" / "data" / "trial"
CLASSES = ("published", "dates", "debris", "events", "claims", "kinds", "identity")


def _cli(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "gui"))
    out = subprocess.run(
        [sys.executable, "-m", "casedesk", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_case(case: Path, articles: Path) -> dict[str, Any]:
    """Make the case from the articles with the CLI; return its documents, facts and timeline."""
    _cli("new", str(case))
    _cli("import", "-q", str(case), str(articles))
    return {
        "documents": _jsonl(_cli("list", "--format", "jsonl", str(case))),
        "facts": _jsonl(_cli("facts", "--format", "jsonl", str(case))),
        "timeline": _jsonl(_cli("timeline", "--format", "jsonl", str(case))),
    }


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    out, i = [], text.find(phrase)
    while i >= 0:
        out.append((i, i + len(phrase)))
        i = text.find(phrase, i + 1)
    return out


def score(
    result: dict[str, Any], gold: dict[str, Any], texts: dict[str, str]
) -> dict[str, tuple[int, int, list[str]]]:
    """Per class: (right, total, misses)."""
    facts = result["facts"]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in facts:
        by_doc.setdefault(f["document"], []).append(f)
    out: dict[str, tuple[int, int, list[str]]] = {}

    published = {d["document"]: d["published"] for d in result["documents"]}
    misses = [
        f"{doc}: {published.get(doc)} (expected {want})"
        for doc, want in gold["published"].items()
        if published.get(doc) != want
    ]
    out["published"] = (len(gold["published"]) - len(misses), len(gold["published"]), misses)

    misses = []
    for doc, phrase, want in gold["dates"]:
        span = _spans(texts[doc], phrase)[0]
        got = [
            f["value"]
            for f in by_doc.get(doc, [])
            if f["kind"] in ("date", "duration") and _overlap(span, (f["start"], f["end"]))
        ]
        if want not in got:
            misses.append(f"{doc}: '{phrase}' -> {got or 'no date'} (expected {want})")
    out["dates"] = (len(gold["dates"]) - len(misses), len(gold["dates"]), misses)

    total, misses = 0, []
    for doc, text in texts.items():
        for line in gold["debris"]:
            for span in _spans(text, line):
                if span[1] < len(text) and text[span[1]] not in "\n":
                    continue  # a prefix of a longer line ("By Mirela Toth, ...")
                total += 1
                hit = [
                    f"{f['kind']} '{f['text']}'"
                    for f in by_doc.get(doc, [])
                    if _overlap(span, (f["start"], f["end"]))
                ]
                if hit:
                    misses.append(f"{doc}: '{line}' -> {', '.join(hit)}")
    out["debris"] = (total - len(misses), total, misses)

    misses = []
    for doc, date, words in gold["events"]:
        titles = [
            e["title"]
            for e in result["timeline"]
            if e["date"] == date and any(s["document"] == doc for s in e["sources"])
        ]
        if not any(w.lower() in t.lower() for t in titles for w in words):
            misses.append(f"{doc}: {date} {words} -> {titles}")
    out["events"] = (len(gold["events"]) - len(misses), len(gold["events"]), misses)

    # the n-th line with the same words holds their n-th occurrence
    misses, seen = [], dict[tuple[str, str], int]()
    for doc, speaker, polarity, content in gold["claims"]:
        nth = seen[doc, content] = seen.get((doc, content), -1) + 1
        span = _spans(texts[doc], content)[nth]
        claims = [
            f
            for f in by_doc.get(doc, [])
            if f["kind"] == "claim" and _overlap(span, (f["start"], f["end"]))
        ]
        if polarity == "none":
            if claims:
                misses.append(f"{doc}: '{content}' held by {claims[0]['polarity']} claim")
            continue
        names = [n.lower() for n in gold["speakers"][speaker]]

        def speaker_ok(f: dict[str, Any], names: list[str] = names) -> bool:
            said = f"{f['value'] or ''} {f['entity'] or ''}".lower()
            return any(n in said for n in names)

        claims.sort(key=lambda f: (not speaker_ok(f), -_overlap(span, (f["start"], f["end"]))))
        if not claims:
            misses.append(f"{doc}: '{content}' no claim")
        elif not speaker_ok(claims[0]) or claims[0]["polarity"] != polarity:
            c = claims[0]
            misses.append(
                f"{doc}: '{content}' -> {c['value']!r} {c['polarity']} "
                f"(expected {speaker} {polarity})"
            )
    out["claims"] = (len(gold["claims"]) - len(misses), len(gold["claims"]), misses)

    entity_kinds = ("person", "organization", "place", "material")
    misses = []
    for name, kind in gold["kinds"].items():
        got = sorted({f["kind"] for f in facts if f["text"] == name and f["kind"] in entity_kinds})
        if got != [kind]:
            misses.append(f"'{name}' -> {got or 'not found'} (expected {kind})")
    out["kinds"] = (len(gold["kinds"]) - len(misses), len(gold["kinds"]), misses)

    misses = []
    for group in gold["identity"]:
        ids = {
            n: {f["entity_id"] for f in facts if f["text"] == n and f["entity_id"]} for n in group
        }
        found = set().union(*ids.values())
        if len(found) != 1 or not all(ids.values()):
            misses.append(f"{group} -> {ids}")
    out["identity"] = (len(gold["identity"]) - len(misses), len(gold["identity"]), misses)
    return out


def measure(trial: Path = TRIAL) -> dict[str, tuple[int, int, list[str]]]:
    gold = json.loads((trial / "gold.json").read_text(encoding="utf-8"))
    articles = trial / "articles"
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))}
    with tempfile.TemporaryDirectory() as tmp:
        result = run_case(Path(tmp) / "trial.case", articles)
    return score(result, gold, texts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="list each miss")
    args = ap.parse_args(argv)
    scores = measure()
    for cls in CLASSES:
        right, total, misses = scores[cls]
        print(f"{cls:10s} {right:3d}/{total:<3d}")
        if args.show:
            for m in misses:
                print(f"    {m}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

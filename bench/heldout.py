"""Held-out evaluation: extraction scored on articles written apart from the sample.

The set is ``tests/data/heldout/``: eight news articles on other topics (``*.txt``), their
``manifest.json`` (publisher, publication date), the hand annotation ``annotations.txt`` and
what it compiles to, ``gold.jsonl`` (one mention per line, character offsets into the stored
text) and ``events.json`` (happenings that several articles report). Guidelines and figures:
``/work/team/readme/heldout.md`` (README section).

The articles are imported into a temporary case with the manifest and extracted with
``casedesk.extract.pipeline.extract_documents`` (the whole pipeline, one worker). Printed:

* per kind (date, duration, person, organization, place, material, quantity): precision,
  recall and F1 by exact span and by overlap (one-to-one); for dates and durations also the
  value figures (an overlap match whose normalised value equals the gold value, TempEval-3
  style). A system mention inside a gold debris line is not scored (it is counted); a system
  quantity over a gold duration ("14 days") is neither right nor wrong;
* alias merges: over the distinct names the system found (a gold entity's surface form,
  mapped to the system entity most of its mentions got), pairwise precision and recall of
  "same entity", with every wrong and missed merge listed;
* corroboration: for each gold happening, which of its sources a system event covers and
  whether one timeline item holds them all; pairwise precision of the system's cross-document
  events;
* claims: a system claim matches a gold one (``claims.json``) when it overlaps the gold
  sentence and the speakers agree; every claim found is listed with its speaker;
* throughput in words per second of the extraction (the spaCy model is loaded before timing).

Run:  python bench/heldout.py                 (from the repository root, in the project's venv)
      python bench/heldout.py --show          (also list every miss and false alarm)
      python bench/heldout.py --build-gold    (recompile gold.jsonl / events.json)
      python bench/heldout.py --data tests/data/heldout2   (the second set, same format;
                                              guidelines and figures: /work/team/readme/heldout2.md)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.ingest.importer import import_paths  # noqa: E402
from casedesk.store import Case  # noqa: E402

DATA = ROOT / "tests" / "data" / "heldout"
KINDS = ("date", "duration", "person", "organization", "place", "material", "quantity")
ENTITY_KINDS = ("person", "organization", "place", "material")
VALUE_KINDS = ("date", "duration")
GROUP = {k: "time" if k in VALUE_KINDS else "name" if k in ENTITY_KINDS else k for k in KINDS}


# --------------------------------------------------------------------------- loading


def import_set(
    folder: Path,
) -> tuple[Case, dict[str, int], dict[str, str], tempfile.TemporaryDirectory[str]]:
    """Import the articles into a new case in a temporary folder."""
    tmp = tempfile.TemporaryDirectory(prefix="casedesk-heldout-")
    case = Case.create(Path(tmp.name) / "heldout.casedesk")
    manifest = folder / "manifest.json"
    listed = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    report = import_paths(case, [folder / d["file"] for d in listed], manifest=manifest)
    if report.failed:
        raise SystemExit(f"{folder}: import failed: {report.failed}")
    ids: dict[str, int] = {}
    texts: dict[str, str] = {}
    for doc_id, name, text in case.conn.execute("SELECT id, file_name, text FROM documents"):
        ids[name] = int(doc_id)
        texts[name] = text
    return case, ids, texts, tmp


def read_gold(
    folder: Path,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    claims = json.loads((folder / "claims.json").read_text(encoding="utf-8"))
    return gold, events, claims


# --------------------------------------------------------------------------- gold building


def _line_span(text: str, prefix: str, where: str) -> tuple[int, int]:
    for m in re.finditer(r"^.*$", text, re.M):
        if m.group().startswith(prefix):
            return m.start(), m.end()
    raise SystemExit(f"{where}: no line starts with {prefix!r}")


_TITLES = ("Dr", "Mr", "Mrs", "Ms", "St")


def _ends_sentence(text: str, i: int, feb: bool = True) -> bool:
    """Whether the . ! or ? at ``text[i]`` ends a sentence: it is followed by a space (or the
    end) and then a capital, a digit or a quote, and is not the full stop of a capital initial
    ("U.S."), of "Feb." or of a title ("Dr. Karen Whitlock"). "6 p.m. on Friday" and "Md. -"
    go on. ``feb=False`` keeps the first set's compiled gold as it was (its backward scan never
    recognised "Feb.")."""
    if i + 1 < len(text) and text[i + 1] not in " \n":
        return False
    if i > 0 and text[i - 1].isupper() or (feb and text[i - 3 : i] == "Feb"):
        return False
    if text[i] == "." and re.search(r"(?<!\w)(?:" + "|".join(_TITLES) + r")$", text[:i]):
        return False
    nxt = text[i + 1 : i + 3].lstrip(" ")[:1]
    return not nxt or nxt == "\n" or nxt.isupper() or nxt.isdigit() or nxt in "\"'\u201c\u2018("


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around a span: cut after . ! ? that end a sentence, and at
    newlines."""
    lo = start
    while lo > 0 and text[lo - 1] != "\n":
        if (
            text[lo - 1] == " "
            and lo >= 3
            and text[lo - 2] in ".!?"
            and _ends_sentence(text, lo - 2, feb=False)
        ):
            break
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] != "\n":
        if text[hi] in ".!?" and _ends_sentence(text, hi):
            hi += 1
            break
        hi += 1
    return lo, hi


def build_gold(folder: Path, texts: dict[str, str]) -> None:
    """Compile annotations.txt into gold.jsonl and events.json, checking every line."""
    source = folder / "annotations.txt"
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    events: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    current: str | None = None
    problems: list[str] = []
    entries: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    debris: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        where = f"{source.name}:{n}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("@file "):
            current = line[6:].strip()
            if current not in texts:
                raise SystemExit(f"{where}: unknown file {current!r}")
            continue
        if line.startswith("@event "):
            ev_id, date, title = (p.strip() for p in line[7:].split(" | ", 2))
            events.append({"id": ev_id, "date": date, "title": title, "sources": []})
            continue
        if line.startswith("source | "):
            _, name, snippet = (p.strip() for p in line.split(" | ", 2))
            if name not in texts:
                raise SystemExit(f"{where}: unknown file {name!r}")
            at = texts[name].find(snippet)
            if at < 0:
                raise SystemExit(f"{where}: {snippet!r} is not in {name}")
            lo, hi = _sentence(texts[name], at, at + len(snippet))
            events[-1]["sources"].append(
                {"file": name, "start": lo, "end": hi, "text": texts[name][lo:hi]}
            )
            continue
        if line.startswith("claim | "):
            _, name, snippet, speakers = (p.strip() for p in line.split(" | ", 3))
            if name not in texts:
                raise SystemExit(f"{where}: unknown file {name!r}")
            at = texts[name].find(snippet)
            if at < 0:
                raise SystemExit(f"{where}: {snippet!r} is not in {name}")
            lo, hi = _sentence(texts[name], at, at + len(snippet))
            claims.append(
                {
                    "file": name,
                    "start": lo,
                    "end": hi,
                    "text": texts[name][lo:hi],
                    "speakers": [x.strip() for x in speakers.split(" / ")],
                }
            )
            continue
        if current is None:
            raise SystemExit(f"{where}: annotation before any @file line")
        if line.startswith("debris | "):
            debris[current].append(_line_span(texts[current], line[9:], where))
            continue
        parts = [p.strip() for p in line.split("|")]
        entries[current].append((n, parts))
    for name, items in entries.items():
        text = texts[name]
        cands: list[tuple[int, int, int, list[str]]] = []  # start, end, line, parts
        for n, parts in items:
            kind, surface = parts[0], parts[1]
            if kind not in KINDS:
                problems.append(f"{source.name}:{n}: unknown kind {kind!r}")
                continue
            found = [
                (m.start(), m.end())
                for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text)
                if not any(s <= m.start() < e for s, e in debris[name])
            ]
            if not found:
                problems.append(f"{source.name}:{n}: {surface!r} not found in {name}")
            cands.extend((s, e, n, parts) for s, e in found)
        # A string inside a longer annotated span of its group is part of that mention, not one
        # of its own ("Seoul" in "Seoul High Court"); a name inside a quantity ("four more
        # NDRF teams") is a mention of its own.
        kept = [
            c
            for c in cands
            if not any(
                o[0] <= c[0]
                and c[1] <= o[1]
                and (o[1] - o[0]) > (c[1] - c[0])
                and GROUP[o[3][0]] == GROUP[c[3][0]]
                for o in cands
            )
        ]
        by_line: dict[int, list[tuple[int, int, int, list[str]]]] = defaultdict(list)
        for c in sorted(kept):
            by_line[c[2]].append(c)
        for n, parts in items:
            chosen = by_line.get(n, [])
            if len(parts) > 3 and parts[3]:
                wanted = {int(x) for x in parts[3].split(",")}
                if max(wanted) > len(chosen):
                    problems.append(f"{source.name}:{n}: only {len(chosen)} occurrences")
                chosen = [c for i, c in enumerate(chosen, 1) if i in wanted]
            elif parts[1:2] and not chosen and parts[1] in text:
                problems.append(f"{source.name}:{n}: every occurrence is inside a longer span")
            for s, e, _, _ in chosen:
                kind = parts[0]
                row: dict[str, Any] = {
                    "file": name,
                    "start": s,
                    "end": e,
                    "text": text[s:e],
                    "kind": kind,
                }
                third = parts[2] if len(parts) > 2 else ""
                if kind in VALUE_KINDS:
                    row["value"] = third
                elif kind in ENTITY_KINDS:
                    row["entity"] = third or text[s:e]
                rows[name].append(row)
        for group in set(GROUP.values()):
            spans = sorted((r["start"], r["end"]) for r in rows[name] if GROUP[r["kind"]] == group)
            for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
                if s2 < e1:
                    problems.append(f"{name}: overlapping spans {text[s1:e1]!r} {text[s2:e2]!r}")
        for s, e in debris[name]:
            rows[name].append(
                {"file": name, "start": s, "end": e, "text": text[s:e], "kind": "debris"}
            )
    if problems:
        raise SystemExit("annotation problems:\n  " + "\n  ".join(problems))
    with (folder / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for name in sorted(rows):
            for row in sorted(rows[name], key=lambda r: (r["start"], r["end"])):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (folder / "events.json").write_text(
        json.dumps(events, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (folder / "claims.json").write_text(
        json.dumps(claims, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    total = Counter(r["kind"] for rs in rows.values() for r in rs)
    print(f"wrote {folder / 'gold.jsonl'}: {dict(sorted(total.items()))}")
    print(f"wrote {folder / 'events.json'}: {len(events)} happenings")
    print(f"wrote {folder / 'claims.json'}: {len(claims)} claims")


# --------------------------------------------------------------------------- scoring


@dataclass
class Sys:
    fact_id: int
    file: str
    kind: str
    start: int
    end: int
    text: str
    value: str | None
    entity_id: int | None
    attrs: dict[str, Any]


def prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def overlap_match(
    gold: list[dict[str, Any]], system: list[Sys]
) -> tuple[dict[int, int], set[tuple[int, int]]]:
    """One-to-one matching of overlapping spans in the same file (exact pairs first)."""
    exact = {
        (i, j)
        for i, g in enumerate(gold)
        for j, s in enumerate(system)
        if g["file"] == s.file and g["start"] == s.start and g["end"] == s.end
    }
    pairs: list[tuple[int, int, int]] = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            if g["file"] == s.file and s.start < g["end"] and g["start"] < s.end:
                shared = min(g["end"], s.end) - max(g["start"], s.start)
                pairs.append((-(10**6 if (i, j) in exact else shared), i, j))
    match: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(pairs):
        if i not in match and j not in used:
            match[i] = j
            used.add(j)
    return match, exact


def in_spans(s: Sys, spans: list[dict[str, Any]]) -> bool:
    return any(d["file"] == s.file and d["start"] <= s.start and s.end <= d["end"] for d in spans)


def ctx(texts: dict[str, str], file: str, start: int, end: int, width: int = 40) -> str:
    t = texts[file]
    left = t[max(0, start - width) : start].replace("\n", " ")
    right = t[end : end + width].replace("\n", " ")
    return f"...{left}[{t[start:end]}]{right}..."


def score_kinds(
    gold: list[dict[str, Any]], system: list[Sys], texts: dict[str, str], show: bool
) -> dict[str, Any]:
    debris = [g for g in gold if g["kind"] == "debris"]
    durations = [g for g in gold if g["kind"] == "duration"]
    results: dict[str, Any] = {}
    misses: dict[str, list[str]] = {}
    print("\n== Mentions per kind ==")
    print(
        f"{'kind':<13}{'gold':>5}{'sys':>5} | {'exact P':>8}{'R':>6}{'F1':>6} |"
        f" {'overlap P':>9}{'R':>6}{'F1':>6} | {'value P':>8}{'R':>6}{'F1':>6}"
    )
    for kind in KINDS:
        g = [x for x in gold if x["kind"] == kind]
        s_all = [x for x in system if x.kind == kind]
        s = [x for x in s_all if not in_spans(x, debris)]
        in_debris = len(s_all) - len(s)
        neutral = 0
        if kind == "quantity":
            # "14 days" is both a quantity and a duration: a quantity there is not wrong.
            kept = []
            for x in s:
                if any(
                    d["file"] == x.file and x.start < d["end"] and d["start"] < x.end
                    for d in durations
                ) and not any(
                    q["file"] == x.file and x.start < q["end"] and q["start"] < x.end for q in g
                ):
                    neutral += 1
                else:
                    kept.append(x)
            s = kept
        match, exact = overlap_match(g, s)
        ex = prf(len(exact), len(s), len(exact), len(g))
        ov = prf(len(match), len(s), len(match), len(g))
        line = (
            f"{kind:<13}{len(g):>5}{len(s):>5} | {ex[0]:>8.3f}{ex[1]:>6.3f}{ex[2]:>6.3f} |"
            f" {ov[0]:>9.3f}{ov[1]:>6.3f}{ov[2]:>6.3f} |"
        )
        val = None
        if kind in VALUE_KINDS:
            good = sum(1 for i, j in match.items() if s[j].value == g[i]["value"])
            val = prf(good, len(s), good, len(g))
            line += f" {val[0]:>8.3f}{val[1]:>6.3f}{val[2]:>6.3f}"
        notes = []
        if in_debris:
            notes.append(f"{in_debris} in debris not scored")
        if neutral:
            notes.append(f"{neutral} on gold durations not scored")
        if notes:
            line += "  (" + "; ".join(notes) + ")"
        print(line)
        results[kind] = {"gold": len(g), "sys": len(s), "exact": ex, "overlap": ov, "value": val}
        out: list[str] = []
        matched_sys = set(match.values())
        for i, gm in enumerate(g):
            if i not in match:
                other = [
                    y
                    for y in system
                    if y.file == gm["file"]
                    and y.kind != kind
                    and y.kind in KINDS
                    and y.start < gm["end"]
                    and gm["start"] < y.end
                ]
                as_ = f"  (found as {other[0].kind} {other[0].text!r})" if other else ""
                out.append(
                    f"  MISS {gm['file'][:2]} {ctx(texts, gm['file'], gm['start'], gm['end'])}{as_}"
                )
            elif kind in VALUE_KINDS and s[match[i]].value != gm["value"]:
                y = s[match[i]]
                out.append(
                    f"  VALUE {gm['file'][:2]} {gm['text']!r} gold {gm['value']} got {y.value}"
                    f" ({y.text!r})"
                )
            elif (s[match[i]].start, s[match[i]].end) != (gm["start"], gm["end"]):
                out.append(f"  SPAN {gm['file'][:2]} gold {gm['text']!r} got {s[match[i]].text!r}")
        for j, sm in enumerate(s):
            if j not in matched_sys:
                gk = [
                    z["kind"]
                    for z in gold
                    if z["file"] == sm.file
                    and z["kind"] != "debris"
                    and sm.start < z["end"]
                    and z["start"] < sm.end
                ]
                tag = f"  (gold {gk[0]})" if gk else ""
                out.append(
                    f"  FALSE {sm.file[:2]} {ctx(texts, sm.file, sm.start, sm.end)}"
                    f" value={sm.value}{tag}"
                )
        misses[kind] = out
    if show:
        for kind in KINDS:
            if misses[kind]:
                print(
                    f"\n-- {kind}: misses (MISS), wrong values (VALUE), spans (SPAN), false (FALSE)"
                )
                print("\n".join(misses[kind]))
    results["_misses"] = misses
    return results


def score_merges(gold: list[dict[str, Any]], system: list[Sys], texts: dict[str, str]) -> None:
    print("\n== Alias merges (entities across the case) ==")
    names = [g for g in gold if g["kind"] in ENTITY_KINDS]
    sys_ent = [s for s in system if s.kind in ENTITY_KINDS and s.entity_id is not None]
    match, _ = overlap_match(names, sys_ent)
    votes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for i, j in match.items():
        g = names[i]
        votes[(g["entity"], g["text"])][sys_ent[j].entity_id or 0] += 1
    units = sorted((k, v.most_common(1)[0][0]) for k, v in votes.items())
    all_units = {(g["entity"], g["text"]) for g in names}
    tp = fp = fn = 0
    wrong: list[str] = []
    missed: list[str] = []
    for (a, ea), (b, eb) in combinations(units, 2):
        same_gold = a[0] == b[0]
        same_sys = ea == eb
        if same_sys and same_gold:
            tp += 1
        elif same_sys:
            fp += 1
            wrong.append(f"  WRONG MERGE {a[1]!r} ({a[0]}) + {b[1]!r} ({b[0]})")
        elif same_gold:
            fn += 1
            missed.append(f"  MISSED MERGE {a[1]!r} + {b[1]!r} (both {a[0]})")
    p, r, f = prf(tp, tp + fp, tp, tp + fn)
    print(
        f"names found {len(units)} of {len(all_units)} distinct gold names;"
        f" gold same-entity pairs among them {tp + fn}"
    )
    print(
        f"pairwise merge precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})"
    )
    for line in wrong + missed:
        print(line)


def score_corroboration(
    events: list[dict[str, Any]], case: Case, ids: dict[str, int], texts: dict[str, str]
) -> None:
    print("\n== Corroboration (happenings reported by several articles) ==")
    names = {v: k for k, v in ids.items()}
    rows = case.conn.execute(
        "SELECT e.id, e.date, e.title, f.document_id, f.start, f.end FROM events e"
        " JOIN event_sources es ON es.event_id = e.id JOIN facts f ON f.id = es.fact_id"
    ).fetchall()
    by_event: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    info: dict[int, tuple[str, str]] = {}
    for ev, date, title, doc, s, e in rows:
        by_event[ev].append((names[doc], s, e))
        info[ev] = (date, title)

    def covers(src: dict[str, Any], f: tuple[str, int, int]) -> bool:
        return bool(f[0] == src["file"] and f[1] < src["end"] and src["start"] < f[2])

    full = 0
    pairs_total = pairs_hit = 0
    for gev in events:
        srcs = gev["sources"]
        covering = [
            {ev for ev, facts in by_event.items() if any(covers(src, f) for f in facts)}
            for src in srcs
        ]
        common = set.intersection(*covering) if covering else set()
        found = sum(1 for c in covering if c)
        one = bool(common)
        full += one
        for a, b in combinations(range(len(srcs)), 2):
            pairs_total += 1
            pairs_hit += bool(covering[a] & covering[b])
        mark = (
            "ONE ITEM"
            if one
            else "split"
            if found > 1
            else "missing"
            if not found
            else "one source"
        )
        print(f"  {gev['id']:<22} {gev['date']:<11} sources found {found}/{len(srcs)}  {mark}")
        for src, c in zip(srcs, covering, strict=True):
            got = "; ".join(f"#{ev} {info[ev][0]} {info[ev][1]!r}" for ev in sorted(c)) or "-"
            print(f"      {src['file'][:2]}: {got}")
    print(
        f"gold happenings on one timeline item with every source: {full}/{len(events)};"
        f" source pairs joined {pairs_hit}/{pairs_total}"
    )
    # Precision: cross-document pairs of sources the system joined.
    cross = good = 0
    joined: list[str] = []
    for ev, facts in sorted(by_event.items()):
        docs = {f[0] for f in facts}
        if len(docs) < 2:
            continue
        for f1, f2 in combinations(facts, 2):
            if f1[0] == f2[0]:
                continue
            cross += 1
            ok = any(
                any(covers(s, f1) for s in g["sources"])
                and any(covers(s, f2) for s in g["sources"])
                for g in events
            )
            good += ok
        joined.append(
            f"  #{ev} {info[ev][0]} {info[ev][1]!r} <- "
            + ", ".join(f"{f[0][:2]}:{texts[f[0]][f[1] : f[2]][:50]!r}" for f in facts)
        )
    p = good / cross if cross else 0.0
    n_multi = len(joined)
    print(
        f"system events with sources in 2+ articles: {n_multi}; cross-article source pairs"
        f" {cross}, of which in one gold happening {good} (precision {p:.3f})"
    )
    for line in joined:
        print(line)
    n_events = len(by_event)
    print(f"system timeline items: {n_events}")


def _same_speaker(system: str | None, names: list[str]) -> bool:
    got = (system or "").casefold()
    return bool(got) and any(n.casefold() in got or got in n.casefold() for n in names)


def score_claims(gold: list[dict[str, Any]], system: list[Sys], texts: dict[str, str]) -> None:
    """A system claim matches a gold one when it overlaps the gold sentence and the speakers
    agree (one-to-one); every system claim is listed with its verdict."""
    claims = [s for s in system if s.kind == "claim"]
    print(f"\n== Claims: {len(gold)} gold, {len(claims)} found ==")
    pairs = []
    for i, g in enumerate(gold):
        for j, c in enumerate(claims):
            if c.file == g["file"] and c.start < g["end"] and g["start"] < c.end:
                pairs.append((not _same_speaker(c.value, g["speakers"]), i, j))
    match: dict[int, int] = {}
    wrong_speaker: dict[int, int] = {}
    used: set[int] = set()
    for bad, i, j in sorted(pairs):
        if i in match or i in wrong_speaker or j in used:
            continue
        (wrong_speaker if bad else match)[i] = j
        used.add(j)
    p, r, f = prf(len(match), len(claims), len(match), len(gold))
    q, rr, ff = prf(
        len(match) + len(wrong_speaker), len(claims), len(match) + len(wrong_speaker), len(gold)
    )
    print(f"claim and speaker: precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"claim, any speaker: precision {q:.3f}  recall {rr:.3f}  F1 {ff:.3f}")
    verdict = {j: "ok" for j in match.values()} | {j: "SPEAKER" for j in wrong_speaker.values()}
    gold_of = {j: gold[i] for i, j in wrong_speaker.items()}
    for j, c in enumerate(claims):
        quote = texts[c.file][c.start : c.end].replace("\n", " ")
        if len(quote) > 70:
            quote = quote[:67] + "..."
        mark = verdict.get(j, "FALSE")
        should = f"  (gold: {' / '.join(gold_of[j]['speakers'])})" if j in gold_of else ""
        print(f"  {mark:<7} {c.file[:2]} {c.value or '?':<30} {quote!r}{should}")
    for i, g in enumerate(gold):
        if i not in match and i not in wrong_speaker:
            print(f"  MISSED  {g['file'][:2]} {' / '.join(g['speakers']):<30} {g['text'][:70]!r}")


# --------------------------------------------------------------------------- main


def git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_extraction(case: Case, ids: dict[str, int]) -> tuple[float, float, str]:
    """Extract every document; return (wall seconds, CPU seconds, how)."""
    try:
        from casedesk.extract.pipeline import extract_documents
    except ImportError as exc:  # the pipeline is the thing measured: say so rather than guess
        raise SystemExit(f"casedesk.extract.pipeline is not importable ({exc})") from None
    from casedesk.extract.nlp import get_nlp

    get_nlp()  # the model load is not extraction time
    wall, cpu = time.perf_counter(), time.process_time()
    stats = extract_documents(case, [ids[k] for k in sorted(ids)], workers=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    errors = [s for s in stats if s.error]
    for s in errors:
        print(f"extraction error in document {s.document_id}: {s.error}")
    return wall, cpu, "extract_documents(workers=1)"


def system_facts(case: Case, ids: dict[str, int]) -> list[Sys]:
    names = {v: k for k, v in ids.items()}
    out = []
    for fid, doc, kind, s, e, text, value, ent, attrs in case.conn.execute(
        "SELECT id, document_id, kind, start, end, text, value, entity_id, attrs FROM facts"
        " WHERE status != 'rejected' ORDER BY document_id, start"
    ):
        out.append(
            Sys(int(fid), names[doc], kind, s, e, text, value, ent, json.loads(attrs or "{}"))
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the held-out set")
    ap.add_argument("--show", action="store_true", help="list every miss and false alarm")
    ap.add_argument("--build-gold", action="store_true", help="compile annotations.txt")
    args = ap.parse_args()
    case, ids, texts, tmp = import_set(args.data)
    try:
        if args.build_gold:
            build_gold(args.data, texts)
            return
        gold, events, gold_claims = read_gold(args.data)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        words = sum(int(r[0]) for r in case.conn.execute("SELECT words FROM documents"))
        print(f"Held-out set: {len(ids)} articles, {words} words ({args.data})")
        print(f"Run {now} at commit {git_head()}")
        wall, cpu, how = run_extraction(case, ids)
        print(
            f"Extraction: {how}: {wall:.2f} s wall, {cpu:.2f} s CPU ->"
            f" {words / wall:,.0f} words/s wall, {words / cpu:,.0f} words/s CPU"
        )
        system = system_facts(case, ids)
        score_kinds(gold, system, texts, args.show)
        score_merges(gold, system, texts)
        score_corroboration(events, case, ids, texts)
        score_claims(gold_claims, system, texts)
        inferred = case.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE published_inferred = 1"
        ).fetchone()[0]
        if inferred:
            print(f"\nnote: {inferred} documents got an inferred publication date")
    finally:
        case.close() if hasattr(case, "close") else case.conn.close()
        tmp.cleanup()


if __name__ == "__main__":
    main()

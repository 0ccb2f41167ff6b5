"""Entity and quantity extraction, and entity resolution, scored against the sample's gold set.

Imports the seeds into a temporary case (``casedesk.ingest.import_sample``), masks each
document's debris ranges with spaces (offsets unchanged), runs the spaCy parse, the entity and
quantity extractors and the resolver, and prints:

* precision / recall / F1 per kind, by exact span and by overlapping span (same kind);
* alias-merge precision / recall: over every pair of gold mentions that the system also found
  (overlap match), "same entity" according to the system vs according to the gold set;
* every wrong merge (two surface forms the system put in one entity, the gold set does not);
* throughput: words per second of parse + entity rules + quantity rules, and of the parse alone
  with ``nlp.pipe``.

Run:  python bench/sample_gold.py   (from the repository root, in the project's venv)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.extract.entities import find_entities  # noqa: E402
from casedesk.extract.model import Mention  # noqa: E402
from casedesk.extract.nlp import get_nlp, parse  # noqa: E402
from casedesk.extract.quantities import find_quantities  # noqa: E402
from casedesk.extract.resolve import EntityResolver  # noqa: E402
from casedesk.ingest import import_sample  # noqa: E402
from casedesk.store import Case, count_words  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold" / "entities.jsonl"
OTHER = ROOT / "tests" / "data" / "gold" / "other_articles.json"
KINDS = ("person", "organization", "place", "material", "quantity")


def masked_text(case: Case, doc_id: int) -> str:
    """The text as the extractors see it: debris and page furniture (bylines, credits)
    blanked, as the pipeline does."""
    from casedesk.extract.furniture import furniture

    text: str = case.document(doc_id)["text"]
    chars = list(text)
    for start, end, _reason in case.boilerplate(doc_id):
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    masked = "".join(chars)
    chars = list(masked)
    for start, end, _reason in furniture(masked):
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def load_gold() -> dict[str, list[dict[str, object]]]:
    gold: dict[str, list[dict[str, object]]] = defaultdict(list)
    with GOLD.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise SystemExit(f"{GOLD}:{n}: not JSON ({exc})") from exc
            gold[str(rec["file"])].append(rec)
    return gold


def match(
    system: list[tuple[int, int, str]], gold: list[tuple[int, int, str]], exact: bool
) -> dict[int, int]:
    """One-to-one matching of system to gold mentions of the same kind: system index -> gold."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for si, (s_start, s_end, s_kind) in enumerate(system):
        best = None
        best_overlap = 0
        for gi, (g_start, g_end, g_kind) in enumerate(gold):
            if gi in used or g_kind != s_kind:
                continue
            if exact:
                if (s_start, s_end) == (g_start, g_end):
                    best = gi
                    break
                continue
            overlap = min(s_end, g_end) - max(s_start, g_start)
            if overlap > best_overlap:
                best, best_overlap = gi, overlap
        if best is not None:
            pairs[si] = best
            used.add(best)
    return pairs


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(
    title: str,
    case: Case,
    items: list[tuple[str, int, str, list[dict[str, object]]]],
    show: bool,
) -> None:
    """Score extraction and resolution of ``items`` (name, document id, masked text, gold)."""
    resolver = EntityResolver(case)
    counts = {k: {"exact": [0, 0, 0], "overlap": [0, 0, 0]} for k in KINDS}
    # (name, gold index) -> system entity id and surface, for the alias scoring
    sys_entity: dict[tuple[str, int], int] = {}
    sys_surface: dict[tuple[str, int], str] = {}
    gold_of: dict[tuple[str, int], dict[str, object]] = {}
    problems: list[str] = []
    with case.transaction():
        for name, doc_id, text, g in items:
            doc = parse(text)
            mentions: list[Mention] = find_entities(doc) + find_quantities(doc)
            ids = resolver.resolve(doc_id, mentions)
            gspans = [(int(str(r["start"])), int(str(r["end"])), str(r["kind"])) for r in g]
            sspans = [(m.start, m.end, m.kind) for m in mentions]
            for gi, rec in enumerate(g):
                gold_of[(name, gi)] = rec
            for mode in ("exact", "overlap"):
                pairs = match(sspans, gspans, exact=mode == "exact")
                for kind in KINDS:
                    c = counts[kind][mode]
                    c[0] += sum(1 for si in pairs if sspans[si][2] == kind)
                    c[1] += sum(1 for sp in sspans if sp[2] == kind)
                    c[2] += sum(1 for gs in gspans if gs[2] == kind)
                if mode != "overlap":
                    continue
                for si, gi in pairs.items():
                    ent = ids[si]
                    if ent is not None:
                        sys_entity[(name, gi)] = ent
                        sys_surface[(name, gi)] = mentions[si].text
                if show:
                    for si, sp in enumerate(sspans):
                        if si not in pairs:
                            problems.append(f"  false  {name} {sp} {text[sp[0] : sp[1]]!r}")
                    hit = set(pairs.values())
                    for gi, gs in enumerate(gspans):
                        if gi not in hit:
                            problems.append(f"  missed {name} {gs} {g[gi]['text']!r}")

    total = sum(len(g) for _n, _d, _t, g in items)
    print(f"== {title} ({len(items)} documents, {total} gold mentions)")
    print(f"{'kind':<14}{'exact P':>9}{'R':>7}{'F1':>7}{'overlap P':>12}{'R':>7}{'F1':>7}")
    for kind in KINDS:
        ex = prf(*counts[kind]["exact"])
        ov = prf(*counts[kind]["overlap"])
        print(
            f"{kind:<14}{ex[0]:>9.3f}{ex[1]:>7.3f}{ex[2]:>7.3f}"
            f"{ov[0]:>12.3f}{ov[1]:>7.3f}{ov[2]:>7.3f}"
            f"   (gold {counts[kind]['exact'][2]}, system {counts[kind]['exact'][1]})"
        )
    if problems:
        print("\n".join(problems))

    # alias merges, pairwise over gold mentions of entity kinds that the system also found
    entries = [(key, str(gold_of[key]["entity"]), str(gold_of[key]["kind"])) for key in sys_entity]
    tp = sys_same = gold_same = 0
    wrong: set[tuple[str, str]] = set()
    missed: set[tuple[str, str]] = set()
    for (ka, ea, kinda), (kb, eb, kindb) in combinations(entries, 2):
        if kinda != kindb:
            continue
        same_gold = ea == eb
        same_sys = sys_entity[ka] == sys_entity[kb]
        tp += same_gold and same_sys
        sys_same += same_sys
        gold_same += same_gold
        a, b = sorted((sys_surface[ka], sys_surface[kb]))
        if same_sys and not same_gold:
            wrong.add((a, b))
        if same_gold and not same_sys:
            missed.add((a, b))
    p, r, f = prf(tp, sys_same, gold_same)
    print(
        f"alias merges (pairwise): precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  "
        f"({tp} of {sys_same} system pairs correct, {gold_same} gold pairs)"
    )
    print(f"wrong merges: {len(wrong)}")
    for a, b in sorted(wrong):
        print(f"  {a!r} = {b!r}")
    print(f"merges not made: {len(missed)}")
    for a, b in sorted(missed):
        print(f"  {a!r} / {b!r}")
    proposals = case.conn.execute(
        "SELECT a.name, b.name, p.reason FROM merge_proposals p "
        "JOIN entities a ON a.id = p.entity_a JOIN entities b ON b.id = p.entity_b"
    ).fetchall()
    print(f"merge proposals (pending review): {len(proposals)}")
    for a, b, reason in proposals:
        print(f"  {a!r} ? {b!r} ({reason})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes for the speed figures")
    parser.add_argument("--show", action="store_true", help="list misses and false hits")
    args = parser.parse_args()

    gold = load_gold()
    get_nlp()
    texts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        case = Case.create(Path(tmp) / "sample.casedesk")
        report = import_sample(case)
        if not report.ok:
            raise SystemExit("; ".join(report.messages()))
        docs = {case.document(d)["file_name"]: d for d in case.document_ids()}
        items = []
        for name in sorted(docs):
            text = masked_text(case, docs[name])
            texts.append(text)
            items.append((name, docs[name], text, gold.get(name, [])))
        evaluate("sample case (seeds/)", case, items, args.show)
        case.close()

        other = json.loads(OTHER.read_text(encoding="utf-8"))
        case = Case.create(Path(tmp) / "other.casedesk")
        items = []
        for article in other:
            text = str(article["text"])
            doc_id = case.add_document(
                file_name=f"{article['name']}.txt",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                format="txt",
            )
            items.append((str(article["name"]), doc_id, text, list(article["mentions"])))
        print()
        evaluate(f"articles on other topics ({OTHER.relative_to(ROOT)})", case, items, args.show)
        case.close()

    words = sum(count_words(t) for t in texts)
    nlp = get_nlp()
    # CPU time of this process, so the figure is per core even when other work shares the
    # machine; wall-clock time is printed too.
    t_parse = t_rules = 0.0
    w0 = time.perf_counter()
    for _ in range(args.repeat):
        c0 = time.process_time()
        parsed = list(nlp.pipe(texts, batch_size=16))
        c1 = time.process_time()
        for doc in parsed:
            find_entities(doc)
            find_quantities(doc)
        c2 = time.process_time()
        t_parse += c1 - c0
        t_rules += c2 - c1
    wall = time.perf_counter() - w0
    n = words * args.repeat
    print(
        f"speed ({words} words x {args.repeat}, CPU time of one process): "
        f"parse + entities + quantities {n / (t_parse + t_rules):,.0f} words/s; "
        f"spaCy parse alone (nlp.pipe, batch 16) {n / t_parse:,.0f} words/s; "
        f"entity + quantity rules alone {n / max(t_rules, 1e-9):,.0f} words/s; "
        f"wall clock {n / wall:,.0f} words/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

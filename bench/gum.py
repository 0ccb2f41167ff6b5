"""Score people, organisations, places and cross-document identity on GUM (train or dev).

GUM (the Georgetown University Multilayer corpus) is read in place from ``shared/gum`` beside
the repository (its README describes the data, the scorer and the licences). Develop on
``train``; report ``dev``.

Two ways to run it, giving the same figures:

* through Casedesk's Python API (default, faster): the documents are imported into a new case
  with their publication dates, extracted with ``extract_documents``, and the person,
  organisation and place facts written as the scorer's input, with the case's entity ids;
* with ``--cli``: GUM's own runner (``run_casedesk.py``) drives ``python -m casedesk``
  (``new``, ``import --published``, ``facts``, ``entities``) through a small wrapper script.

    python bench/gum.py [train|dev] [--genre news,interview] [--limit N] [--cli]
                        [--out FILE.jsonl] [--json FIGURES.json] [--examples N]
                        [--disable PASS,...]   (entity passes to switch off, to see what one adds)

Casedesk's kinds where GUM's conventions differ: GUM types facilities (museums, airports,
stadiums) as places, and may type a country acting as an agent as an organisation (the scorer
accepts either for the identities GUM types both ways); GUM annotates names in picture credits
("Image: ..."), which Casedesk treats as page furniture. Casedesk keeps its own kinds: a
building or grounds named by what it is (a hall, a stadium, an airport) is a place, an
institution housed in one (a museum, a university, a hospital) an organisation. The misses
that are such differences are counted after the summary.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))
sys.path.insert(0, str(ROOT / "bench"))

from shared import shared_dir  # noqa: E402

KINDS = ("person", "organization", "place")


def gum_dir() -> Path:
    shared = shared_dir()
    if shared is None or not (shared / "gum" / "score.py").exists():
        sys.exit("no shared/gum beside the repository")
    return shared / "gum"


def load_scorer(gum: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gum_score", gum / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_docs(
    split_dir: Path, genres: set[str] | None = None, names: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    wanted = set(names) if names is not None else None
    docs = []
    with open(split_dir / "docs.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if genres and d["genre"] not in genres:
                continue
            if wanted is not None and d["doc"] not in wanted:
                continue
            docs.append(d)
    return docs


def system_mentions(docs: Sequence[dict[str, Any]], work: Path) -> list[dict[str, Any]]:
    """Import and extract ``docs`` into a new case under ``work``; the scorer's input rows."""
    from casedesk.extract.pipeline import extract_documents
    from casedesk.ingest import DocumentMeta, import_paths
    from casedesk.store import Case

    texts = work / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    groups: dict[str | None, list[Path]] = defaultdict(list)
    by_file = {}
    for d in docs:
        p = texts / (d["doc"] + ".txt")
        p.write_text(d["text"], encoding="utf-8", newline="")
        groups[d.get("published")].append(p)
        by_file[p.name] = d
    case = Case.create(work / "gum.casedesk")
    rows: list[dict[str, Any]] = []
    with case:
        ids: list[int] = []
        for date, files in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
            report = import_paths(case, files, meta=DocumentMeta(published=date))
            if report.failed:
                raise RuntimeError(f"import failed: {report.failed}")
            ids += [doc_id for _, doc_id in report.imported]
        extract_documents(case, ids)
        for kind, start, end, text, entity_id, fact_id, file_name, kind_pass in case.conn.execute(
            "SELECT f.kind, f.start, f.end, f.text, f.entity_id, f.id, d.file_name, "
            "json_extract(f.attrs, '$.kind_pass') FROM facts f "
            "JOIN documents d ON d.id = f.document_id WHERE f.status != 'rejected' "
            "AND f.kind IN ('person', 'organization', 'place') ORDER BY f.id"
        ):
            d = by_file[file_name]
            entity = f"casedesk:{entity_id}" if entity_id is not None else f"fact:{fact_id}"
            rows.append(
                {
                    "doc": d["doc"],
                    "start": start,
                    "end": end,
                    "type": kind,
                    "entity": entity,
                    "text": text,
                    "kind_pass": kind_pass,
                }
            )
    return rows


def run_cli(split_dir: Path, out: Path, genres: str | None, limit: int | None) -> None:
    """GUM's runner over ``python -m casedesk`` of this checkout."""
    with tempfile.TemporaryDirectory(prefix="gum-cli-") as tmp:
        wrapper = Path(tmp) / "casedesk"
        wrapper.write_text(
            f"#!/bin/sh\nPYTHONPATH='{ROOT / 'gui'}' exec '{sys.executable}' -m casedesk \"$@\"\n",
            encoding="utf-8",
        )
        wrapper.chmod(0o755)
        cmd = [
            sys.executable,
            str(gum_dir() / "run_casedesk.py"),
            str(split_dir),
            str(out),
            "--casedesk",
            str(wrapper),
        ]
        if genres:
            cmd += ["--genre", genres]
        if limit:
            cmd += ["--limit", str(limit)]
        subprocess.run(cmd, check=True)


def score_rows(
    split_dir: Path, rows: list[dict[str, Any]] | str, docs: Sequence[dict[str, Any]]
) -> tuple[dict[str, Any], Any, Any]:
    scorer = load_scorer(split_dir.parent)
    names = {d["doc"] for d in docs}
    return scorer.score(str(split_dir), rows, None, names)  # type: ignore[no-any-return]


def summary(result: dict[str, Any]) -> dict[str, float]:
    """The headline figures: overlap+type F1 per kind, exact+type F1, identity P/R."""
    det, per_type, link = result["detection"], result["per_type"], result["linking"]
    out = {
        "overlap_typed_f1": det["overlap_typed"]["f1"],
        "exact_typed_f1": det["exact_typed"]["f1"],
    }
    for kind in KINDS:
        out[f"{kind}_f1"] = per_type["overlap_typed"][kind]["f1"]
    out["link_p"] = link["pairwise_all"]["precision"]
    out["link_r"] = link["pairwise_all"]["recall"]
    out["cross_p"] = link["pairwise_cross_doc"]["precision"]
    out["cross_r"] = link["pairwise_cross_doc"]["recall"]
    return out


# Head words of institutions housed in a building: GUM types "the Louvre Museum", "Trinity
# College" or "Johnson Space Center" as places (facilities), Casedesk as organisations.
_INSTITUTION_WORDS = """museum museums university college school academy institute institution
centre center library gallery hospital clinic theatre theater observatory zoo seminary
monastery convent"""
_INSTITUTION_HEADS = frozenset(_INSTITUTION_WORDS.split())


def convention_differences(
    errors: dict[str, list[dict[str, Any]]], docs: Sequence[dict[str, Any]]
) -> dict[str, int]:
    """Scored errors that are differences of convention, not of reading, counted: a place of
    GUM's that Casedesk types as an institution (an organisation), and a name GUM annotates in
    a picture credit or a byline, which Casedesk treats as page furniture."""
    from casedesk.extract.furniture import furniture

    text = {d["doc"]: d["text"] for d in docs}
    furn = {name: furniture(t) for name, t in text.items()}
    fps = defaultdict(list)
    for s in errors["fp"]:
        fps[s["doc"]].append(s)
    out = {"institution typed organisation": 0, "name in page furniture": 0}
    for g in errors["fn"]:
        doc = g["doc"]
        if any(a <= g["start"] and g["end"] <= b for a, b, _r in furn.get(doc, ())):
            out["name in page furniture"] += 1
            continue
        if g["type"] != "place":
            continue
        for s in fps.get(doc, ()):
            words = text[doc][s["start"] : s["end"]].lower().split()
            if (
                s["type"] == "organization"
                and s["start"] < g["end"]
                and g["start"] < s["end"]
                and any(w in _INSTITUTION_HEADS for w in words)
            ):
                out["institution typed organisation"] += 1
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", nargs="?", default="train", choices=("train", "dev"))
    ap.add_argument("--genre", help="comma-separated genres (default: all)")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--cli", action="store_true", help="run GUM's runner over the CLI")
    ap.add_argument("--out", help="keep the scorer input in this file")
    ap.add_argument("--json", help="write the figures as JSON")
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--disable", help="comma-separated entity passes to switch off (API only)")
    a = ap.parse_args()
    if a.disable:
        from casedesk.extract import entities

        entities.DISABLED_PASSES = frozenset(a.disable.split(","))

    gum = gum_dir()
    split_dir = gum / a.split
    genres = set(a.genre.split(",")) if a.genre else None
    docs = read_docs(split_dir, genres)
    if a.limit:
        docs = docs[: a.limit]
    t0, c0 = time.time(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="gum-") as tmp:
        if a.cli:
            out = Path(a.out or Path(tmp) / "system.jsonl")
            run_cli(split_dir, out, a.genre, a.limit)
            rows: list[dict[str, Any]] | str = str(out)
        else:
            rows = system_mentions(docs, Path(tmp))
            if a.out:
                with open(a.out, "w", encoding="utf-8") as f:
                    for r in rows:
                        f.write(json.dumps(r, ensure_ascii=False) + "\n")
        result, errors, sdocs = score_rows(split_dir, rows, docs)
    print(
        f"{a.split}: {len(docs)} documents, {time.time() - t0:.1f} s "
        f"({time.process_time() - c0:.1f} CPU-s in this process)\n"
    )
    load_scorer(gum).print_report(result, errors, sdocs, a.examples)
    print("\nsummary:", json.dumps(summary(result)))
    print(
        "convention differences among the misses (Casedesk keeps its kinds):",
        json.dumps(convention_differences(errors, docs)),
    )
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

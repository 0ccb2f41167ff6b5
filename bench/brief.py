"""The brief's length and export time: the sample case, a generated 25-article case, and
(optionally) a 10,000-document case filled with SQL as in bench/export.py.

    python bench/brief.py [--articles 25] [--seed 7] [--large 10000] [--keep DIR]

Prints, for each case, the words of the brief (as ``wc -w`` counts them: Markdown, plain text),
its sections' sizes, and the time of one export to Markdown, plain text and HTML (best of three
runs on an open case). The 25-article case is imported and extracted as ``casedesk import
--manifest`` would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))
sys.path.insert(0, str(ROOT / "bench"))

from casedesk.export import (  # noqa: E402
    brief_html,
    brief_markdown,
    brief_text,
    brief_words,
    build_brief,
)
from casedesk.store import Case  # noqa: E402


def best_of(run: Callable[[], str], times: int = 3) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(times):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return best, out


def report(label: str, case: Case) -> None:
    (docs,) = case.conn.execute("SELECT count(*) FROM documents").fetchone()
    (facts,) = case.conn.execute("SELECT count(*) FROM facts").fetchone()
    md_time, md = best_of(lambda: brief_markdown(case))
    txt_time, txt = best_of(lambda: brief_text(case))
    html_time, _page = best_of(lambda: brief_html(case))
    brief = build_brief(case)
    body, _sep, notes = md.partition("\n[^1]: ")
    print(f"{label}: {docs} documents, {facts} facts")
    print(
        f"  words: Markdown {brief_words(md)} (body {brief_words(body)}, citations "
        f"{brief_words(notes) + (1 if notes else 0)}), plain text {brief_words(txt)}"
    )
    print(
        f"  shown: {len(brief.events)} events, {len(brief.actors)} actors, "
        f"{len(brief.claims)} claims, {len(brief.disputes or [])} of {brief.open_disputes} open "
        f"disputes, {len(brief.notes)} notes, {len(brief.citations)} citations"
    )
    print(f"  export: Markdown {md_time:.3f} s, text {txt_time:.3f} s, HTML {html_time:.3f} s")


def sample(folder: Path) -> Case:
    from casedesk.extract import pipeline
    from casedesk.ingest import import_sample

    case = Case.create(folder / "sample.casedesk")
    import_sample(case)
    pipeline.extract_documents(case, case.document_ids())
    return case


def generated(folder: Path, articles: int, seed: int) -> Case:
    from generate import generate

    from casedesk.extract import pipeline
    from casedesk.ingest import import_paths

    texts = folder / f"articles-{articles}"
    manifest = generate(texts, articles, seed)
    case = Case.create(folder / f"generated-{articles}.casedesk")
    done = import_paths(case, sorted(texts.glob("*.txt")), manifest=manifest)
    pipeline.extract_documents(case, [doc_id for _p, doc_id in done.imported])
    return case


def large(folder: Path, documents: int) -> Case:
    from export import fill

    case = Case.create(folder / f"large-{documents}.casedesk")
    fill(case, documents)
    return case


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--large", type=int, default=0, help="also a case of N documents (SQL)")
    parser.add_argument("--keep", type=Path, help="keep the cases in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casedesk-brief-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        makers: list[tuple[str, Callable[[], Case]]] = [
            ("sample case", lambda: sample(folder)),
            (
                f"generated case ({args.articles} articles, seed {args.seed})",
                lambda: generated(folder, args.articles, args.seed),
            ),
        ]
        if args.large:
            makers.append(
                (f"SQL-filled case ({args.large} documents)", lambda: large(folder, args.large))
            )
        for label, make in makers:
            case = make()
            try:
                report(label, case)
            finally:
                case.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

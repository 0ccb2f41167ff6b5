"""Where extraction spends its CPU time: each spaCy component and each Casedesk pass.

Runs the whole pipeline (``extract_documents``, one process) on the sample, or on N generated
articles (``bench/generate.py``), several times, and prints the CPU time of each stage, best
of the runs after the first (which loads lexicons and warms caches). A stage's time excludes
the stages it calls: the spaCy components one by one, furniture masking, sentence presets
(``make_doc``), dates, each entity pass (``ENTITY_PASSES``), quantities, events, claims,
entity resolution, corroboration, and the rest of writing to the case. The sum is a little
above an unmeasured run's (each stage boundary reads the clock).

    python bench/stages.py                   (the sample, 4 runs)
    python bench/stages.py --synthetic 40    (40 generated articles)
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.extract import (  # noqa: E402
    claims,
    corroborate,
    dates,
    entities,
    events,
    pipeline,
    quantities,
    resolve,
)
from casedesk.extract.nlp import get_nlp  # noqa: E402
from casedesk.ingest.importer import import_paths, import_sample  # noqa: E402
from casedesk.store import Case  # noqa: E402


class Clock:
    """Exclusive CPU time per stage: entering a stage pauses the one it was called from."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.stack: list[list[Any]] = []  # [stage, CPU time when it last resumed]

    def enter(self, name: str) -> None:
        now = time.process_time()
        if self.stack:
            self.spent[self.stack[-1][0]] += now - self.stack[-1][1]
        self.stack.append([name, now])

    def leave(self) -> None:
        now = time.process_time()
        name, resumed = self.stack.pop()
        self.spent[name] += now - resumed
        if self.stack:
            self.stack[-1][1] = now

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def each(self, name: str, items: Iterator[Any]) -> Iterator[Any]:
        """``items``, the time to produce each one counted to ``name``."""
        while True:
            self.enter(name)
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self.leave()
            yield item


class _Component:
    """A spaCy pipeline component whose calls are timed."""

    def __init__(self, clock: Clock, name: str, component: Any) -> None:
        self.clock, self.name, self.component = clock, "spacy: " + name, component

    def __call__(self, doc: Any) -> Any:
        return self.clock.wrap(self.name, self.component)(doc)

    def pipe(self, docs: Iterable[Any], **kwargs: Any) -> Iterator[Any]:
        if hasattr(self.component, "pipe"):
            return self.clock.each(self.name, iter(self.component.pipe(docs, **kwargs)))
        return self.clock.each(self.name, (self.component(d) for d in docs))

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.component, attr)


def instrument(clock: Clock) -> None:
    nlp = get_nlp()
    nlp._components = [(n, _Component(clock, n, c)) for n, c in nlp._components]  # noqa: SLF001
    for module, name, stage in (
        (pipeline, "make_doc", "sentence presets (make_doc)"),
        (pipeline, "furniture", "furniture and masking"),
        (pipeline, "mask_debris", "furniture and masking"),
        (pipeline, "write_analysis", "writing (the rest)"),
        (dates, "tag_dates_inferring", "dates"),
        (entities, "find_entities", "entities (between passes)"),
        (quantities, "find_quantities", "quantities"),
        (events, "find_events", "events"),
        (claims, "find_claims", "claims"),
        (claims, "mark_denied_events", "claims"),
        (corroborate, "attach", "corroboration"),
    ):
        setattr(module, name, clock.wrap(stage, getattr(module, name)))
    entities.ENTITY_PASSES = tuple(
        entities.EntityPass(p.name, clock.wrap("entity pass: " + p.name, p.run), p.does)
        for p in entities.ENTITY_PASSES
    )
    resolver = resolve.EntityResolver
    resolver.resolve = clock.wrap("entity resolution", resolver.resolve)  # type: ignore[method-assign]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=0, help="generated articles, not the sample")
    ap.add_argument("--repeat", type=int, default=4, help="runs (the first is not counted)")
    args = ap.parse_args()
    clock = Clock()
    instrument(clock)
    best: dict[str, float] = {}
    words = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = None
        if args.synthetic:
            spec = importlib.util.spec_from_file_location(
                "bench_generate", ROOT / "bench/generate.py"
            )
            assert spec is not None and spec.loader is not None
            gen = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = gen
            spec.loader.exec_module(gen)
            folder = Path(tmp) / "generated"
            folder.mkdir()
            gen.generate(folder, args.synthetic, 7)
        for n in range(max(2, args.repeat)):
            case = Case.create(Path(tmp) / f"run{n}.casedesk")
            if folder is not None:
                import_paths(case, [folder], manifest=folder / "manifest.json")
            else:
                import_sample(case)
            clock.spent.clear()
            clock.enter("other")
            stats = pipeline.extract_documents(case, case.document_ids())
            clock.leave()
            case.close()
            words = sum(s.words for s in stats)
            total = sum(clock.spent.values())
            print(f"run {n + 1}: {total:.3f} CPU-s, {words / total:,.0f} words per CPU-second")
            if n:
                for stage, spent in clock.spent.items():
                    best[stage] = min(best.get(stage, spent), spent)
    total = sum(best.values())
    what = f"{args.synthetic} generated articles" if args.synthetic else "the sample"
    print(f"\n{what}, {words:,} words: best of each stage sums to {total:.3f} CPU-s")
    for stage, spent in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<40} {spent * 1000:9.1f} ms  {100 * spent / total:5.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

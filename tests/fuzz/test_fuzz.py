"""The fuzz run of CI: mutated inputs for every reader and damaged case files.

2,500 inputs (``CASEDESK_FUZZ_INPUTS``; about 45 s on a quiet machine) from a fixed seed
(``CASEDESK_FUZZ_SEED``), so a run is the same inputs every time and a failure reproduces;
``bench/fuzz.py`` runs longer with a new seed and keeps what it finds under tests/data/fuzz/,
where ``test_regression_inputs_stay_fixed`` replays every file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import fuzzing
import pytest

FUZZ_INPUTS = int(os.environ.get("CASEDESK_FUZZ_INPUTS", "2500"))
FUZZ_SEED = int(os.environ.get("CASEDESK_FUZZ_SEED", "20261207"))
REGRESSIONS = Path(__file__).resolve().parents[1] / "data" / "fuzz"


def _report(counts: fuzzing.Counts, folder: Path) -> str:
    lines = [counts.line()]
    for finding in counts.findings[:5]:
        name = hashlib.sha256(finding.data).hexdigest()[:12]
        kept = folder / f"{finding.target.replace(':', '-')}-{name}.bin"
        kept.write_bytes(finding.data)
        lines.append(f"{finding.target} {finding.kind}, input kept as {kept}:\n{finding.detail}")
    return "\n".join(lines)


def test_fuzz_readers_and_case_files(tmp_path: Path) -> None:
    counts = fuzzing.fuzz(tmp_path, 600.0, seed=FUZZ_SEED, inputs=FUZZ_INPUTS, cases_share=0.2)
    print(counts.line())
    assert counts.tracebacks == 0 and counts.hangs == 0, _report(counts, tmp_path)
    assert counts.inputs >= 1000
    # Every reader the importer knows was fuzzed, and every kind of case damage.
    formats = {t.split(":", 1)[1] for t in counts.per_target if t.startswith("reader:")}
    assert formats == set(fuzzing.reader_formats())
    damage = {t.split(":", 1)[1] for t in counts.per_target if t.startswith("case:")}
    assert damage == set(fuzzing.CASE_DAMAGE)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*")), ids=lambda p: p.name)
def test_regression_inputs_stay_fixed(path: Path, tmp_path: Path) -> None:
    """Inputs that once crashed a reader or a command: refused or read, never a traceback."""
    data = path.read_bytes()
    if path.suffix == ".casedesk":
        target = tmp_path / path.name
        target.write_bytes(data)
        outcome = fuzzing.open_case_and_list(target)
    else:
        outcome = fuzzing.read_one(tmp_path / f"input{path.suffix}", data)
    assert outcome in ("ok", "refused")

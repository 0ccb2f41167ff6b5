"""The entity-corrections benchmark at toy size, so that it keeps running as the code changes
(timings are not checked: they mean nothing at this size)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_entities_benchmark_prints_every_figure() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "gui")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "entity_edits.py"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for figure in ("merge 50 heavy entities", "undo of that merge", "redo of that merge"):
        assert any(line.startswith(f"| {figure}") for line in table), result.stdout
    assert len(table) == 13  # the header and twelve figures

"""The scale benchmark at toy sizes, so that it keeps running as the code changes.

Timings are not checked (they mean nothing at this size); what is checked is that every figure
of the scale table is printed, and that showing a window loads no language model.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from scale import FIGURES  # noqa: E402


def test_scale_benchmark_prints_every_figure(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT / "gui"),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    for figure in FIGURES:
        rows = [line for line in table if line.startswith(f"| {figure}")]
        assert rows, f"no '{figure}' row in:\n{result.stdout}"
    (modules,) = [line for line in table if line.startswith("| modules loaded")]
    assert "heavy: none" in modules
    assert "LANGUAGE MODEL" not in result.stdout


def test_stages_benchmark_names_every_entity_pass_and_model_component() -> None:
    from casedesk.extract.entities import entity_pass_names
    from casedesk.extract.nlp import get_nlp

    env = {**os.environ, "PYTHONPATH": str(ROOT / "gui")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "stages.py"), "--repeat", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    stages = {line[:42].strip() for line in result.stdout.splitlines() if line.startswith("  ")}
    expected = {f"entity pass: {name}" for name in entity_pass_names()}
    expected |= {f"spacy: {name}" for name in get_nlp().pipe_names}
    expected |= {"dates", "events", "claims", "quantities", "entity resolution"}
    assert expected <= stages, sorted(expected - stages)

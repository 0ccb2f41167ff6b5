"""Only casedesk.ui may import Qt: the core must import and work with PySide6 unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BLOCKER = r"""
import importlib.abc, pkgutil, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"Qt is blocked in the core: {name}")
        return None
sys.meta_path.insert(0, BlockQt())
import casedesk
failed = []
for info in pkgutil.walk_packages(casedesk.__path__, "casedesk."):
    if info.name.startswith("casedesk.ui") or info.name == "casedesk.__main__":
        continue  # the window itself, and the entry point that would start it
    try:
        __import__(info.name)
    except ImportError as exc:
        if "Qt is blocked" in str(exc):
            failed.append(f"{info.name}: {exc}")
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_core_imports_without_qt() -> None:
    gui = Path(__file__).resolve().parents[2] / "gui"
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(gui), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statement_outside_ui() -> None:
    root = Path(__file__).resolve().parents[2] / "gui" / "casedesk"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "ui" not in p.relative_to(root).parts
        and any(
            line.lstrip().startswith(("import PySide6", "from PySide6", "import shiboken6"))
            for line in p.read_text("utf-8").splitlines()
        )
    ]
    assert offenders == []

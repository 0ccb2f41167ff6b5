"""Where the evaluation data lives: ``shared/`` beside the repository.

A clone keeps the shared data (GUM, TempEval-3) in a folder ``shared`` next to it; a git
worktree of the repository also finds the one next to its main checkout. Nothing here names an
absolute path.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir(root: Path = ROOT) -> Path | None:
    """``shared/`` beside the repository (or beside a worktree's main checkout), or None."""
    candidates = [root.parent / "shared"]
    git = root / ".git"
    if git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
        text = git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            main_git = Path(text.split(":", 1)[1].strip()).resolve().parents[1]
            candidates.append(main_git.parent.parent / "shared")
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return None

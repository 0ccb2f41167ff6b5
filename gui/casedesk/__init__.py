"""Casedesk: a desktop case-file workbench for analysts, journalists and researchers."""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("casedesk")
    except PackageNotFoundError:  # running from a checkout that was never installed
        import re
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        match = re.search(r'^version = "([^"]+)"', pyproject.read_text("utf-8"), re.M)
        return match.group(1) if match else "0+unknown"


def __getattr__(name: str) -> str:
    # The version is read on first use: importlib.metadata is not free at start-up.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'casedesk' has no attribute {name!r}")

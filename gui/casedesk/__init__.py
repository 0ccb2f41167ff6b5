"""Casedesk: a desktop case-file workbench for analysts, journalists and researchers."""

from __future__ import annotations


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


__version__ = _version()

#!/bin/sh
# Take docs/screenshot.png under Xvfb (Debian: apt-get install xvfb xauth fonts-noto-cjk).
set -eu
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
exec xvfb-run -a -s "-screen 0 1280x800x24" env PYTHONPATH=gui "$PY" scripts/screenshot.py "$@"

# Casedesk: `make run` sets up and opens the app on the sample case; `make test` sets up and
# runs the tests. Both work on a fresh Debian 12 machine with Python 3.11.
.PHONY: run test lint bench screenshot bundle desktop-check clean

run:
	scripts/setup.sh run
	.venv/bin/casedesk

test:
	scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest
	.venv/bin/lint-imports --no-cache
	scripts/validate_desktop.sh

lint:
	scripts/setup.sh test
	.venv/bin/ruff check gui tests bench scripts
	.venv/bin/mypy

bench:
	scripts/setup.sh test
	.venv/bin/python bench/extraction.py
	.venv/bin/python bench/scale.py

screenshot:
	scripts/setup.sh run
	scripts/screenshot.sh

bundle:
	scripts/build_bundle.sh

desktop-check:
	scripts/validate_desktop.sh

clean:
	rm -rf build dist .pytest_cache

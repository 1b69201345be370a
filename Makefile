# The README's commands, and the checks CI runs.
.PHONY: build test lint typecheck check screenshot

build:
	python3 -m pip install -e . && apg build

test:
	python3 -m pip install -e '.[test]' && python3 -m pytest

lint:
	python3 -m ruff check graph tests benchmarks scripts
	python3 -m ruff format --check graph tests benchmarks scripts

typecheck:
	python3 -m mypy

check: test lint typecheck

screenshot:
	python3 -m graph build && python3 scripts/screenshot.py

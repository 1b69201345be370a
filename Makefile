# The README's commands, and the checks CI runs.
.PHONY: build test lint typecheck check

build:
	python3 -m pip install -e . && apg build

test:
	python3 -m pip install -e '.[test]' && python3 -m pytest

lint:
	python3 -m ruff check graph tests benchmarks
	python3 -m ruff format --check graph tests benchmarks

typecheck:
	python3 -m mypy

check: test lint typecheck

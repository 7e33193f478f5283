.PHONY: check test snap

check:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/python -m pytest -n 2

test:
	.venv/bin/python -m pytest -n 2

snap:
	.venv/bin/python -m pytest tests/snapshots --snapshot-update

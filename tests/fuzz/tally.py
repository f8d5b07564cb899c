"""Counts the inputs the property and mutation tests tried, per kind; tests/conftest.py prints
the table at the end of the run."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()
LINES: list[str] = []       # closing lines of soaks and crash runs, printed after the tests


def tried(kind: str) -> None:
    TRIED[kind] += 1

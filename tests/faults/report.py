"""Figures the fault drills report (load held, faults survived, inputs tried, losses),
summed over the run and printed at its end by tests/faults/conftest.py."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()
NOTES: list[str] = []


def figure(name: str, value: int = 1) -> None:
    FIGURES[name] += value


def note(line: str) -> None:
    NOTES.append(line)

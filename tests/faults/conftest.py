"""Prints the drills' figures at the end of the run, for the record."""

from __future__ import annotations

from typing import Any

from tests.faults.report import FIGURES, NOTES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES and not NOTES:
        return
    terminalreporter.section("fault drill figures")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name}: {FIGURES[name]:,}")
    for line in NOTES:
        terminalreporter.write_line(line)

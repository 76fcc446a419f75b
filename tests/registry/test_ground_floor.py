"""The registry is the ground floor: none of its modules (migrations included) imports
the apps above it, so they can depend on it and never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

REGISTRY = Path(__file__).resolve().parents[2] / "registry"
ABOVE = {"events", "ingest", "newsroom", "bench", "tracker"}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_registry_imports_nothing_above_it() -> None:
    sources = sorted(REGISTRY.rglob("*.py"))
    assert REGISTRY / "models.py" in sources and REGISTRY / "signals.py" in sources
    found = {path.relative_to(REGISTRY).as_posix(): imported_modules(path) for path in sources}
    assert "registry.models" in found["signals.py"]  # the scan sees imports, inside functions too
    assert "registry.signals" in found["apps.py"]
    upward = {
        name: sorted(m for m in modules if m.split(".")[0] in ABOVE)
        for name, modules in found.items()
    }
    assert {name: mods for name, mods in upward.items() if mods} == {}

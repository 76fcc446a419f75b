"""The classifier is a pure library: the registry is handed to it, it reaches for no
Django and no app module outside ingest/classify (its stages run anywhere)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ingest" / "classify"
ALLOWED_PROJECT_PREFIX = "ingest.classify"
PROJECT_ROOTS = {"ingest", "events", "tracker", "registry", "bench", "tests", "django"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (top level, inside functions, under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parents[1]).with_suffix("").parts)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's own package
                parts = package.split(".")
                base = parts[: len(parts) - node.level]
                if path.name == "__init__.py":
                    base = parts[: len(parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def forbidden(name: str) -> bool:
    root = name.split(".")[0]
    if root not in PROJECT_ROOTS:
        return False  # the standard library or a third-party package
    return not (name == ALLOWED_PROJECT_PREFIX or name.startswith(ALLOWED_PROJECT_PREFIX + "."))


def test_the_walker_sees_what_it_should():
    assert forbidden("django.db") and forbidden("ingest.registry") and forbidden("events.models")
    assert forbidden("ingest") and forbidden("registry.models")
    assert not forbidden("ingest.classify.lexicon") and not forbidden("re")
    assert not forbidden("ahocorasick")


def test_the_classifier_imports_no_django_and_no_app_module():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for path in files
        for line, name in imported_modules(path)
        if forbidden(name)
    ]
    assert offending == []

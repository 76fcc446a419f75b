"""Articles from files, as the `extract` and `evaluate` commands read them
(../shared/spec/extraction.md): plain-text files or folders of them (a folder's
manifest.json gives each article its publication date and outlet), or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from ingest.classify.dates import dateline, parse_publication
from ingest.classify.types import ArticleInput


class InputError(ValueError):
    """A path or a record that cannot be read; the message is one line for the user."""


def read_text_article(path: Path, published: date | None, outlet: str | None) -> ArticleInput:
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    lines = raw.splitlines()
    head = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = lines[head].strip() if head is not None else ""
    body = "\n".join(lines[head + 1 :]) if head is not None else ""
    return ArticleInput(id=path.stem, title=title, body=body, published=published, outlet=outlet)


def _dated_by_text(article: ArticleInput) -> ArticleInput:
    """--published anchors relative dates only when the text carries no dateline."""
    own = dateline(article.body.splitlines())
    return replace(article, published=own) if own else article


def _manifest(folder: Path) -> dict[str, dict[str, object]]:
    path = folder / "manifest.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"bad manifest {path}: {error}") from None
    if not isinstance(data, dict):
        raise InputError(f"bad manifest {path}: expected an object of article ids")
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def iter_text(paths: list[Path], published: date | None) -> Iterator[ArticleInput]:
    for path in paths:
        if path.is_dir():
            manifest = _manifest(path)
            for file in sorted(path.glob("*.txt")):
                entry = manifest.get(file.stem, {})
                own = parse_publication(str(entry["published"])) if entry.get("published") else None
                outlet = entry.get("outlet")
                article = read_text_article(file, own or published, str(outlet) if outlet else None)
                # the manifest dates its articles; --published yields to a dateline in the text
                yield article if own else _dated_by_text(article)
        elif path.is_file():
            yield _dated_by_text(read_text_article(path, published, None))
        else:
            raise InputError(f"no such file or folder: {path}")


def iter_jsonl(paths: list[Path], published: date | None) -> Iterator[ArticleInput]:
    for path in paths:
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{number}: not JSON ({error.msg})") from None
                if not isinstance(record, dict) or "id" not in record:
                    raise InputError(f"{path}:{number}: a record needs an id")
                yield ArticleInput(
                    id=str(record["id"]),
                    title=str(record.get("title") or ""),
                    body=str(record.get("body") or ""),
                    published=parse_publication(record.get("published_at")) or published,
                    outlet=record.get("outlet"),
                    language=record.get("language"),
                )


def check_paths(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or folder: {path}")


def iter_articles(
    paths: list[Path], input_format: str, published: date | None
) -> Iterator[ArticleInput]:
    check_paths(paths)
    if input_format == "jsonl":
        return iter_jsonl(paths, published)
    return iter_text(paths, published)

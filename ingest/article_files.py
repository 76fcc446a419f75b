"""Articles read from disk for `manage.py ingest`: text files, folders, JSON Lines.

- a `.txt` file: the first non-empty line is the headline, the rest the body, the file's
  stem the external id; a `manifest.json` beside it (`{"<stem>": {"published": ...,
  "outlet": ...}}`, as in seeds/) gives its publication date and outlet;
- a folder: its `*.txt` files, with the folder's manifest;
- a `.jsonl` file: one `{"id"|"external_id", "title", "body", "published_at", ...}` per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .payloads import ArticleDraft, PayloadError, parse_published


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise PayloadError(str(path), f"malformed JSON: {error}") from None
    return data if isinstance(data, dict) else {}


def draft_from_text(path: Path, manifest: dict[str, Any]) -> ArticleDraft:
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise PayloadError(str(path), "empty file")
    title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
    if not body:
        raise PayloadError(str(path), "a headline but no body")
    entry = manifest.get(path.stem) or {}
    return ArticleDraft(
        external_id=path.stem,
        title=title[:1000],
        body=body,
        published_at=parse_published(entry.get("published"), f"{path}: published"),
        outlet=(entry.get("outlet") or "")[:200],
        url=entry.get("url") or "",
    )


def drafts_from_jsonl(path: Path) -> Iterator[ArticleDraft]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as error:
                raise PayloadError(where, f"malformed JSON: {error}") from None
            external_id = obj.get("external_id") or obj.get("id")
            title, body = (obj.get("title") or "").strip(), (obj.get("body") or "").strip()
            if not external_id or not title or not body:
                raise PayloadError(where, "needs id, title and body")
            yield ArticleDraft(
                external_id=str(external_id),
                title=title[:1000],
                body=body,
                url=obj.get("url") or "",
                published_at=parse_published(obj.get("published_at"), f"{where}: published_at"),
                outlet=(obj.get("outlet") or "")[:200],
                language=(obj.get("language") or "")[:12],
            )


def drafts_from_paths(paths: list[Path]) -> list[ArticleDraft]:
    drafts: list[ArticleDraft] = []
    for path in paths:
        if path.is_dir():
            manifest = _manifest(path)
            drafts += [draft_from_text(p, manifest) for p in sorted(path.glob("*.txt"))]
        elif path.suffix == ".jsonl":
            drafts += list(drafts_from_jsonl(path))
        elif path.is_file():
            drafts.append(draft_from_text(path, _manifest(path.parent)))
        else:
            raise PayloadError(str(path), "no such file or folder")
    return drafts

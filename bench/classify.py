"""`manage.py bench classify`: articles/s and sentences/s of the classifier on one core.

The workload is a few hundred seed-sized articles: the seed articles with their paragraphs
shuffled and their ids varied (a fixed random seed keeps runs comparable). The registry is
built once beforehand, as in a worker.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date
from pathlib import Path
from typing import TextIO

from ingest.classify import extract_with_report
from ingest.classify.lexicon import Registry, fixture_registry
from ingest.classify.types import ArticleInput

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FALLBACK = (
    "Turkish troops shelled Kurdish positions near Afrin on Sunday, killing 12 fighters. "
    "The Syrian government condemned the attack and demanded that Ankara withdraw.\n"
    "Around 900 US troops remain in Syria, the Pentagon said."
)


def seed_articles() -> list[tuple[str, str, date | None]]:
    manifest = {}
    if (SEEDS / "manifest.json").exists():
        manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        published = manifest.get(path.stem, {}).get("published")
        out.append((path.stem, raw, date.fromisoformat(published) if published else None))
    return out or [("fallback", "Clashes near Afrin\n" + FALLBACK, date(2024, 1, 1))]


def workload(size: int, rng: random.Random) -> list[ArticleInput]:
    seeds = seed_articles()
    articles = []
    for i in range(size):
        stem, raw, published = seeds[i % len(seeds)]
        title, _, body = raw.strip().partition("\n")
        paragraphs = [p for p in body.split("\n") if p.strip()]
        rng.shuffle(paragraphs)
        articles.append(ArticleInput(f"{stem}-{i}", title, "\n".join(paragraphs), published))
    return articles


def run(stdout: TextIO, seconds: float | None = None, size: int | None = None) -> None:
    size = size or 300
    registry: Registry = fixture_registry()
    articles = workload(size, random.Random(20261121))
    extract_with_report(articles[0], registry)  # build the automata outside the timing
    rounds = 0
    done = sentences = events = 0
    started = time.perf_counter()
    while True:
        for article in articles:
            result = extract_with_report(article, registry)
            done += 1
            sentences += result.sentences
            events += len(result.events)
        rounds += 1
        elapsed = time.perf_counter() - started
        if seconds is None or elapsed >= seconds:
            break
    stdout.write(
        f"classify: {done} articles ({sentences} sentences, {events} events) in "
        f"{elapsed:.2f}s on one core\n"
        f"  articles/s: {done / elapsed:.1f}\n"
        f"  sentences/s: {sentences / elapsed:.1f}\n"
    )

"""`manage.py bench classify`: articles/s and sentences/s of the classifier on one core.

The workload is a few hundred seed-sized articles: the seed articles with their paragraphs
shuffled and their ids varied (a fixed random seed keeps runs comparable). The registry is
built once beforehand, as in a worker: the shipped fixtures joined with the world knowledge
base, whose load time and the process's resident memory are printed; the kept fixtures alone
are measured in the same run as the baseline.
"""

from __future__ import annotations

import json
import random
import resource
import time
from datetime import date
from pathlib import Path
from typing import TextIO

from ingest.classify import extract_with_report
from ingest.classify.lexicon import Registry, fixture_registry
from ingest.classify.types import ArticleInput
from ingest.registry_cache import shipped_registry

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
    articles = workload(size or 300, random.Random(20261121))
    started = time.perf_counter()
    world = shipped_registry()
    extract_with_report(articles[0], world)  # build the matchers outside the timing
    loaded = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kept = _rate(articles, fixture_registry(), seconds)
    measured = _rate(articles, world, seconds)
    stdout.write(
        f"classify: {measured[0]} articles ({measured[1]} sentences, {measured[2]} events) "
        f"in {measured[3]:.2f}s on one core, world knowledge base "
        f"({len(world.actors)} actors, {len(world.places)} places)\n"
        f"  loading the registry: {loaded:.2f}s; resident memory: {rss_mb:.0f} MB\n"
        f"  articles/s: {measured[0] / measured[3]:.1f} "
        f"(kept fixtures alone: {kept[0] / kept[3]:.1f}; "
        f"= {measured[0] / measured[3] / (kept[0] / kept[3]):.2f} x)\n"
        f"  sentences/s: {measured[1] / measured[3]:.1f}\n"
    )


def _rate(
    articles: list[ArticleInput], registry: Registry, seconds: float | None
) -> tuple[int, int, int, float]:
    extract_with_report(articles[0], registry)
    done = sentences = events = 0
    started = time.perf_counter()
    while True:
        for article in articles:
            result = extract_with_report(article, registry)
            done += 1
            sentences += result.sentences
            events += len(result.events)
        elapsed = time.perf_counter() - started
        if seconds is None or elapsed >= seconds:
            return done, sentences, events, elapsed

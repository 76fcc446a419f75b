"""Alias matching shared by actors and places: whole words, longest match first, no overlaps."""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from ingest.classify.lexicon import AliasHit, NameIndex


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    key: str
    text: str


def lowered(text: str) -> str:
    """Lower-case without changing offsets (a few Unicode letters grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] for c in text)


def _accept(text: str, start: int, end: int, hit: AliasHit) -> bool:
    if hit.case_sensitive:
        return text[start:end] == hit.alias
    return not (hit.capitalised and not text[start].isupper())


def find_matches(text: str, low: str, automaton: ahocorasick.Automaton | NameIndex) -> list[Match]:
    """Non-overlapping whole-word alias matches, longer ones winning over shorter ones."""
    if not len(automaton):
        return []
    candidates: list[Match] = []
    n = len(text)
    found = automaton.iter(low, text) if isinstance(automaton, NameIndex) else automaton.iter(low)
    for end_index, (length, hits) in found:
        start = end_index - length + 1
        end = end_index + 1
        glued = start > 0 and (low[start - 1].isalnum() or low[start - 1] == "_")
        # scraped text glues words ("In earlyAnkara"): a capital after a small letter
        # starts a new word
        if glued and not (text[start].isupper() and text[start - 1].islower()):
            continue
        if end < n and (low[end].isalnum() or low[end] == "_"):
            continue
        for hit in hits:
            if _accept(text, start, end, hit):
                candidates.append(Match(start, end, hit.key, text[start:end]))
                break
    candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for m in candidates:
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        chosen.append(m)
        taken.append((m.start, m.end))
    chosen.sort(key=lambda m: m.start)
    return chosen

"""Place mentions in a sentence, resolved against the gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.classify.alias_matching import find_matches
from ingest.classify.lexicon import PRECISION_RANK, PlaceEntry, Registry


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    place: PlaceEntry

    @property
    def rank(self) -> int:
        return PRECISION_RANK.get(self.place.precision, 0)


def find_places(sentence: str, low: str, registry: Registry) -> list[PlaceMention]:
    return [
        PlaceMention(m.start, m.end, registry.places[m.key])
        for m in find_matches(sentence, low, registry.place_automaton)
    ]

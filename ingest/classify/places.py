"""Place mentions in a sentence, resolved against the gazetteer."""

from __future__ import annotations

import re
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
        if registry.places[m.key].precision != "city"
        or not _inside_a_name(sentence, m.start, m.end)
    ]


# words that follow or precede a town's name without making it another name
PLACE_WORDS = (
    r"Oblast|Province|Region|District|Governorate|State|County|City|Township|Prefecture|"
    r"Krai|Raion|Valley|Airport|Port|Camp|Road|Highway|Street|Square|Front|Axis"
)
NAME_WORD_AFTER = re.compile(rf" (?!(?:{PLACE_WORDS})\b)(?:[A-Z][a-z]|al-|bin |ibn )")
PREVIOUS_WORD = re.compile(r"(?<![\w.,;:!?\"\u201c\u2014-] )\b([A-Z][a-z'\u2019-]+) $")
DIRECTIONS = frozenset(
    [
        "North",
        "South",
        "East",
        "West",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "Greater",
        "Upper",
        "Lower",
        "Old",
        "Lake",
        "Mount",
        "Downtown",
        "Occupied",
    ]
)


def _inside_a_name(sentence: str, start: int, end: int) -> bool:
    """ "President Hassan Sheikh Mohamud": a town's name (Hassan, in India) that runs into
    other capitalised words is part of a person's (or another) name, not that town. A
    gazetteer of every town of 5,000 people holds many given names."""
    words = sentence.split()
    if sum(w[:1].isupper() for w in words) > 0.6 * len(words):
        return False  # a headline in title case: every word is capitalised
    if NAME_WORD_AFTER.match(sentence, end):
        return True
    before = PREVIOUS_WORD.search(sentence, 0, start)
    return (
        before is not None
        and before.start() > 0  # not the sentence's first word ("In Goma, ...")
        and before.group(1) not in DIRECTIONS
    )

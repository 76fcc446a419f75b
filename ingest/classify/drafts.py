"""The events being assembled: one `Draft` per event a sentence tells, mutable until the
article is done (later sentences add details, merging folds retellings into one)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ingest.classify.actors import ActorMention
from ingest.classify.dates import DateMention
from ingest.classify.lexicon import PRECISION_RANK, PlaceEntry
from ingest.classify.quantities import Quantity


@dataclass
class Draft:
    """An event being assembled (mutable until the article is done)."""

    type: str
    actor: str | None
    target: str | None
    place: PlaceEntry | None
    quantity: Quantity | None
    killed: int | None
    injured: int | None
    when: DateMention | None
    deadline: datetime | None
    status: str
    source: str | None
    evidence: list[str]
    confidence: float
    sentence: int
    agent_known: bool = True
    headline: bool = False
    weak_target: bool = False  # only the country of the place, no actor named as the target
    last_sentence: int = -1  # the latest sentence folded into this event

    def __post_init__(self) -> None:
        self.last_sentence = max(self.last_sentence, self.sentence)

    extras: dict[str, object] = field(default_factory=dict)


@dataclass
class SentenceDrafts:
    """The events one sentence has made so far, and what its later triggers look back at."""

    out: list[Draft]
    produced: dict[int, Draft] = field(default_factory=dict)  # the event each trigger made
    agents: dict[int, ActorMention] = field(default_factory=dict)  # and who acted in it
    filled_here: list[Draft] = field(default_factory=list)  # earlier events it added to


def head_noun(words: str) -> str:
    """ "air-strikes" -> "strike": the noun an event is retold by ("the strikes")."""
    word = re.split(r"[\s-]+", words.strip().lower())[-1]
    word = word[3:] if word.startswith("air") and len(word) > 5 else word
    return word[:-1] if word.endswith("s") else word


def more_specific(a: PlaceEntry | None, b: PlaceEntry | None) -> PlaceEntry | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if PRECISION_RANK.get(b.precision, 0) > PRECISION_RANK.get(a.precision, 0) else a


def other_date(a: DateMention | None, b: DateMention | None) -> bool:
    if a is None or b is None:
        return False
    if a.precision == b.precision == "day":
        return a.value != b.value
    return (a.value.year, a.value.month) != (b.value.year, b.value.month)


def places_agree(a: PlaceEntry | None, b: PlaceEntry | None) -> bool:
    if a is None or b is None:
        return True
    if a.name == b.name:
        return True
    if a.country is None or b.country is None:
        return False
    return a.country == b.country

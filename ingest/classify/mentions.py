"""The mentions stage: the actors and places each sentence names (acronyms defined in one
sentence are known in the next; a dateline's place is where the reporter files from, not
where anything happened), and, read on demand, its numbers, casualty counts and dates.

Input: the article's sentences, the registry and its publication date. Output:
`ArticleMentions`, one `SentenceView` per sentence plus the two states named most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from ingest.classify.actors import (
    ActorMention,
    acronym_mentions,
    defined_acronyms,
    find_actor_mentions,
)
from ingest.classify.alias_matching import lowered
from ingest.classify.casualties import CasualtyMention, find_casualty_mentions
from ingest.classify.dates import DateMention, find_dates
from ingest.classify.lexicon import Registry
from ingest.classify.people import people_introduced, people_named_before
from ingest.classify.places import PlaceMention, find_places
from ingest.classify.quantities import Quantity, find_quantities
from ingest.classify.sentences import Sentence


@dataclass(eq=False)
class SentenceView:
    sentence: Sentence
    actors: list[ActorMention]
    places: list[PlaceMention]
    published: date | None = None
    # the sentence read before this one (None for a timeline row: nothing refers back
    # through it)
    previous: SentenceView | None = None
    timeline_row: bool = False  # in a paragraph opening with an old year: not read

    @cached_property
    def quantities(self) -> list[Quantity]:
        return find_quantities(self.sentence.text)

    @cached_property
    def casualties(self) -> list[CasualtyMention]:
        return find_casualty_mentions(self.sentence.text)

    @cached_property
    def dates(self) -> list[DateMention]:
        return find_dates(self.sentence.text, self.published)


@dataclass(frozen=True)
class ArticleMentions:
    views: list[SentenceView]
    top_states: list[str]  # the two states named most: "the two sides" of an agreement
    people: dict[str, str] = field(default_factory=dict)  # learned: name -> actor code


def read_mentions(
    sentences: list[Sentence], registry: Registry, published: date | None
) -> ArticleMentions:
    views = []
    state_counts: Counter[str] = Counter()
    acronyms: dict[str, str] = {}
    people: dict[str, str] = {}  # "Sharif" -> PAK once "Pakistani Prime Minister Shehbaz Sharif"
    for s in sentences:
        low = lowered(s.text)
        actors = acronym_mentions(s.text, acronyms, find_actor_mentions(s.text, low, registry))
        acronyms.update(defined_acronyms(s.text, actors))
        actors = people_named_before(s.text, actors, people)
        people.update(people_introduced(s.text, actors, registry))
        places = find_places(s.text, low, registry)
        dateline_at = DATELINE.match(s.text)
        if dateline_at:
            # "UNITED NATIONS, April 2 (AP) -": where the reporter files from
            actors = [m for m in actors if m.start >= dateline_at.end()]
            places = [p for p in places if p.start >= dateline_at.end()]
        views.append(SentenceView(s, actors, places, published))
        state_counts.update(m.code for m in actors if registry.is_state(m.code) and not m.sponsor)
    _common_nouns_of_unnamed_groups(views, registry)
    old_paragraphs = _old_paragraphs(views, published.year if published else None)
    for position, view in enumerate(views):
        view.timeline_row = view.sentence.paragraph in old_paragraphs
        if not view.timeline_row:
            view.previous = views[position - 1] if position else None
    return ArticleMentions(views, [code for code, _ in state_counts.most_common(2)], people)


def _common_nouns_of_unnamed_groups(views: list[SentenceView], registry: Registry) -> None:
    """ "the rebels", "the coalition" name a known group only in an article that also names
    it properly ("Syrian rebels", "the US-led coalition"); elsewhere they are the rebels or
    the coalition of that story, reported as written, not the registry's group of that
    name in another war."""
    common = registry.memo("common_noun_aliases", lambda: _common_noun_aliases(registry))

    def is_common(m: ActorMention) -> bool:
        return m.known and m.text.lower() in common.get(m.code, ())

    named = {m.code for v in views for m in v.actors if m.known and not is_common(m)}
    for view in views:
        view.actors = [
            replace(m, code=m.text, known=False) if is_common(m) and m.code not in named else m
            for m in view.actors
        ]


def _common_noun_aliases(registry: Registry) -> dict[str, frozenset[str]]:
    """A group's aliases written in small letters ("rebels", "coalition forces")."""
    table = {}
    for actor in registry.actors.values():
        if actor.kind != "state":
            small = frozenset(a for a in actor.aliases if a.islower())
            if small:
                table[actor.code] = small
    return table


DATELINE = re.compile(
    r"^[A-Z][A-Z.'/ -]{2,}(?:,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*"
    r"[-\u2014\u2013]+\s"
)


LEADING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\b")


def _old_paragraphs(views: list[SentenceView], reference_year: int | None) -> set[int]:
    """Lines that open with an old year (a timeline row: "2014 ISIS seized ...")."""
    if reference_year is None:
        return set()
    old = set()
    for view in views:
        m = LEADING_YEAR.match(view.sentence.text)
        if m and int(m.group(1)) < reference_year - 1:
            old.add(view.sentence.paragraph)
    return old

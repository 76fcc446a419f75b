"""People the article itself introduces with their state's (or group's) title, learned for
the rest of the article ("Sharif said" speaks for Pakistan once "Pakistani Prime Minister
Shehbaz Sharif" was read). People are never hand-listed in the registry: the names learned
here are also reported with the extraction, for an editor to keep as aliases.

Three ways of introducing someone:
- "<state's> <title> <Name>": "Kenyan President William Ruto";
- "<Name>, <state's> <title>": "Kaja Kallas, the EU's foreign policy chief";
- "<title> <Name> of <state>": "President Ruto of Kenya".
"""

from __future__ import annotations

import re

from ingest.classify.actors import TITLE_RUN, TITLE_WORDS, ActorMention
from ingest.classify.lexicon import Registry

NAME_WORD = r"[A-Z][a-z'\u2019-]+"
LAST_NAME = r"[A-Z][a-z'\u2019-]{2,}"
# "<state's> <title> <First Last>": the person's name after a title mention
PERSON_AFTER = re.compile(rf"\s+((?:{NAME_WORD}\s+){{0,2}}({LAST_NAME}))\b")
# "<First Last>, the <state's> <title>": the name just before the comma (two words at
# least: one capitalised word before a comma opens many sentences)
PERSON_BEFORE_COMMA = re.compile(
    rf"(?:^|[^\w\s]\s*|\s)((?:{NAME_WORD}\s+){{1,2}}({LAST_NAME})),\s+(?:the\s+)?$"
)
POSSESSIVE_TITLE = re.compile(rf"(?:'s|\u2019s)?{TITLE_RUN.pattern}", re.IGNORECASE)
# "<Title> <Name> of <state>": "President William Ruto of Kenya"
PERSON_OF = re.compile(
    rf"\b(?i:{TITLE_WORDS})\s+((?:{NAME_WORD}\s+){{0,2}}({LAST_NAME}))\s+of\s+(?:the\s+)?$"
)
# Capitalised words that open a phrase and are no one's name.
NOT_NAMES = frozenset(
    [
        "on",
        "in",
        "at",
        "by",
        "for",
        "from",
        "with",
        "after",
        "before",
        "during",
        "since",
        "when",
        "while",
        "as",
        "but",
        "and",
        "the",
        "a",
        "an",
        "yesterday",
        "today",
        "meanwhile",
        "earlier",
        "later",
        "last",
        "this",
        "next",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def people_introduced(text: str, actors: list[ActorMention], registry: Registry) -> dict[str, str]:
    """name -> actor code for every person this sentence introduces (the full name and the
    last name alone), in the three ways above."""
    found: dict[str, str] = {}
    known_words = registry.memo("alias_words", lambda: _alias_words(registry))
    for m in actors:
        if not m.known or m.sponsor:
            continue
        for person in _people_at(text, m):
            full, last = person.group(1), person.group(2)
            words = full.split()
            if any(w.lower() in NOT_NAMES for w in words):
                continue
            for name in (full, last):
                if name.lower() not in known_words:
                    found[name] = m.code
    return found


def _people_at(text: str, m: ActorMention) -> list[re.Match[str]]:
    matches = []
    titled = TITLE_RUN.search(m.text) or POSSESSIVE_TITLE.match(text, m.end)
    if titled and TITLE_RUN.search(m.text):
        after = PERSON_AFTER.match(text, m.end)
        if after:
            matches.append(after)
    before = text[max(0, m.start - 80) : m.start]
    if titled:
        comma = PERSON_BEFORE_COMMA.search(before)
        if comma:
            matches.append(comma)
    of = PERSON_OF.search(before)
    if of:
        matches.append(of)
    return matches


def _alias_words(registry: Registry) -> frozenset[str]:
    words = {a.lower() for actor in registry.actors.values() for a in (actor.name, *actor.aliases)}
    return frozenset(words | {name.lower() for name in registry.places})


def people_named_before(
    text: str, actors: list[ActorMention], people: dict[str, str]
) -> list[ActorMention]:
    """The sentence's mentions plus every person learned before, named here."""
    if not people:
        return actors
    out = list(actors)
    for name, code in people.items():
        for hit in re.finditer(rf"\b{re.escape(name)}\b", text):
            s, e = hit.span()
            if not any(m.start < e and s < m.end for m in out):
                out.append(ActorMention(s, e, code, name))
    return sorted(out, key=lambda m: m.start)

"""The triggers stage: which of the event words `find_triggers` sees in a sentence tell an
event of their own (not a question headline, a relative clause retelling the noun before it,
the content of a demand, an arrest, a description of who backs whom), and each trigger's
stretch of the sentence.

Input: a sentence's text. Output: its triggers (`Trigger`, in order) and their segments.
"""

from __future__ import annotations

import re

from ingest.classify.sentences import Sentence
from ingest.classify.triggers import PHYSICAL_TYPES, Trigger, find_triggers

MAX_TRIGGERS = 16  # per sentence; real sentences hold a handful


def is_question_headline(sentence: Sentence) -> bool:
    """ "Will Turkey withdraw?": a headline asking tells nothing."""
    return sentence.headline and sentence.text.rstrip().endswith("?")


def sentence_triggers(text: str) -> list[Trigger]:
    return _without_denied_deeds(
        text, _without_restatements(text, find_triggers(text)[:MAX_TRIGGERS])
    )


DENIAL_BEFORE = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|dismissed|refuted)\s+"
    r"(?:(?:any|all|its|their|having|responsibility\s+for|involvement\s+in)\s+){0,3}$",
    re.IGNORECASE,
)


def _without_denied_deeds(text: str, triggers: list[Trigger]) -> list[Trigger]:
    """ "The ELN denied targeting civilians", "Pakistan denied losing an F-16": the deed a
    denial names is what is denied, no event of its own beside the denial. ("denied
    reports of a deployment" keeps the reported deployment: its status says denied.)"""
    if not any(t.type == "deny" for t in triggers):
        return triggers
    return [
        t
        for t in triggers
        if t.type == "deny"
        or t.type not in PHYSICAL_TYPES
        or not DENIAL_BEFORE.search(text[max(0, t.start - 60) : t.start])
    ]


RELATIVE_BEFORE = re.compile(r"\b(?:that|which)\s+(?:had\s+|has\s+|have\s+)?$", re.IGNORECASE)


def _without_restatements(text: str, triggers: list[Trigger]) -> list[Trigger]:
    """ "a drone attack ... that killed two crew members": the relative clause retells the
    attack named before it; its verb is no second event."""
    out: list[Trigger] = []
    for t in triggers:
        restated = (
            not t.rule.noun
            and RELATIVE_BEFORE.search(text[max(0, t.start - 20) : t.start])
            and any(o.type == t.type and o.rule.noun and o.end <= t.start for o in out)
        )
        if not restated:
            out.append(t)
    return out


def segments(triggers: list[Trigger], length: int) -> list[tuple[int, int]]:
    """Each trigger's stretch of the sentence: from the previous trigger to the next one of
    another event ("struck X in Iraq, ... after an attack in Ankara killed five")."""
    spans = []
    for i, t in enumerate(triggers):
        start = triggers[i - 1].start if i else 0
        end = length
        for later in triggers[i + 1 :]:
            if later.type != t.type or later.start - t.end > 25:
                end = later.start
                break
        spans.append((start, end))
    return spans


REQUESTING = frozenset({"demand", "ultimatum", "threaten"})


def requested(triggers: list[Trigger], index: int, text: str) -> bool:
    """A physical verb that is the content of a demand or threat before it."""
    trig = triggers[index]
    if trig.rule.noun:
        return False
    return any(
        t.type in REQUESTING and t.end <= trig.start and trig.start - t.end < 60
        for t in triggers[:index]
    )


def an_arrest(text: str, trig: Trigger, has_place: bool) -> bool:
    """ "captured an ISIS leader": an arrest, not ground taken."""
    return (
        trig.type == "capture"
        and not trig.rule.agent_after
        and not has_place
        and not (TERRITORY.search(text[trig.end : trig.end + 60]))
    )


def describes_support(text: str, trig: Trigger) -> bool:
    """ "the militias it backs": who backs whom is a description; "backed by US airstrikes":
    fighting alongside (an attack, if anything); "Turkey, which backs some factions,": a
    description, not a statement."""
    if trig.type != "support":
        return False
    return bool(
        SUPPORT_RELATIVE.search(text[: trig.start])
        or MILITARY_BACKING.match(text, trig.end)
        or DESCRIBING.search(text[: trig.start])
    )


TERRITORY = re.compile(
    r"\b(?:town|city|village|territory|area|areas|positions?|base|airport|district|"
    r"neighbou?rhood|province|region|hill|road|border|crossing|oil\s*field|dam|bridge|"
    r"land|ground|north|south|east|west|control)\b",
    re.IGNORECASE,
)


MILITARY_BACKING = re.compile(
    r"\s+by\s+(?:[\w'\u2019-]+\s+){0,3}?(?:air\s*strikes|air-strikes|air\s+power|airpower|"
    r"artillery|jets|warplanes|aircraft|drones|tanks|vehicles|troops|forces|fighters|"
    r"militiamen|units|helicopters|special\s+forces)\b",
    re.IGNORECASE,
)
DESCRIBING = re.compile(r",\s+(?:which|who)\s+(?:also\s+|has\s+long\s+)?$", re.IGNORECASE)
SUPPORT_RELATIVE = re.compile(
    r"\b(?:militias?|groups?|factions?|forces|proxies|fighters|allies|rebels)\s+(?:that\s+)?"
    r"(?:it|they)\s+$",
    re.IGNORECASE,
)

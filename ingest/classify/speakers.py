"""Speakers: who says what a sentence reports. The speaker of a quotation (named after
it, else before it), the subject of a reported clause ("announced that Iraq has decided"),
the speaker a pronoun continues ("Hezbollah said it had launched rockets").

Used by `roles.assign_roles` for speech acts and for acts a speaker tells of.
"""

from __future__ import annotations

import re

from ingest.classify.actors import ActorMention
from ingest.classify.triggers import Trigger

REPORTING = re.compile(
    r"\b(?:said|says|say|told\s+[\w ]{1,30}?|stated|announced|added|reported|reports|"
    r"claimed\s+that|according\s+to\s+[\w ]{1,30}?)\b"
    r",?\s*(?:that\s+|on\s+[\w.]+(?:\s+\d{1,2})?,?\s+that\s+)?",
    re.IGNORECASE,
)
QUOTE_SPANS = re.compile(r"[\"\u201c][^\"\u201c\u201d]{3,}[\"\u201d]")


def usable(m: ActorMention) -> bool:
    """A mention that can act: not a sponsor ("Iran-backed") nor a locative ("in Iraq")."""
    return not m.sponsor and not m.locative


def quote_speaker(
    sentence: str, trigger: Trigger, mentions: list[ActorMention]
) -> ActorMention | None:
    for q in QUOTE_SPANS.finditer(sentence):
        if q.start() <= trigger.start < q.end():
            # '..." Biden said' names the speaker; '...", while condemning attacks on bases
            # hosting coalition advisers' names someone else
            after = [
                m
                for m in mentions
                if m.start >= q.end()
                and usable(m)
                and SPEAKER_GAP.fullmatch(sentence[q.end() : m.start])
            ]
            if after:
                return after[0]
            before = [m for m in mentions if m.end <= q.start() and usable(m)]
            return before[-1] if before else None
    return None


SPEAKER_GAP = re.compile(
    r"[\s,.:\u2014-]*(?:(?:said|says|told|added|wrote|according\s+to)\s+)?"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w.'-]+\s+){0,3}",
    re.IGNORECASE,
)


def inside_quote(sentence: str, pos: int) -> tuple[int, int] | None:
    for q in QUOTE_SPANS.finditer(sentence):
        if q.start() <= pos < q.end():
            return q.start(), q.end()
    return None


def speech_agent(
    sentence: str,
    trigger: Trigger,
    mentions: list[ActorMention],
    candidates: list[ActorMention],
) -> ActorMention | None:
    """Who speaks: the subject of the complement clause ("announced that Iraq has decided
    to end ..."), else the speaker before the reporting verb ("The Iraqi government says
    that ... has given Turkey 48 hours"), else whoever comes nearest."""
    if trigger.rule.subject_is_patient:
        return candidates[0] if candidates else None
    if RELATIVE_PRONOUN_SUBJECT.search(sentence, 0, trigger.start):
        # "the strike killed X, whom it blamed for ...": "it" is the sentence's speaker
        said = REPORTING.search(sentence, 0, trigger.start)
        speakers = [
            m for m in mentions if usable(m) and not m.after_of and said and m.end <= said.start()
        ]
        return speakers[0] if speakers else None
    if candidates:
        # a relative clause has its own subject: "forces that Washington had backed"
        nearest = candidates[-1]
        if re.search(
            r"\b(?:that|which|whom)\s+(?:the\s+)?$", sentence[: nearest.start]
        ) and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", sentence[nearest.end : trigger.start]):
            return nearest
    complement_start = 0
    for m in REPORTING.finditer(sentence, 0, trigger.start):
        complement_start = m.end()
    inner = [m for m in candidates if m.start >= complement_start and not m.after_of]
    if (
        inner
        and complement_start
        and COMPLEMENT_THEN_AND.search(sentence, inner[0].end, trigger.start)
    ):
        inner = []
    if inner:
        return inner[0]
    outer = [m for m in candidates if m.start < complement_start and not m.after_of]
    if outer:
        return outer[0]
    if complement_start:
        spoken = [m for m in candidates if m.start < complement_start]
        if spoken:
            return spoken[0]
    return candidates[-1] if candidates else None


RELATIVE_PRONOUN_SUBJECT = re.compile(
    r",\s+(?:whom|which|who)\s+(?:it|they)\s+(?:had\s+|has\s+)?$", re.IGNORECASE
)
# "said the SDF was critical ... and called on Turkey": the complement's subject has its
# own verb; the verb coordinated after it is the speaker's
COMPLEMENT_THEN_AND = re.compile(
    r"\b(?:was|were|is|are|had|has|have|would|will)\b[^,;\"\u201c\u201d]{0,80}\sand\s+"
    r"(?:also\s+|then\s+)?$",
    re.IGNORECASE,
)


def pronoun_speaker(sentence: str, start: int, mentions: list[ActorMention]) -> ActorMention | None:
    """ "Hezbollah said it had launched rockets", "the military said its jets struck",
    "the group said in a statement that its fighters had killed": the speaker acts."""
    if not re.match(
        r"\s*(?:in\s+a\s+statement\s+|on\s+\w+\s+)?(?:that\s+)?(?:it|they|we|its|their|our)\b",
        sentence[start:],
        re.IGNORECASE,
    ):
        return None
    speakers = [m for m in mentions if m.end <= start and usable(m) and not m.after_of]
    return speakers[0] if speakers else None

"""Factuality of one trigger in its sentence, and the cues that make it no event at all.

- denied: inside what a denial denies ("denied reports of a deployment");
- claimed: a party claims it ("claimed responsibility for", "was claimed by");
- reported: attributed to a report ("CBS reported", "according to", "reportedly");
- planned: announced, future, conditional ("would be sent", "will deploy", "plans to");
- asserted: stated as fact.
Skipped: negated ("did not attack"), speculative ("could target"), background history
("in 2014", "during the Obama era") and purpose clauses ("to retake Mosul").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.classify.triggers import PHYSICAL_TYPES, Trigger

DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|refut(?:e|ed|es)|reject(?:ed|s)?|dismiss(?:ed|es)?)\s+"
    r"(?:\w+\s+){0,2}?(?:reports?|claims?|allegations?|accusations?|rumou?rs?|that)\b",
    re.IGNORECASE,
)
CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)?\s+(?:\w+\s+)?responsibility|\bclaimed\s+by\b|\bclaimed\s+(?:the\s+)?"
    r"(?:attack|strike)|\bclaim(?:ed|s)\s+(?:to\s+have|it\s+had|that\s+it)|"
    # "..., a claim that could not be verified" / "a claim the army did not confirm"
    r",\s+a\s+claim\b",
    re.IGNORECASE,
)
CLAIM_DENIED = re.compile(
    r",\s+(?:a\s+)?(?:claim|report|allegation|accusation)s?\s+(?:that\s+|which\s+)?"
    r"(?:[\w'-]+\s+){1,4}?(?:denied|rejected|dismissed|refuted)\b",
    re.IGNORECASE,
)
REPORT = re.compile(
    r"\b(?:reported|reports|reportedly|according\s+to|was\s+quoted|were\s+quoted|cited|"
    r"presumed|alleged(?:ly)?|purported(?:ly)?|sources\s+said|said\s+to\s+have)\b",
    re.IGNORECASE,
)
PLANNED_BEFORE = re.compile(
    r"\b(?:will|would|shall|plans?\s+to|planning\s+to|planned\s+to|set\s+to|due\s+to|"
    r"about\s+to|intends?\s+to|going\s+to|decided\s+to|agreed\s+to|preparing\s+to|"
    r"to\s+be|ready\s+to|are\s+being|is\s+being|'ll|expected\s+to|"
    # "to let Kurdish forces withdraw": what an agreement allows is still to come
    r"let|allow|allows|allowing|letting)\b(?:\s+[\w-]+){0,4}?\s*$",
    re.IGNORECASE,
)
# "the planned incursion", "Turkey prepares offensive", "clearing the way for an offensive"
PLANNED_NOUN = re.compile(
    r"\b(?:planned|upcoming|imminent|expected|looming|possible|potential|threatened|proposed|"
    r"impending|prepar(?:es|ing|ed)(?:\s+for)?|clearing\s+the\s+way\s+for|paving\s+the\s+"
    r"way\s+for|ahead\s+of)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|n't|never|no\s+longer|neither|nor|without)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# "did not endorse a Turkish operation": a noun under a negated verb
NEGATION_OF_OBJECT = re.compile(
    r"\b(?:not|n't|never)\s+(?:[\w-]+\s+){0,4}$",
    re.IGNORECASE,
)
SPECULATION = re.compile(
    r"\b(?:could|might|(?-i:may)|possibility|possibly|potential(?:ly)?|likely|unlikely|"
    r"if|unless|whether|would\s+have|hypothetical|risk\s+of|fears?\s+of|"
    r"threat\s+of|prospect\s+of|aims?\s+to|meant\s+to|seeks?\s+to|capable\s+of)\b",
    re.IGNORECASE,
)
BACKGROUND = re.compile(
    r"\b(?:era|historically|in\s+the\s+past|years\s+ago|decades?\s+ago|for\s+decades|"
    r"for\s+years|often|usually|typically|traditionally)\b",
    re.IGNORECASE,
)
# "warned that it would resume operations against US forces": the speaker's own act
OWN_RETALIATION = re.compile(
    r"\s+that\s+(?:it|they|we|the\s+group|its\s+forces|its\s+fighters)\s+(?:would|will)\s+"
    r"(?:\w+\s+){0,2}?(?:resume|respond|retaliate|attack|strike|target|hit|punish|launch|avenge)"
    # "warned that the operations would continue until ...": its own operations go on
    r"|\s+that\s+(?:the|its|their|our|these|such)\s+(?:operations?|attacks?|strikes?)\s+"
    r"(?:would|will)\s+(?:continue|go\s+on|intensify|expand)",
    re.IGNORECASE,
)
FUTURE_INSIDE = re.compile(r"\b(?:will|would|shall|to)\s+be\s+sent\b", re.IGNORECASE)
EXPECTED = re.compile(r"\bexpected\s+to\b", re.IGNORECASE)
ACCUSED_OF = re.compile(
    r"\baccus(?:ed|es|ing)\s+[^.;]{1,40}?\bof\s+(?:[\w-]+\s+){0,5}?(?:by\s+)?$",
    re.IGNORECASE,
)
# an apposition describing the subject: ", a mostly Yazidi force formed in 2014 to ...,"
DESCRIPTION = re.compile(r",\s+(?:a|an|the|which|who)\s[^,;]{1,120},", re.IGNORECASE)
YEAR = re.compile(r"\b(19\d{2}|20\d{2})s?\b")
INFINITIVE = re.compile(r"\bto\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# "made a push to oust", "an offensive to retake": the infinitive is the action itself
ATTEMPT = re.compile(
    r"\b(?:push|offensive|campaign|operation|assault|drive|bid|effort|attempt|moved|began|"
    r"started|continued)\s+to\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
PREPOSITION_GERUND = re.compile(
    r"\b(?:in|of|for|about|by|on|at|from|against|without|while|despite)\s+$", re.IGNORECASE
)


# "would require Turkey to withdraw", "urged Biden to strike": asked of someone, not done
REQUESTED = re.compile(
    r"\b(?:require[sd]?|requiring|forced?|forcing|urge[sd]?|urging|ask(?:s|ed|ing)?|"
    r"press(?:es|ed|ing)|pressured?|pressuring|wants?|wanted|expects?|allow(?:s|ed)?|"
    r"permit(?:s|ted)?|demand(?:s|ed|ing)?|persuaded?|convinced?|ordered|"
    r"call(?:ed|s|ing)?\s+(?:on|upon))\s+(?:[\w'-]+\s+){0,4}?to\s+"
    r"(?:\w+ly\s+)?$",
    re.IGNORECASE,
)


# sentence-wide cues, read once per sentence however many triggers it holds
@lru_cache(maxsize=256)
def _background(sentence: str) -> bool:
    return bool(BACKGROUND.search(sentence))


def _background_near(sentence: str, trigger: Trigger) -> bool:
    """ "called on both sides to ..., saying civilians had paid a heavy price for years":
    a background word in a later clause dates that clause, not the trigger."""
    return any(
        m.start() < trigger.start
        or (
            m.start() - trigger.end < 90
            and not re.search(r"[,;]", sentence[trigger.end : m.start()])
        )
        for m in BACKGROUND.finditer(sentence)
    )


@lru_cache(maxsize=256)
def _reported(sentence: str) -> bool:
    return bool(REPORT.search(sentence))


def clause_before(sentence: str, trigger: Trigger, limit: int = 80) -> str:
    """The text before the trigger back to the previous clause break (at most `limit`)."""
    chunk = sentence[max(0, trigger.start - limit) : trigger.start]
    cut = max(chunk.rfind(";"), chunk.rfind(","), chunk.rfind("\u2014"), chunk.rfind(":"))
    return chunk[cut + 1 :] if cut >= 0 else chunk


def skip_reason(sentence: str, trigger: Trigger, reference_year: int | None) -> str | None:
    """Why this trigger is not an event of its own, or None when it is one."""
    before = sentence[max(0, trigger.start - 60) : trigger.start]
    clause = clause_before(sentence, trigger)
    if (
        re.match(r"warn(?:s|ed|ing)?$", trigger.text, re.I)
        and re.match(r"\s+that\b", sentence[trigger.end :])
        and not OWN_RETALIATION.match(sentence, trigger.end)
    ):
        return "a warning about, not a threat to"
    negated = (
        NEGATION.search(before)
        or (trigger.rule.noun and NEGATION_OF_OBJECT.search(before))
        or re.search(r"\bnot\b|n't\b", trigger.text, re.I)
    )
    if negated and not trigger.rule.negation_ok and trigger.type != "deny":
        return "negated"
    if SPECULATION.search(clause):
        return "speculative"
    # "Iran is expected to respond": a forecast; forces "expected to move" are a plan
    if trigger.type not in PHYSICAL_TYPES and EXPECTED.search(clause):
        return "speculative"
    if _background(sentence) and _background_near(sentence, trigger):
        return "background"
    if reference_year is not None:
        described = [a.span() for a in DESCRIPTION.finditer(sentence, 0, trigger.start)]
        for m in YEAR.finditer(sentence):
            year = int(m.group(1))
            if any(s <= m.start() < e for s, e in described):
                continue  # "The YBS, a force formed in 2014, denied ...": says who, not when
            if year < reference_year - 1 and abs(m.start() - trigger.start) < 90:
                return "background"
    if trigger.type in PHYSICAL_TYPES and REQUESTED.search(before):
        return "requested"
    if (
        trigger.type in PHYSICAL_TYPES
        and INFINITIVE.search(before[-12:])
        and not PLANNED_BEFORE.search(sentence[max(0, trigger.start - 40) : trigger.start])
        and not ATTEMPT.search(before)
    ):
        return "purpose clause"
    if (
        trigger.text.lower().endswith("ing")
        and PREPOSITION_GERUND.search(before[-12:])
        # "claimed responsibility for firing rockets", "accused Turkey of violating the
        # truce by striking a hospital": the claimed or alleged deed itself
        and not re.search(r"responsibility\s+for\s+$", before, re.IGNORECASE)
        and not ACCUSED_OF.search(sentence[max(0, trigger.start - 100) : trigger.start])
    ):
        return "gerund"
    return None


def status_of(sentence: str, trigger: Trigger, denial_at: int | None) -> str:
    # what a denial denies is a deed ("denied reports of a deployment"), not the denier's
    # next words ("rejects the allegations and warned it would respond")
    if denial_at is not None and trigger.type in PHYSICAL_TYPES and denial_at < trigger.start:
        return "denied"
    if trigger.type == "deny":
        return "asserted"
    # "Turkish strikes killed three civilians, a claim Ankara denied"
    if trigger.type in PHYSICAL_TYPES and CLAIM_DENIED.search(sentence, trigger.end):
        return "denied"
    window = sentence[max(0, trigger.start - 80) : min(len(sentence), trigger.end + 80)]
    if CLAIM.search(window):
        return "claimed"
    if trigger.type in PHYSICAL_TYPES and ACCUSED_OF.search(
        sentence[max(0, trigger.start - 100) : trigger.start]
    ):
        return "reported"  # alleged by the accuser
    if trigger.type in PHYSICAL_TYPES:
        if trigger.rule.noun and PLANNED_NOUN.search(
            sentence[max(0, trigger.start - 50) : trigger.start]
        ):
            return "planned"
        reported = _reported(sentence)
        planned = bool(
            PLANNED_BEFORE.search(sentence[max(0, trigger.start - 50) : trigger.start])
            # "troops ... would be sent": the future is inside the trigger
            or FUTURE_INSIDE.search(trigger.text)
        )
        if reported:
            return "reported"
        if planned:
            return "planned"
    elif REPORT.search(window):
        return "reported"
    return "asserted"


def denial_position(sentence: str) -> int | None:
    m = DENIAL.search(sentence)
    return m.start() if m else None

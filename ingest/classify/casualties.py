"""Casualties stated for an event: "killing 25 fighters", "killed two US service members
and one British soldier" (3), "an officer and four soldiers were killed" (5), "at least 34
injured"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.classify.numbers import NUMBER_WORD, to_int

KILL = (
    r"kill(?:ing|ed|s)?|left\s+(?:\w+\s+)?dead|dead|died|slain|slaying|"
    r"claim(?:ed|ing)\s+the\s+lives\s+of"
)
HURT = r"injur(?:ing|ed|ies|es)|wound(?:ing|ed|s)?|hurt"
HEDGE = re.compile(
    r"^\s*(?:at\s+least|some|about|around|more\s+than|nearly|up\s+to|as\s+many\s+as|"
    r"roughly|an\s+estimated|over)\s+",
    re.IGNORECASE,
)
LEADING_NUMBER = re.compile(rf"^\s*(?P<num>{NUMBER_WORD})\b(?P<rest>.*)$", re.IGNORECASE | re.S)
STOP = re.compile(
    r"[,;:.()\[\]\u2014\u2013]|\b(?:including|in|on|at|near|during|when|while|after|before|as|"
    r"who|which|that|from|with|among|inside|outside)\b",
    re.IGNORECASE,
)
PASSIVE = re.compile(
    rf"(?P<subject>[^,;:.]*?)\s+(?:were|was|have\s+been|had\s+been|are|being)\s+"
    rf"(?:reportedly\s+|also\s+)?(?P<verb>{KILL}|{HURT})\b",
    re.IGNORECASE,
)
# the object is read ahead without being consumed: "killed 12 and wounded 30" has two
ACTIVE = re.compile(rf"\b(?P<verb>{KILL}|{HURT})\s+(?=(?P<object>[^;.]*))", re.IGNORECASE)
BARE_COUNT = re.compile(
    rf"\b(?P<num>{NUMBER_WORD})\s+(?:(?:other|others|more|people|civilians|soldiers|"
    rf"members|fighters|militants|troops|personnel)\s+)?(?P<verb>dead|killed|injured|wounded)\b",
    re.IGNORECASE,
)


INITIAL_DOT = re.compile(r"(?<=\b[A-Z])\.(?=[A-Z]\.|\s)")


@dataclass(frozen=True)
class Casualties:
    killed: int | None = None
    injured: int | None = None


def count_list(phrase: str) -> int | None:
    """Sum of a coordinated count: "two US service members and one British soldier" -> 3."""
    total = 0
    found = False
    # "and eleven others were wounded": the conjunction opening the phrase
    phrase = re.sub(r"^\s*(?:and|but|while)\s+", "", phrase)
    for part in re.split(r"\s*,\s*|\s+and\s+", phrase.strip()):
        part = HEDGE.sub("", part)
        # "killing him and six others", "wounding another": one each
        if re.match(r"\s*(?:him|her|another)\b", part, re.IGNORECASE):
            total, found = total + 1, True
            continue
        m = LEADING_NUMBER.match(part)
        if not m:
            break
        value = to_int(m.group("num"))
        if value is None:
            return None if not found else total
        if m.group("num").lower() in ("a", "an") and not m.group("rest").strip():
            break
        total += value
        found = True
    return total if found else None


def _kind(verb: str) -> str:
    return "injured" if re.match(HURT, verb, re.IGNORECASE) else "killed"


CUES = ("kill", "dead", "died", "slain", "slay", "lives", "injur", "wound", "hurt")


@dataclass(frozen=True)
class CasualtyMention:
    kind: str  # killed or injured
    value: int
    position: int  # where the verb stands, to tie the count to the nearest event


def find_casualty_mentions(sentence: str) -> list[CasualtyMention]:
    low = sentence.lower()
    if not any(cue in low for cue in CUES):
        return []
    found: list[CasualtyMention] = []
    # the subject may hold initials ("Two U.S. service members"): their dots, masked with a
    # character of the same length, do not end it
    for m in PASSIVE.finditer(INITIAL_DOT.sub("\u00b7", sentence)):
        subject = m.group("subject")
        # the counted phrase ends the subject: "An officer and four soldiers were killed"
        # "in which three soldiers", "the monitor said 19 people": the count after the cut
        subject = re.split(
            r"[,;:]|\b(?:that|after|when|while|which|who|where|said|says|reported|added)\b",
            subject,
        )[-1]
        value = count_list(subject)
        if value is not None:
            found.append(CasualtyMention(_kind(m.group("verb")), value, m.start("verb")))
    for m in ACTIVE.finditer(sentence):
        before = sentence[max(0, m.start() - 20) : m.start()].lower()
        if re.search(r"\b(?:were|was|been|are|being)\s+(?:\w+\s+)?$", before):
            continue
        # "the killing of three of its fighters"
        phrase = re.sub(r"^\s*of\s+", "", m.group("object"))
        phrase = STOP.split(HEDGE.sub("", phrase), maxsplit=1)[0]
        value = count_list(phrase)
        if value is not None:
            found.append(CasualtyMention(_kind(m.group("verb")), value, m.start()))
    for m in BARE_COUNT.finditer(sentence):
        value = to_int(m.group("num"))
        if value is not None:
            found.append(CasualtyMention(_kind(m.group("verb")), value, m.start("verb")))
    return found


def summed(mentions: list[CasualtyMention]) -> Casualties:
    """The first count of each kind (later ones restate or belong to another event)."""
    first: dict[str, int] = {}
    for m in mentions:
        first.setdefault(m.kind, m.value)
    return Casualties(first.get("killed"), first.get("injured"))


def find_casualties(sentence: str) -> Casualties:
    return summed(find_casualty_mentions(sentence))

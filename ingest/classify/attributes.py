"""The attributes stage: where (the best place in the trigger's stretch, else the country
an adjective names), how many troops, how many killed and injured (those tied to this
trigger), when (the nearest date that dates this act), who reports it, and what later
sentences need to recognise the event again.

Input: a sentence's mentions and a trigger. Output: `Attributes` (and `source_of`,
`extras_of` for the event's source and extras).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.classify.actors import ActorMention
from ingest.classify.casualties import Casualties, CasualtyMention, summed
from ingest.classify.dates import DateMention, nearest_date
from ingest.classify.drafts import head_noun
from ingest.classify.lexicon import PRECISION_RANK, PlaceEntry, Registry
from ingest.classify.mentions import SentenceView
from ingest.classify.quantities import Quantity
from ingest.classify.triggers import PHYSICAL_TYPES, Trigger


@dataclass(frozen=True)
class Attributes:
    place: PlaceEntry | None
    quantity: Quantity | None  # troops moved (deploy and withdraw only)
    killed: int | None  # (attack and capture only)
    injured: int | None
    when: DateMention | None


def find_attributes(
    view: SentenceView,
    triggers: list[Trigger],
    index: int,
    segment: tuple[int, int],
    registry: Registry,
) -> Attributes:
    text = view.sentence.text
    trig = triggers[index]
    place = _pick_place(view, trig, segment[0], segment[1], registry, triggers)
    when = nearest_date(_dates_of(text, trig, view.dates), trig.start)
    quantity = None
    if trig.type in ("deploy", "withdraw"):
        quantity = _nearest_quantity(view.quantities, trig)
    killed = injured = None
    if trig.type in ("attack", "capture"):
        own = _own_casualties(view.casualties, triggers, index, text)
        killed, injured = own.killed, own.injured
    return Attributes(place, quantity, killed, injured, when)


OUTLETS = re.compile(
    r"\b(Reuters|Associated Press|AP|AFP|Agence France-Presse|Al Jazeera|CBS News|CBS|CNN|"
    r"BBC News|BBC|NBC News|ABC News|Fox News|Rudaw|Haaretz|Al Arabiya|ISNA|IRNA|Tasnim|"
    r"Fars|Anadolu|Kurdistan 24|Al-Monitor|The New York Times|New York Times|"
    r"The Washington Post|Wall Street Journal|Bloomberg|Sky News|Middle East Eye|"
    r"state media|state television|the broadcaster)\b"
)
ACCORDING = re.compile(r"\baccording to ((?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,4})")


SPEECH_AFTER = re.compile(
    r"\s*,?\s*(?:said|says|told|announced|denied|denies|condemned|warned|accused|"
    r"blamed|called|vowed|demanded)\b",
    re.IGNORECASE,
)


def _dates_of(text: str, trig: Trigger, dates: list[DateMention]) -> list[DateMention]:
    """ "Iran on Monday denied any involvement in a drone attack": a date standing before a
    speech verb dates the speech, not the deed named after it."""
    if trig.type not in PHYSICAL_TYPES:
        return dates
    return [d for d in dates if not (d.end <= trig.start and SPEECH_AFTER.match(text, d.end))]


# "... in southern Lebanon, after Hezbollah fired": a new clause with its own subject
# ("since it fell to ISIS" still speaks of the place before it)
CLAUSE_BREAK = re.compile(
    r"\b(?:after|as|before|when|while|because|since|but)\s+(?!it\b|they\b|its\b)", re.I
)
ANSWERED = re.compile(
    r"\b(?:in\s+response\s+to|in\s+retaliation\s+for|to\s+avenge|revenge\s+for)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


def _nearest_quantity(quantities: list[Quantity], trig: Trigger) -> Quantity | None:
    if not quantities:
        return None
    return min(quantities, key=lambda q: abs(q.start - trig.start))


PREFERRED_PREPOSITION = {
    "deploy": ("to", "into", "in", "at"),
    "withdraw": ("from", "out of"),
    "force_level": ("in", "at"),
}


def _own_casualties(
    casualties: list[CasualtyMention], triggers: list[Trigger], index: int, text: str = ""
) -> Casualties:
    """Counts tied to this trigger: those after it (before the next violent one), or those
    before the first violent trigger ("Three soldiers were killed in a drone attack"); not
    those it answers ("in response to the killing of one of its commanders")."""
    violent = [i for i, t in enumerate(triggers) if t.type in ("attack", "capture")]
    own = []
    for c in casualties:
        if ANSWERED.search(text[max(0, c.position - 30) : c.position]):
            continue
        before = [i for i in violent if triggers[i].start <= c.position]
        owner = before[-1] if before else (violent[0] if violent else None)
        if owner == index:
            own.append(c)
    return summed(own)


def _pick_place(
    view: SentenceView,
    trig: Trigger,
    segment_start: int,
    segment_end: int,
    registry: Registry,
    others: list[Trigger],
) -> PlaceEntry | None:
    text = view.sentence.text
    # a place inside an actor's name is the actor ("Baghdad blasted", "Iran-backed")
    actor_spans = [(m.start, m.end) for m in view.actors if not m.locative]
    best: tuple[float, PlaceEntry] | None = None
    preferred = PREFERRED_PREPOSITION.get(trig.type, ("in", "at", "on", "near", "to", "into"))
    for p in view.places:
        if any(p.start < e and s < p.end for s, e in actor_spans):
            continue
        if p.start >= segment_end or p.end <= segment_start:
            continue
        if p.end <= trig.start and (
            any(p.end <= t.start < trig.start for t in others)
            or CLAUSE_BREAK.search(text, p.end, trig.start)
        ):
            continue  # "strikes killed 12 in southern Lebanon after Hezbollah fired ...": theirs
        before = text[max(0, p.start - 40) : p.start].lower()
        score = PRECISION_RANK.get(p.place.precision, 0) * 4.0
        if re.search(rf"\b(?:{'|'.join(preferred)})\s+(?:the\s+)?(?:\w+ern\s+)?$", before):
            score += 6
        distance = abs(p.start - trig.end) if p.start >= trig.end else abs(trig.start - p.end)
        score -= distance / 40
        if p.start >= trig.end:
            score += 1
        if best is None or score > best[0]:
            best = (score, p.place)
    if best is None:
        # "stormed into southern Israeli towns": the country named by its adjective
        return _country_named(view, registry, segment_start, segment_end)
    return best[1]


def _country_named(
    view: SentenceView, registry: Registry, segment_start: int, segment_end: int
) -> PlaceEntry | None:
    for m in view.actors:
        if m.locative and segment_start <= m.start < segment_end:
            place = registry.country_place(m.code)
            if place is not None:
                return place
    return None


def source_of(
    text: str, trig: Trigger, speaker: ActorMention | None, outlet: str | None
) -> str | None:
    m = ACCORDING.search(text)
    if m:
        return m.group(1).strip()
    m = OUTLETS.search(text)
    if m:
        return m.group(1)
    if speaker is not None:
        return speaker.text
    return outlet


BLAME = re.compile(r"blam|accus|held\s+\w+\s+responsible", re.IGNORECASE)


def extras_of(text: str, trig: Trigger) -> dict[str, object]:
    """What later sentences need: the noun the event is told by, and whether the speech
    act blames someone for an attack ("blamed X", "denounced X over an airstrike")."""
    extras: dict[str, object] = {"noun": head_noun(trig.text)}
    if BLAME.match(trig.text) or (
        trig.type == "condemn" and OVER_ATTACK.match(text, trig.end, trig.end + 140)
    ):
        extras["blame"] = True
    return extras


OVER_ATTACK = re.compile(
    r"[^;]{0,100}?\b(?:over|for)\s+(?:an?|the|its|their|this)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attack|strike|airstrike|air-strike|bombing|raid|shelling|assassination)",
    re.IGNORECASE,
)

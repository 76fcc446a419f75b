"""The roles stage, on whom: the target of an event, from its patient, its place's country,
the partner of an agreement, the doer of the event a speech act is about ("denounced the
agreement"), whom the speaker just blamed or who accused the denier; never the actor itself
nor its parent or child (IRGC and Iran are one side).

Input: a trigger, its agency, the sentence's mentions and the events read so far. Output:
an actor code or None.
"""

from __future__ import annotations

import re

from ingest.classify.actors import ActorMention
from ingest.classify.agents import Agency
from ingest.classify.drafts import Draft, head_noun
from ingest.classify.lexicon import PlaceEntry, Registry
from ingest.classify.triggers import Trigger


def first_target(
    text: str,
    trig: Trigger,
    agency: Agency,
    mentions: list[ActorMention],
    place: PlaceEntry | None,
    registry: Registry,
) -> str | None:
    """The target read from the trigger's own clause."""
    target_code = agency.target
    if target_code is None and trig.type == "agree" and agency.agent is not None:
        partner = _coordinated_with(text, agency.agent, mentions)
        target_code = partner.code if partner else None
    if target_code is None:
        target_code = _target(trig, agency.actor, agency.patient, place, registry)
    return target_code


def resolve_target(
    text: str,
    trig: Trigger,
    actor_code: str,
    target_code: str | None,
    agent: ActorMention | None,
    mentions: list[ActorMention],
    drafts: list[Draft],
    registry: Registry,
    index: int,
) -> str | None:
    """The target of an event with a known actor, looking beyond its clause when needed
    (`drafts`: the events read so far, this sentence's included)."""
    if target_code is None and trig.type in ("condemn", "deny", "support", "threaten"):
        target_code = _object_event_actor(text, trig, actor_code, drafts, registry)
    if target_code is None and trig.type == "agree":
        target_code = _agreed_with(text, actor_code, mentions)
    if target_code == actor_code or family(registry, actor_code, target_code):
        target_code = None
    if target_code is None and trig.type in ("condemn", "threaten", "demand"):
        others = [
            m
            for m in mentions
            if m.end <= trig.start
            and not m.sponsor
            and not m.locative
            and m.code != actor_code
            and not family(registry, actor_code, m.code)
            and not (agent is not None and _conjuncts(text, m, agent))
        ]
        if others and trig.type == "condemn":
            target_code = others[0].code
        elif trig.type != "demand":
            target_code = _previous_attacker(drafts, actor_code, registry)
        if target_code is None and trig.type == "threaten":
            # "Biden blamed the militias ... 'We will respond'": whom the threatener
            # just blamed
            target_code = _just_blamed(drafts, actor_code, index)
    if target_code is None and trig.type == "deny":
        target_code = accuser(drafts, actor_code)
    if trig.type == "attack" and target_code is None and RETALIATION.search(trig.text):
        target_code = _previous_attacker(drafts, actor_code)
    return target_code


RETALIATION = re.compile(r"respond|retaliat|return", re.IGNORECASE)


def _target(
    trig: Trigger,
    actor: str | None,
    patient: ActorMention | None,
    place: PlaceEntry | None,
    registry: Registry,
) -> str | None:
    place_country = place.country if place and place.country != actor else None
    if trig.type in ("deploy", "withdraw", "force_level"):
        return place_country
    if patient is not None:
        return patient.code
    if trig.type in ("attack", "capture"):
        return place_country
    return None


def _coordinated_with(
    text: str, agent: ActorMention, mentions: list[ActorMention]
) -> ActorMention | None:
    """ "Moscow and Ankara agreed": the partner is the other conjunct."""
    for m in mentions:
        if m.start > agent.end and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[agent.end : m.start]):
            return m
    return None


def _conjuncts(text: str, a: ActorMention, b: ActorMention) -> bool:
    """ "The European Union and the Arab League": acting together, not on each other."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return bool(
        re.fullmatch(
            r"\s*,?\s+and\s+(?:the\s+)?|\s*,\s+(?:the\s+)?", text[first.end : second.start]
        )
    )


EVENT_OBJECT = re.compile(
    r"\s*(?:the|this|that|these|those|its|their|his|her)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>agreement|deal|accord|truce|ceasefire|withdrawal|pullout|deployment|"
    r"(?:air)?strikes?|air-strikes?|attacks?|operation|offensive|bombing|raids?|incursion|"
    r"invasion|killing|assassination)\b",
    re.IGNORECASE,
)
NOUN_TYPE = {
    "agreement": "agree", "deal": "agree", "accord": "agree", "truce": "agree",
    "ceasefire": "agree", "withdrawal": "withdraw", "pullout": "withdraw",
    "deployment": "deploy",
}  # fmt: skip


def _object_event_actor(
    text: str,
    trig: Trigger,
    actor: str | None,
    drafts: list[Draft],
    registry: Registry,
) -> str | None:
    """ "denounced the agreement", "called the withdrawal a stab in the back": the one who
    did what is condemned (the latest such event by someone else)."""
    verb = re.match(r"(?:called|calling|describ\w+)\s", trig.text, re.IGNORECASE)
    m = EVENT_OBJECT.match(text, trig.start + verb.end() if verb else trig.end)
    if m is None:
        return None
    type_ = NOUN_TYPE.get(m.group("noun").lower(), "attack")
    others = [
        d
        for d in drafts
        if d.type == type_ and d.actor and d.actor != actor and not family(registry, actor, d.actor)
    ]
    # "condemned the strikes": the latest told as strikes, else the latest of the kind
    noun = head_noun(m.group("noun"))
    same = [d for d in others if d.extras.get("noun") == noun]
    chosen = same or others
    return chosen[-1].actor if chosen else None


def _agreed_with(text: str, actor: str | None, mentions: list[ActorMention]) -> str | None:
    """ "in a deal struck after talks between U.S. Vice President Mike Pence and ...": the
    partner is named after "with" or "between"."""
    for m in re.finditer(r"\b(?:with|between)\s+(?:the\s+)?", text):
        for mention in mentions:
            near = m.end() <= mention.start <= m.end() + 30
            if near and mention.code != actor and not mention.sponsor and not mention.locative:
                return mention.code
    return None


def _previous_attacker(
    drafts: list[Draft], actor: str, registry: Registry | None = None
) -> str | None:
    for d in reversed(drafts):
        if d.type == "attack" and d.actor and d.actor != actor and d.status != "denied":
            if registry is not None and family(registry, actor, d.actor):
                continue
            return d.actor
    return None


def _just_blamed(drafts: list[Draft], actor: str | None, index: int) -> str | None:
    for d in reversed(drafts):
        recent = index - 3 <= d.sentence <= index
        if recent and d.type == "condemn" and d.actor == actor and d.target:
            return d.target
    return None


def accuser(drafts: list[Draft], actor: str) -> str | None:
    """Who accused the denier: "Trump blamed Iran" ... "Iran denied any involvement"."""
    for d in reversed(drafts):
        if d.type == "condemn" and d.target == actor and d.actor:
            return d.actor
    return None


def family(registry: Registry, a: str | None, b: str | None) -> bool:
    """One is the other's parent (IRGC and Iran, KH and the PMF): not adversaries."""
    if a is None or b is None or a == b:
        return False
    actor_a, actor_b = registry.actors.get(a), registry.actors.get(b)
    if any(x is not None and x.kind == "subnational_government" for x in (actor_a, actor_b)):
        return False  # the Kurdistan Region and Baghdad do quarrel and deal with each other
    return bool(
        (actor_a is not None and actor_a.parent == b)
        or (actor_b is not None and actor_b.parent == a)
    )

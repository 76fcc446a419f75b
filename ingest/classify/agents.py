"""The roles stage, who acted: the agent `assign_roles` reads around a trigger, or the
subject it shares with the verb before it, or the subject of the previous sentence a
pronoun or a body's common noun continues ("He gave the YPG a week"), or "the two sides" of
an agreement; the patient, named rather than an umbrella term where the sentence allows.

Input: a sentence's mentions, its triggers and the agents of its earlier triggers. Output:
`Agency` for one trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.classify.actors import ActorMention
from ingest.classify.drafts import Draft
from ingest.classify.lexicon import Registry
from ingest.classify.mentions import SentenceView
from ingest.classify.roles import assign_roles, prefer_named
from ingest.classify.speakers import QUOTE_SPANS
from ingest.classify.triggers import FORCES, PHYSICAL_TYPES, SPEECH_TYPES, Trigger


@dataclass(frozen=True)
class Agency:
    agent: ActorMention | None
    patient: ActorMention | None
    rule: str  # how the agent was found ("subject", "by", "pronoun", "two_sides", ...)
    actor: str | None  # the agent's code (or the first of "the two sides")
    target: str | None  # set only by "the two sides"
    speaker: ActorMention | None  # who says it, when that is not the agent


def find_agency(
    view: SentenceView,
    triggers: list[Trigger],
    index: int,
    segment_end: int,
    agents: dict[int, ActorMention],
    registry: Registry,
    top_states: list[str],
) -> Agency:
    text = view.sentence.text
    trig = triggers[index]
    # a denial's object is the event it denies: its patient may stand in that event
    limit = None if trig.type == "deny" else segment_end
    roles = assign_roles(text, trig, view.actors, limit)
    agent, patient, rule = roles.agent, roles.patient, roles.agent_rule
    shared = _shared_subject(text, triggers, index, agents)
    if shared is not None and rule in ("subject", ""):
        # "US forces destroyed two Houthi drones and struck a radar site": one subject
        agent, rule = shared, "subject"
    if agent is None:
        agent = _sentence_pronoun(text, trig, view.previous)
        rule = "pronoun" if agent is not None else rule
    actor_code = agent.code if agent else None
    target_code: str | None = None
    two_sides = trig.type == "agree" and len(top_states) == 2
    if two_sides and TWO_SIDES.search(text[max(0, trig.start - 25) : trig.start]):
        actor_code, target_code, rule = top_states[0], top_states[1], "two_sides"
    patient = prefer_named(
        patient,
        view.actors,
        registry.is_umbrella(patient.code if patient else None),
        _specific_codes(registry),
    )
    return Agency(agent, patient, rule, actor_code, target_code, roles.speaker)


def fallback_actor(
    text: str,
    trig: Trigger,
    before: list[Trigger],
    out: list[Draft],
    mentions: list[ActorMention],
    registry: Registry,
) -> str | None:
    """The actor of a physical verb that names none around it."""
    if trig.type in PHYSICAL_TYPES and not trig.rule.noun:
        # "Turkish jets struck PKK shelters, and commandos were then flown in"
        actor = _coordinated_clause_actor(text, trig, before, out)
        if actor is not None:
            return actor
    if trig.type in ("deploy", "withdraw") and not trig.rule.noun:
        return _state_speaker(text, trig, mentions, registry)
    return None


def _specific_codes(registry: Registry) -> dict[str, bool]:
    """Codes that name one group (not a state, not an umbrella term), cached per registry."""
    return registry.memo(
        "specific_codes",
        lambda: {
            code: not registry.is_umbrella(code) and not registry.is_state(code)
            for code in registry.actors
        },
    )


TWO_SIDES = re.compile(
    r"\b(?:the\s+two\s+(?:sides|countries|governments|nations|leaders|allies|presidents)|"
    r"both\s+(?:sides|countries|governments)|the\s+two)\b",
    re.IGNORECASE,
)
COORDINATED_VERB = re.compile(
    r"^[^,;.]{0,80}?\s(?:and|then|before)\s+(?:then\s+|also\s+|later\s+)?$", re.IGNORECASE
)


def _shared_subject(
    text: str, triggers: list[Trigger], index: int, agents: dict[int, ActorMention]
) -> ActorMention | None:
    """A physical verb coordinated with the physical verb just before it shares its
    subject (the nearest name before it is that verb's object)."""
    if index == 0 or index - 1 not in agents:
        return None
    trig, previous = triggers[index], triggers[index - 1]
    if trig.rule.noun or previous.rule.noun:
        return None
    gap = text[previous.end : trig.start]
    if trig.type in SPEECH_TYPES and previous.type in SPEECH_TYPES:
        # "welcomed the timeline but warned that ...": one speaker, two acts
        return agents[index - 1] if COORDINATED_SPEECH.match(gap) else None
    if trig.type not in PHYSICAL_TYPES or previous.type not in PHYSICAL_TYPES:
        return None
    return agents[index - 1] if COORDINATED_VERB.match(gap) else None


COORDINATED_SPEECH = re.compile(
    r"^[^,;.\"\u201c\u201d]{0,60}?\s(?:and|but)\s+(?:also\s+|then\s+)?$", re.IGNORECASE
)
SAID_BEFORE = re.compile(r"\s+(?:said|says|announced|stated)\b", re.IGNORECASE)


def _state_speaker(
    text: str, trig: Trigger, mentions: list[ActorMention], registry: Registry
) -> str | None:
    """ "The Iraqi Joint Operations Command said troops had been sent to the area": a
    state body telling of troops of no named nationality moved speaks of its own."""
    for m in mentions:
        if m.end > trig.start or not registry.is_state(m.code) or m.sponsor or m.locative:
            continue
        said = SAID_BEFORE.search(text, m.end, trig.start)
        between = text[m.end : said.start()] if said else ""
        # "said on Thursday that a second carrier ... would be sent": a short complement
        told = text[said.end() : trig.start] if said else ""
        close = len(between) < 40 and len(told) < 40
        if said and close and not re.search(r"[,;]", between + told):
            return m.code
    return None


def names_itself(trig: Trigger, agent: ActorMention, view: SentenceView) -> bool:
    """The accused named right after the verb is the accuser too ("Americans ... accusing
    Washington"): the accuser was misread."""
    return any(
        m is not agent
        and m.code == agent.code
        and trig.end <= m.start <= trig.end + 6
        # "a violation of Iraqi sovereignty" said by Iraq: its own, as it should be
        and not OWN_SOVEREIGNTY.match(view.sentence.text, m.end)
        for m in view.actors
    )


OWN_SOVEREIGNTY = re.compile(r"\s+(?:sovereignty|territory|airspace|soil|security)\b", re.I)


def acting_with(text: str, agent: ActorMention, mentions: list[ActorMention]) -> list[ActorMention]:
    """ "The United States, Britain and Israel blamed Tehran": each named actor acts."""
    chain: list[ActorMention] = []
    last = agent
    for m in mentions:
        if m.start < last.end:
            continue
        if not re.fullmatch(
            r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", text[last.end : m.start]
        ):
            break
        if m.sponsor or m.locative or not m.known:
            break
        chain.append(m)
        last = m
    return chain


def _coordinated_clause_actor(
    text: str, trig: Trigger, before: list[Trigger], out: list[Draft]
) -> str | None:
    """ "Turkish jets struck PKK shelters, and commandos were then flown in": a physical
    act coordinated with the one before it has the same actor."""
    physical = [t for t in before if t.type in PHYSICAL_TYPES]
    acted = [d for d in out if d.type in PHYSICAL_TYPES and d.actor]
    if not physical or not acted:
        return None
    if not re.search(r",?\s+and\s+", text[physical[-1].end : trig.start]):
        return None
    return acted[-1].actor


def _sentence_pronoun(
    text: str, trig: Trigger, previous: SentenceView | None
) -> ActorMention | None:
    """ "He gave the YPG a week to leave", "The ministry called on Turkey to stop": a
    sentence opening with a pronoun (speech acts only: who says, threatens, demands) or with
    a body's common noun ("the group", any act) continues the previous sentence's subject,
    the speaker outside any quotation there."""
    if previous is None or trig.start > 60 or (trig.rule.noun and trig.type in PHYSICAL_TYPES):
        return None
    speech_pronoun = trig.type in SPEECH_TYPES and PRONOUN_OPENING.match(text)
    own_forces = trig.type in PHYSICAL_TYPES and POSSESSIVE_FORCES.match(text)
    if not (DESCRIPTOR.match(text) or speech_pronoun or own_forces):
        return None
    # a quotation running over several sentences names no subject: look further back
    view: SentenceView | None = previous
    for _ in range(3):
        if view is None:
            return None
        quoted = _quoted_spans(view.sentence.text)
        subjects = [
            m
            for m in view.actors
            if not m.sponsor
            and not m.locative
            and not m.after_of
            and not any(qs <= m.start < qe for qs, qe in quoted)
        ]
        if subjects:
            return subjects[0]
        if not quoted:
            return None
        view = view.previous
    return None


QUOTE_MARK = re.compile(r"[\"\u201c\u201d]")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Quoted stretches of a sentence, including a quotation opened in an earlier sentence
    ('... more severe."' is all quoted) or closed in a later one."""
    spans = [q.span() for q in QUOTE_SPANS.finditer(text)]
    marks = [m.start() for m in QUOTE_MARK.finditer(text)]
    if len(marks) % 2 == 1:
        if text.rstrip().endswith(('"', "\u201d")) and not text.lstrip().startswith(
            ('"', "\u201c")
        ):
            spans.append((0, marks[-1] + 1))  # closes a quotation opened before
        else:
            spans.append((marks[-1], len(text)))  # opens one that goes on
    return spans


PRONOUN_OPENING = re.compile(r"(?:He|She|They|It)\s")
# "Its forces had redeployed": the previous sentence's subject moved its own forces
POSSESSIVE_FORCES = re.compile(rf"(?:Its|Their)\s+(?:own\s+)?{FORCES}\b")
DESCRIPTOR = re.compile(
    r"The\s+(?:ministry|government|spokes(?:man|woman|person)|statement|group|militia|movement|"
    r"army|military|minister|president|office|council|organi[sz]ation|militants|rebels|"
    r"fighters|insurgents|party)\b"
    # "Government spokesman Muammar al-Eryani accused ...": the government just named
    r"|(?:The\s+)?(?:Government|Ministry|Army|Military)\s+spokes(?:man|woman|person)\b"
)

"""Who acts and who is acted upon, for one trigger in one sentence.

Rules, in order, for the agent:
1. a "by" phrase right after the trigger ("was struck by X", "attack by ISIS militants");
2. an actor after the trigger when the trigger says so ("fell to ISIS");
3. a modifier right before it ("US drone strike", "Turkish troops invaded");
4. for verbs (and nouns after a light verb: "carried out strikes"), the nearest actor
   before it in its clause; for speech acts inside a quotation, the quoted speaker;
5. a "from" phrase ("a rebuke from the Iraqi government", "fire from ISIS territory").
The patient is the first actor after the trigger that is not the agent (the object of a
passive is its subject); an umbrella term followed by a named group yields the group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.classify.actors import ActorMention
from ingest.classify.speakers import (
    REPORTING,
    inside_quote,
    pronoun_speaker,
    quote_speaker,
    speech_agent,
    usable,
)
from ingest.classify.triggers import FORCES, SPEECH_TYPES, Trigger

LIGHT_VERB = re.compile(
    r"\b(?:carried\s+out|carries\s+out|carry\s+out|conducted|conducts|conduct|launched|"
    r"launches|launch|staged|mounted|executed|waged|waging|claimed\s+(?:\w+\s+)?responsibility"
    r"\s+for|claimed|claims|pressed|intensified|stepped\s+up|was\s+behind|were\s+behind|responsible\s+for|issued|made|ordered|began|started|"
    r"(?:responded|retaliated|answered|hit\s+back)\s+with|gave|gives|delivered|presented)"
    r"\s+(?:[\w'\u2019-]+\s+){0,5}$",
    re.IGNORECASE,
)
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+ly\s+|[\"\u201c\u201d]\w+[\"\u201c\u201d]\s+)?$",
    re.IGNORECASE,
)
# "Iraq militia attacks": the fighters, not the state, act
IRREGULARS = re.compile(
    r"\b(?:militias?|militiamen|militants?|rebels?|insurgents?|protesters|gunmen|jihadists?|"
    r"tribes?|tribesmen|supporters|groups?|factions?|cells?)\b",
    re.IGNORECASE,
)
MODIFIER_GAP = re.compile(r"^(?:['\u2019]s)?\s*(?:\([\w-]+\)\s*)?(?:[\w-]+\s+){0,2}$")
VERBISH = re.compile(
    r"\b(?:\w+ed|\w+ing|is|are|was|were|has|have|had|that|which|who|and|or|but|in|on|at|of|"
    r"to|for|with|from|after|before|since|as|than|by|during|amid|following|said|says|say|"
    r"will|would|can|could|should|must|may|might|did|does|do|"
    r"told|tells|the|a|an|this|that|these|those)\b",
    re.IGNORECASE,
)
FORCES_WORD = rf"^{FORCES}\b|^convoys?\b"


@dataclass(frozen=True)
class Roles:
    agent: ActorMention | None
    patient: ActorMention | None
    agent_rule: str  # which rule found the agent: by, after, modifier, subject, speaker, from
    speaker: ActorMention | None = None


def _by_agent(
    sentence: str, trigger: Trigger, mentions: list[ActorMention]
) -> tuple[ActorMention | None, int]:
    tail = sentence[trigger.end : trigger.end + 60]
    m = re.match(r"^((?:\s+[\w'\u2019.,-]+){0,5}?)\s+by\s+", tail)
    if not m:
        return None, -1
    between = m.group(1)
    # "an operation carried out by former rebels": the participle names the doer next
    doer_participle = trigger.rule.noun and PERFORMED.fullmatch(between)
    if not doer_participle and re.search(
        r"\b(?:\w+ed|\w+ing|that|which|who|used|when|and)\b", between, re.I
    ):
        return None, -1
    by_at = trigger.end + m.end()
    if re.match(r"[\w-]+ing\b", sentence[by_at:]):
        return None, -1  # "retaliated by striking ...": a means, not an agent
    for mention in mentions:
        if mention.start < by_at or not usable(mention):
            continue
        gap = sentence[by_at : mention.start]
        if len(gap) <= 32 and not re.search(
            r"[,;]|\b(?:as|after|when|while|and|but|which|who|before|since)\b", gap, re.I
        ):
            return mention, by_at
        break
    return None, -1


PERFORMED = re.compile(
    r"\s+(?:carried\s+out|conducted|launched|staged|mounted|executed|led|claimed|waged)",
    re.IGNORECASE,
)
BACKED_BY = re.compile(
    r"\b(?:backed|supported|aided|assisted|covered)\s+by\s+(?:the\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
APPOSITIVE = re.compile(r",\s+(?:the|a|an|one|its|their)\s[^,;]{1,120},", re.IGNORECASE)
# "X were killed when a drone struck": the subordinate clause has its own subject
SUBORDINATE = re.compile(
    r"\b(?:when|while|because|until|once|where|although|though)\s+"
    r"(?:a|an|the|its|their|one|two|three|several|[\w-]+ing)\s|"
    # headline style, no article: "rebels sweep into Aleppo as army pulls back"
    r"\b(?:as|while|when|after)\s+(?:army|troops|forces|soldiers|police|militants|rebels|"
    r"fighters|insurgents)\s",
    re.IGNORECASE,
)


def _interrupted(sentence: str, mention: ActorMention, trigger: Trigger) -> bool:
    """A new clause subject between a candidate and its verb: "..., the introduction of",
    "... were killed when a drone struck" (an appositive ", an umbrella group," is none)."""
    gap = APPOSITIVE.sub(" ", sentence[mention.end : trigger.start])
    return bool(
        re.search(r"[,;]\s+(?:the|a|an|this|that|these|those)\s", gap, re.I)
        or SUBORDINATE.search(gap)
    )


def _first_conjunct(
    sentence: str, mention: ActorMention, mentions: list[ActorMention]
) -> ActorMention:
    """ "The United States and Britain carried out": the first named leads."""
    for m in mentions:
        if m.end <= mention.start and re.fullmatch(
            r"\s+and\s+(?:the\s+)?", sentence[m.end : mention.start]
        ):
            return m
    return mention


SUBORDINATE_COMMA = re.compile(
    r",\s+(?:after|as|while|when|because|but|since|before|whereas|although|though)\s",
    re.IGNORECASE,
)


def _clause_start(sentence: str, trigger: Trigger, speech: bool) -> int:
    if speech:
        cut = sentence.rfind(";", 0, trigger.start)
        start = cut + 1 if cut >= 0 else 0
        # "Iran denied ..., after the United States and Britain blamed Tehran": the
        # subordinate clause has its own speaker (unless a reporting verb frames it)
        for m in SUBORDINATE_COMMA.finditer(sentence, start, trigger.start):
            if not REPORTING.search(sentence, m.end(), trigger.start):
                start = m.end()
        return start
    start = 0
    for m in REPORTING.finditer(sentence, 0, trigger.start):
        start = m.end()
    cut = sentence.rfind(";", 0, trigger.start)
    return max(start, cut + 1)


def assign_roles(
    sentence: str, trigger: Trigger, mentions: list[ActorMention], limit: int | None = None
) -> Roles:
    """Agent and patient of `trigger`; the patient is looked for before `limit` (where the
    next event's words begin)."""
    speech = trigger.type in SPEECH_TYPES
    agent: ActorMention | None = None
    rule = ""
    between_patient: ActorMention | None = None

    by_agent, by_at = _by_agent(sentence, trigger, mentions)
    passive = bool(PASSIVE_BEFORE.search(sentence[max(0, trigger.start - 25) : trigger.start])) or (
        trigger.text.lower().endswith("ed") and sentence[trigger.end :].startswith(" by ")
    )
    if by_agent is not None and speech and not passive and not trigger.rule.noun:
        # "a violation of our sovereignty by the Turkish side": the violator is the patient
        between_patient, by_agent = by_agent, None
    if by_agent is not None:
        agent, rule = by_agent, "by"
        inner = [m for m in mentions if trigger.end <= m.start < by_at and usable(m)]
        between_patient = inner[0] if inner else None

    if agent is None and trigger.rule.agent_after:
        after = [m for m in mentions if m.start >= trigger.end and usable(m)]
        if after and after[0].start - trigger.end < 30:
            agent, rule = after[0], "after"

    # "US drone strike", "Turkish troops invaded"; a speech verb has a subject, not a
    # modifier ("the US strikes were a mistake, Iran said")
    if agent is None and not trigger.rule.subject_is_patient and (trigger.rule.noun or not speech):
        for m in reversed(mentions):
            if m.end > trigger.start or not usable(m):
                continue
            gap = sentence[m.end : trigger.start]
            if (
                MODIFIER_GAP.match(gap)
                and not VERBISH.search(gap)
                and not m.city_name
                # "forces backed by Russian air power captured": not the subject
                and not (m.after_of and not m.force and not trigger.rule.noun)
                # "pause its Syria offensive": a country's name before a noun is where
                and not (m.country_name and trigger.rule.noun)
                and not IRREGULARS.search(gap)
                # "factions backed by Turkish drones attacked": the backer is no subject
                # (but "backed by US airstrikes": the US carries out the airstrikes)
                and (trigger.rule.noun or not BACKED_BY.search(sentence, 0, m.start))
            ):
                agent, rule = _first_conjunct(sentence, m, mentions), "modifier"
            break

    if agent is None and not trigger.rule.noun:
        # "a convoy of 50 Turkish armored vehicles was sent": forces named inside the trigger
        inside = [m for m in mentions if trigger.start <= m.start and m.end <= trigger.end]
        named = inside and inside[0].known and usable(inside[0])
        if named and re.search(FORCES_WORD, trigger.text, re.I):
            agent, rule = inside[0], "modifier"

    if agent is None and trigger.rule.noun:
        # "a deployment of more US troops", "the shelling of Kilis by ..." (forces only)
        for m in mentions:
            if not (trigger.end < m.start <= trigger.end + 30) or not (m.force and usable(m)):
                continue
            if re.match(r"^\s+of\s+(?:[\w,.-]+\s+){0,2}$", sentence[trigger.end : m.start]):
                agent, rule = m, "of"
                break

    quote = inside_quote(sentence, trigger.start)
    speaker = quote_speaker(sentence, trigger, mentions) if quote else None
    # "Khamenei said Israel 'will be punished'": the one named in the quote is the patient
    if agent is None and speech and speaker is not None and not trigger.rule.subject_is_patient:
        agent, rule = speaker, "speaker"

    light = LIGHT_VERB.search(sentence[max(0, trigger.start - 70) : trigger.start])
    verbal = not trigger.rule.noun or (
        light is not None and not light.group(0).split()[0].lower().endswith("ing")
    )
    if agent is None and verbal and not passive and not trigger.rule.agent_after:
        start = _clause_start(sentence, trigger, speech)
        if quote and not speech:
            start = max(start, quote[0])
        candidates = [
            m
            for m in mentions
            if start <= m.start
            and m.end <= trigger.start
            and usable(m)
            and not _interrupted(sentence, m, trigger)
        ]
        if speech:
            agent = speech_agent(sentence, trigger, mentions, candidates)
        else:
            # the subject, not an object of a preposition, unless it names forces on stage
            subjects = [
                m
                for m in candidates
                if (not m.after_of or m.force)
                and not (BACKED_BY.search(sentence, 0, m.start) and m is not candidates[0])
            ]
            if trigger.type in ("deploy", "withdraw"):
                # "US troops leaving Syria will move to": the forces move, not the place
                subjects = [m for m in subjects if m.force] or subjects
            agent = _first_conjunct(sentence, subjects[-1], mentions) if subjects else None
            if agent is None and start > 0:
                agent = pronoun_speaker(sentence, start, mentions)
        rule = "subject" if agent is not None else rule

    if agent is None and trigger.type in ("attack", "condemn", "threaten"):
        tail_end = sentence.find(",", trigger.end)
        tail_end = len(sentence) if tail_end < 0 else tail_end
        m_from = re.search(r"\bfrom\s+(?:the\s+)?", sentence[trigger.end : tail_end])
        if m_from:
            at = trigger.end + m_from.end()
            for m in mentions:
                if m.start >= at and m.start - at < 20 and usable(m):
                    agent, rule = m, "from"
                    break

    patient = between_patient
    agent_code = agent.code if agent else None
    if patient is None and agent is not None and rule in ("subject", "modifier"):
        # "Kurdish-led forces that Washington had backed": the antecedent is the patient
        for m in mentions:
            if m.end <= agent.start and re.fullmatch(
                r"\s*,?\s+(?:that|which|whom)\s+(?:the\s+)?", sentence[m.end : agent.start]
            ):
                patient = m
    if quote is not None:
        # inside a quotation the speaker named after it is not who is acted upon
        mentions = [m for m in mentions if quote[0] <= m.start < quote[1] or m.end <= quote[0]]
    if patient is None and trigger.rule.subject_is_patient:
        before = [
            m for m in mentions if m.end <= trigger.start and usable(m) and m.code != agent_code
        ]
        patient = before[-1] if before else None
    if patient is None:
        end = sentence.find(";", trigger.end)
        end = len(sentence) if end < 0 else end
        if limit is not None:
            end = min(end, limit)
        after = [
            m
            for m in mentions
            if trigger.start <= m.start < end
            and usable(m)
            and m.code != agent_code
            and (agent is None or m.start != agent.start)
            and not (
                agent is not None
                and m.start > agent.end
                and re.fullmatch(r"\s+and\s+(?:the\s+)?", sentence[agent.end : m.start])
            )
        ]
        if after:
            patient = after[0]
    if patient is None and (rule == "by" or passive):
        before = [
            m for m in mentions if m.end <= trigger.start and usable(m) and m.code != agent_code
        ]
        patient = before[-1] if before else None
    return Roles(agent, patient, rule, speaker)


def prefer_named(
    patient: ActorMention | None,
    mentions: list[ActorMention],
    is_umbrella: bool,
    is_specific: dict[str, bool],
) -> ActorMention | None:
    """ "two Iran-backed militia groups, Kataib Hezbollah and ..." -> Kataib Hezbollah."""
    if patient is None or not is_umbrella:
        return patient
    for m in mentions:
        if patient.end <= m.start <= patient.end + 40 and is_specific.get(m.code, False):
            return m
    return patient

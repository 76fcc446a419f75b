"""The events of one sentence: its force levels, then, trigger by trigger, the stages in
order (triggers, roles, attributes, factuality) and one `Draft` per event (one more per
actor acting together: "Egypt, Qatar and the UN condemned ..."); a trigger no actor is
found for adds to the events already read (coreference).

Input: a `SentenceView`, the `ArticleContext` and the events of the earlier sentences.
Output: the sentence's new `Draft`s (earlier ones may have gained details).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ingest.classify.actors import ActorMention
from ingest.classify.agents import Agency, acting_with, fallback_actor, find_agency, names_itself
from ingest.classify.attributes import extras_of, find_attributes, source_of
from ingest.classify.coreference import attach_actorless, casualties_of_latest
from ingest.classify.dates import deadline_after
from ingest.classify.drafts import Draft, SentenceDrafts
from ingest.classify.factuality import denial_position, skip_reason, status_of
from ingest.classify.force_levels import force_levels
from ingest.classify.lexicon import Registry
from ingest.classify.mentions import SentenceView
from ingest.classify.sentence_triggers import (
    an_arrest,
    describes_support,
    is_question_headline,
    requested,
    segments,
    sentence_triggers,
)
from ingest.classify.targets import accuser, first_target, resolve_target
from ingest.classify.triggers import PHYSICAL_TYPES, SPEECH_TYPES, Trigger

AGENT_CONFIDENCE = {
    "by": 0.8, "modifier": 0.75, "after": 0.75, "subject": 0.7, "speaker": 0.7, "of": 0.7,
    "from": 0.6, "two_sides": 0.5, "pronoun": 0.5,
}  # fmt: skip


@dataclass(frozen=True)
class ArticleContext:
    """What every sentence of an article is read against."""

    registry: Registry
    published: date | None
    outlet: str | None
    top_states: list[str]  # the two states named most: "the two sides" of an agreement
    reference_year: int | None  # a timeline row older than the year before it is history


def read_sentence(view: SentenceView, article: ArticleContext, earlier: list[Draft]) -> list[Draft]:
    s = view.sentence
    text = s.text
    if is_question_headline(s):
        return []
    triggers = sentence_triggers(text)
    levels = force_levels(view)
    if not triggers:
        casualties_of_latest(view.casualties, text, s.index, earlier)
        return levels
    registry = article.registry
    spans = segments(triggers, len(text))
    denial_at = denial_position(text)
    drafts = SentenceDrafts(list(levels))
    out = drafts.out
    for index, trig in enumerate(triggers):
        if skip_reason(text, trig, article.reference_year):
            continue
        if trig.type == "deploy" and levels:
            continue  # "2,500 troops are deployed in Iraq" is a force level, read above
        if trig.type in PHYSICAL_TYPES and requested(triggers, index, text):
            continue  # "demanded that Ankara withdraw": asked for, not done
        agency = find_agency(
            view, triggers, index, spans[index][1], drafts.agents, registry, article.top_states
        )
        found = find_attributes(view, triggers, index, spans[index], registry)
        status = status_of(text, trig, denial_at)
        target_code = first_target(text, trig, agency, view.actors, found.place, registry)
        if an_arrest(text, trig, found.place is not None):
            continue
        actor_code = agency.actor
        if actor_code is None:
            actor_code = fallback_actor(text, trig, triggers[:index], out, view.actors, registry)
        if actor_code is None:
            source = source_of(text, trig, None, article.outlet)
            attach_actorless(
                s, trig, index, found, status, target_code, agency.patient, source, earlier, drafts
            )
            continue
        agent = agency.agent
        if trig.type == "condemn" and agent is not None and names_itself(trig, agent, view):
            continue  # "accusing Washington" read with an American as the accuser: misread
        if describes_support(text, trig):
            continue
        target_code = resolve_target(
            text,
            trig,
            actor_code,
            target_code,
            agent,
            view.actors,
            earlier + out,
            registry,
            s.index,
        )
        out.append(
            Draft(
                type=trig.type,
                actor=actor_code,
                target=target_code,
                weak_target=trig.type in ("attack", "capture")
                and agency.patient is None
                and target_code is not None,
                place=found.place,
                quantity=found.quantity,
                killed=found.killed,
                injured=found.injured,
                when=found.when,
                deadline=deadline_after(text, article.published)
                if trig.type == "ultimatum"
                else None,
                status=status,
                source=source_of(
                    text,
                    trig,
                    agency.speaker or (agent if trig.type in SPEECH_TYPES else None),
                    article.outlet,
                ),
                evidence=[text],
                confidence=_confidence(s.headline, agency, target_code, status),
                sentence=s.index,
                agent_known=agent.known if agent is not None else True,
                headline=s.headline,
                extras=extras_of(text, trig),
            )
        )
        drafts.produced[index] = out[-1]
        if agent is not None:
            drafts.agents[index] = agent
            if agency.rule in ("subject", "modifier", "by", "speaker"):
                _partners_act_too(text, trig, agent, actor_code, view, earlier, out)
    return out


def _confidence(headline: bool, agency: Agency, target_code: str | None, status: str) -> float:
    confidence = AGENT_CONFIDENCE.get(agency.rule, 0.6)
    if headline:
        confidence -= 0.15
    if agency.agent is not None and not agency.agent.known:
        confidence -= 0.1
    if target_code:
        confidence += 0.05
    if status in ("reported", "planned", "claimed"):
        confidence -= 0.05
    return round(max(0.05, min(0.99, confidence)), 2)


def _partners_act_too(
    text: str,
    trig: Trigger,
    agent: ActorMention,
    actor_code: str,
    view: SentenceView,
    earlier: list[Draft],
    out: list[Draft],
) -> None:
    """ "The United States, Britain and Israel blamed Tehran": the event just read, once
    more for each actor named with its agent."""
    partners = acting_with(text, agent, view.actors)
    if trig.type != "agree" and out[-1].target in {p.code for p in partners}:
        # "Egypt, Qatar and the UN condemned": Qatar condemns, is not condemned
        out[-1].target = accuser(earlier + out, actor_code) if trig.type == "deny" else None
    for partner in partners:
        if partner.code not in (actor_code, out[-1].target):
            target = out[-1].target
            if trig.type == "deny":
                target = accuser(earlier + out, partner.code) or target
            out.append(replace(out[-1], actor=partner.code, target=target, evidence=[text]))

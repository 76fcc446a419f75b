"""Assembly: read every sentence of a cleaned article through the stages and fold the
mentions of one happening into one event.

Events without an actor are not guessed: an actorless "the strikes were carried out at two
sites..." adds its details to the latest event of its type in the article (it talks about
that one), otherwise it is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ingest.classify.actors import (
    ActorMention,
    acronym_mentions,
    defined_acronyms,
    find_actor_mentions,
)
from ingest.classify.alias_matching import lowered
from ingest.classify.casualties import (
    Casualties,
    CasualtyMention,
    find_casualty_mentions,
    summed,
)
from ingest.classify.dates import (
    DateMention,
    deadline_after,
    find_dates,
    nearest_date,
)
from ingest.classify.factuality import denial_position, skip_reason, status_of
from ingest.classify.lexicon import PRECISION_RANK, PlaceEntry, Registry
from ingest.classify.places import PlaceMention, find_places
from ingest.classify.quantities import Quantity, find_quantities
from ingest.classify.roles import QUOTE_SPANS, assign_roles, prefer_named
from ingest.classify.sentences import Sentence
from ingest.classify.triggers import (
    FORCES,
    PHYSICAL_TYPES,
    SPEECH_TYPES,
    Trigger,
    find_triggers,
)

MAX_TRIGGERS = 16  # per sentence; real sentences hold a handful
STATUS_PRIORITY = {"denied": 0, "asserted": 1, "reported": 2, "claimed": 3, "planned": 4}
AGENT_CONFIDENCE = {
    "by": 0.8, "modifier": 0.75, "after": 0.75, "subject": 0.7, "speaker": 0.7, "of": 0.7,
    "from": 0.6, "two_sides": 0.5, "pronoun": 0.5,
}  # fmt: skip
TWO_SIDES = re.compile(
    r"\b(?:the\s+two\s+(?:sides|countries|governments|nations|leaders|allies|presidents)|"
    r"both\s+(?:sides|countries|governments)|the\s+two)\b",
    re.IGNORECASE,
)
RETALIATION = re.compile(r"respond|retaliat|return", re.IGNORECASE)
OUTLETS = re.compile(
    r"\b(Reuters|Associated Press|AP|AFP|Agence France-Presse|Al Jazeera|CBS News|CBS|CNN|"
    r"BBC News|BBC|NBC News|ABC News|Fox News|Rudaw|Haaretz|Al Arabiya|ISNA|IRNA|Tasnim|"
    r"Fars|Anadolu|Kurdistan 24|Al-Monitor|The New York Times|New York Times|"
    r"The Washington Post|Wall Street Journal|Bloomberg|Sky News|Middle East Eye|"
    r"state media|state television|the broadcaster)\b"
)
ACCORDING = re.compile(r"\baccording to ((?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,4})")
SPEAKER_AFTER = re.compile(r"\s*,?\s+(?:said|says|told|announced|added)\b")
FORCE_LEVEL = re.compile(
    r"^\s*(?:(?:are|is|remain|remains|were|have|has|(?:will|would)\s+(?:remain|stay))\s+)?(?:(?:currently|still|now|"
    r"permanently|already)\s+)?(?:(?:stationed|based|present|deployed|located)\s+)?"
    r"(?:(?:at|in)\s+(?:more\s+than\s+|some\s+|about\s+|around\s+)?\d+\s+(?:[\w-]+\s+){0,2}?"
    r"(?:bases|outposts|positions|sites)(?:\s+and\s+\w+)?\s+)?"
    r"(?:in|at|across|inside)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$",
    re.IGNORECASE,
)
ELIDED_LEVEL = re.compile(
    r",?\s+and\s+(?:about\s+|around\s+|some\s+|roughly\s+|nearly\s+)?(?P<num>\d{1,3}(?:,\d{3})*|"
    r"\d+)\s+(?:more\s+)?(?:in|at)\s+$",
    re.IGNORECASE,
)


@dataclass
class Draft:
    """An event being assembled (mutable until the article is done)."""

    type: str
    actor: str | None
    target: str | None
    place: PlaceEntry | None
    quantity: Quantity | None
    killed: int | None
    injured: int | None
    when: DateMention | None
    deadline: datetime | None
    status: str
    source: str | None
    evidence: list[str]
    confidence: float
    sentence: int
    agent_known: bool = True
    headline: bool = False
    weak_target: bool = False  # only the country of the place, no actor named as the target
    last_sentence: int = -1  # the latest sentence folded into this event

    def __post_init__(self) -> None:
        self.last_sentence = max(self.last_sentence, self.sentence)

    extras: dict[str, object] = field(default_factory=dict)


@dataclass
class SentenceView:
    sentence: Sentence
    low: str
    actors: list[ActorMention]
    places: list[PlaceMention]
    previous: SentenceView | None = None


def read_article(
    sentences: list[Sentence],
    registry: Registry,
    published: date | None,
    outlet: str | None,
) -> list[Draft]:
    views = []
    state_counts: Counter[str] = Counter()
    acronyms: dict[str, str] = {}
    for s in sentences:
        low = lowered(s.text)
        actors = acronym_mentions(s.text, acronyms, find_actor_mentions(s.text, low, registry))
        acronyms.update(defined_acronyms(s.text, actors))
        places = find_places(s.text, low, registry)
        dateline_at = DATELINE.match(s.text)
        if dateline_at:
            # "UNITED NATIONS, April 2 (AP) -": where the reporter files from
            actors = [m for m in actors if m.start >= dateline_at.end()]
            places = [p for p in places if p.start >= dateline_at.end()]
        views.append(SentenceView(s, low, actors, places))
        state_counts.update(m.code for m in actors if registry.is_state(m.code) and not m.sponsor)
    top_states = [code for code, _ in state_counts.most_common(2)]
    reference_year = published.year if published else None
    drafts: list[Draft] = []
    old_paragraphs = _old_paragraphs(views, reference_year)
    for position, view in enumerate(views):
        if view.sentence.paragraph in old_paragraphs:
            continue
        view.previous = views[position - 1] if position else None
        drafts.extend(
            _read_sentence(view, registry, published, outlet, top_states, reference_year, drafts)
        )
    _deny_allegations(drafts)
    drafts = _without_disowned(_adopt_orphans(drafts))
    merged = merge_drafts(drafts, registry)
    for d in merged:
        if d.target is None and d.type in ("deploy", "withdraw", "force_level") and d.place:
            d.target = d.place.country if d.place.country != d.actor else None
    return merged


def _specific_codes(registry: Registry) -> dict[str, bool]:
    """Codes that name one group (not a state, not an umbrella term), cached per registry."""
    cached = registry._cache.get("specific_codes")
    if cached is None:
        cached = {
            code: not registry.is_umbrella(code) and not registry.is_state(code)
            for code in registry.actors
        }
        registry._cache["specific_codes"] = cached
    return cached


DATELINE = re.compile(
    r"^[A-Z][A-Z.'/ -]{2,}(?:,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*"
    r"[-\u2014\u2013]+\s"
)
BLAME = re.compile(r"blam|accus|held\s+\w+\s+responsible", re.IGNORECASE)


ALLEGATION_DENIED = re.compile(
    r"\b(?:denied|denies|rejected|rejects|dismissed)\s+(?:the|these|those|this|that|such)\s+"
    r"(?:allegations?|accusations?|claims?|reports?|charges?)\b",
    re.IGNORECASE,
)


def _deny_allegations(drafts: list[Draft]) -> None:
    """ "The SDF accused Turkey of striking a hospital. Ankara denied the allegation.": the
    deed alleged just before is denied by its alleged doer."""
    for d in drafts:
        if d.type != "deny" or not d.actor or not ALLEGATION_DENIED.search(d.evidence[0]):
            continue
        for deed in drafts:
            alleged = deed.type in PHYSICAL_TYPES and deed.actor == d.actor
            if alleged and d.sentence - 1 <= deed.sentence < d.sentence:
                deed.status = "denied"


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


def _adopt_orphans(drafts: list[Draft]) -> list[Draft]:
    """An attack told without its attacker ("two soldiers were killed when a drone struck")
    takes the one who claims it or is blamed for it in the next sentences ("the Islamic
    Resistance claimed responsibility", "the Pentagon blamed Kataib Hezbollah"); an attack
    nobody is named for is dropped."""
    out = []
    for d in drafts:
        if d.actor is not None:
            out.append(d)
            continue
        for later in drafts:
            if not (d.sentence <= later.sentence <= d.sentence + 6) or later is d:
                continue
            # a claim may come a paragraph later; a blame follows at once
            if later.type == "attack" and later.actor and later.status == "claimed":
                d.actor, d.status = later.actor, "claimed"
            elif (
                later.type == "condemn"
                and later.extras.get("blame")
                and later.target
                and later.sentence <= d.sentence + 3
            ):
                d.actor = later.target
                if d.target == d.actor:
                    d.target = later.actor
            if d.actor is not None:
                d.last_sentence = later.sentence
                out.append(d)
                break
    return out


def _without_disowned(drafts: list[Draft]) -> list[Draft]:
    """ "The Islamic Resistance claimed the attack ... Iran rejected accusations that it
    was behind the attack": a deed someone else claimed is theirs; the denier's denial is
    its own event, not a second, denied attack."""
    out = []
    for d in drafts:
        claimed_by_other = d.status == "denied" and any(
            c.type == d.type
            and c.status == "claimed"
            and c.actor not in (None, d.actor)
            and 0 <= d.sentence - c.sentence <= 8
            for c in drafts
        )
        if not claimed_by_other:
            out.append(d)
    return out


LEADING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\b")


def _old_paragraphs(views: list[SentenceView], reference_year: int | None) -> set[int]:
    """Lines that open with an old year (a timeline row: "2014 ISIS seized ...")."""
    if reference_year is None:
        return set()
    old = set()
    for view in views:
        m = LEADING_YEAR.match(view.sentence.text)
        if m and int(m.group(1)) < reference_year - 1:
            old.add(view.sentence.paragraph)
    return old


def _read_sentence(
    view: SentenceView,
    registry: Registry,
    published: date | None,
    outlet: str | None,
    top_states: list[str],
    reference_year: int | None,
    earlier: list[Draft],
) -> list[Draft]:
    s = view.sentence
    text = s.text
    if s.headline and text.rstrip().endswith("?"):
        return []
    triggers = _without_restatements(text, find_triggers(text)[:MAX_TRIGGERS])
    quantities = find_quantities(text)
    levels = _force_levels(view, quantities)
    if not triggers:
        _casualties_of_latest(text, s.index, earlier)
        return levels
    dates = find_dates(text, published)
    casualties = find_casualty_mentions(text)
    spans = _segments(triggers, len(text))
    denial_at = denial_position(text)
    out: list[Draft] = list(levels)
    filled_here: list[Draft] = []
    specific = _specific_codes(registry)
    produced: dict[int, Draft] = {}  # the event each trigger made
    agents: dict[int, ActorMention] = {}  # and who acted in it
    for index, trig in enumerate(triggers):
        segment_start, segment_end = spans[index]
        if skip_reason(text, trig, reference_year):
            continue
        if trig.type == "deploy" and levels:
            continue  # "2,500 troops are deployed in Iraq" is a force level, read above
        if trig.type in PHYSICAL_TYPES and _requested(triggers, index, text):
            continue  # "demanded that Ankara withdraw": asked for, not done
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
            patient, view.actors, registry.is_umbrella(patient.code if patient else None), specific
        )
        place = _pick_place(view, trig, segment_start, segment_end, registry, triggers)
        status = status_of(text, trig, denial_at)
        when = nearest_date(_dates_of(text, trig, dates), trig.start)
        draft_quantity = None
        if trig.type in ("deploy", "withdraw"):
            draft_quantity = _nearest_quantity(quantities, trig)
        killed = injured = None
        if trig.type in ("attack", "capture"):
            own = _own_casualties(casualties, triggers, index, text)
            killed, injured = own.killed, own.injured
        if target_code is None and trig.type == "agree" and agent is not None:
            partner = _coordinated_with(text, agent, view.actors)
            target_code = partner.code if partner else None
        if target_code is None:
            target_code = _target(trig, actor_code, patient, place, registry)
        if (
            trig.type == "capture"
            and not trig.rule.agent_after
            and place is None
            and not (TERRITORY.search(text[trig.end : trig.end + 60]))
        ):
            continue  # "captured an ISIS leader": an arrest, not ground taken
        if actor_code is None and trig.type in PHYSICAL_TYPES and not trig.rule.noun:
            # "Turkish jets struck PKK shelters, and commandos were then flown in"
            actor_code = _coordinated_clause_actor(text, trig, triggers[:index], out)
        if actor_code is None and trig.type in ("deploy", "withdraw") and not trig.rule.noun:
            actor_code = _state_speaker(text, trig, view.actors, registry)
        if actor_code is None:
            same = [d for d in out if d.type == trig.type]
            if same:
                # "struck ... in retaliation for the drone attack": another event; but
                # "airstrikes on Gaza, which the ministry said had killed 493": the counts
                # of the act told just before (not of "a day after an attack ... killed")
                just_before = produced.get(index - 1)
                verb = not trig.rule.noun
                if verb and just_before is same[-1] and just_before.killed is None:
                    just_before.killed, just_before.injured = killed, injured
                continue
            filled = _anaphoric(text, trig) and _fill_latest(
                # "The strikes hit ...": the verb retells what its noun subject just found
                [d for d in earlier + out if d is not filled_here] + filled_here[-1:],
                trig,
                place,
                draft_quantity,
                Casualties(killed, injured),
                when,
                text,
                s.index,
            )
            if filled:
                filled_here.append(filled)
            if filled and patient is not None and trig.type == "attack":
                _fill_target(earlier, patient.code)
            if not filled and _specific_attack(text, trig, killed, injured, when):
                # an attack of its own whose attacker may be named next (see _adopt_orphans)
                out.append(
                    Draft(
                        type="attack",
                        actor=None,
                        target=target_code,
                        weak_target=patient is None,
                        place=place,
                        quantity=None,
                        killed=killed,
                        injured=injured,
                        when=when,
                        deadline=None,
                        status=status,
                        source=_source(text, trig, None, outlet),
                        evidence=[text],
                        confidence=0.5,
                        sentence=s.index,
                        headline=s.headline,
                    )
                )
            continue
        if trig.type == "condemn" and agent is not None and _names_itself(trig, agent, view):
            continue  # "accusing Washington" read with an American as the accuser: misread
        if trig.type == "support" and SUPPORT_RELATIVE.search(text[: trig.start]):
            continue  # "the militias it backs": who backs whom is a description
        if trig.type == "support" and (
            MILITARY_BACKING.match(text, trig.end) or DESCRIBING.search(text[: trig.start])
        ):
            # "backed by US airstrikes": fighting alongside (an attack, if anything);
            # "Turkey, which backs some factions,": a description, not a statement
            continue
        if target_code is None and trig.type in ("condemn", "deny", "support", "threaten"):
            target_code = _object_event_actor(text, trig, actor_code, earlier + out, registry)
        if target_code is None and trig.type == "agree":
            target_code = _agreed_with(text, actor_code, view.actors)
        if target_code == actor_code or _family(registry, actor_code, target_code):
            target_code = None
        if target_code is None and trig.type in ("condemn", "threaten", "demand"):
            others = [
                m
                for m in view.actors
                if m.end <= trig.start
                and not m.sponsor
                and not m.locative
                and m.code != actor_code
                and not _family(registry, actor_code, m.code)
                and not (agent is not None and _conjuncts(text, m, agent))
            ]
            if others and trig.type == "condemn":
                target_code = others[0].code
            elif trig.type != "demand":
                target_code = _previous_attacker(earlier + out, actor_code, registry)
            if target_code is None and trig.type == "threaten":
                # "Biden blamed the militias ... 'We will respond'": whom the threatener
                # just blamed
                target_code = _just_blamed(earlier + out, actor_code, s.index)
        if target_code is None and trig.type == "deny":
            target_code = _accuser(earlier + out, actor_code)
        if trig.type == "attack" and target_code is None and RETALIATION.search(trig.text):
            target_code = _previous_attacker(earlier + out, actor_code)
        confidence = AGENT_CONFIDENCE.get(rule, 0.6)
        if s.headline:
            confidence -= 0.15
        if agent is not None and not agent.known:
            confidence -= 0.1
        if target_code:
            confidence += 0.05
        if status in ("reported", "planned", "claimed"):
            confidence -= 0.05
        out.append(
            Draft(
                type=trig.type,
                actor=actor_code,
                target=target_code,
                weak_target=trig.type in ("attack", "capture")
                and patient is None
                and target_code is not None,
                place=place,
                quantity=draft_quantity,
                killed=killed,
                injured=injured,
                when=when,
                deadline=deadline_after(text, published) if trig.type == "ultimatum" else None,
                status=status,
                source=_source(
                    text,
                    trig,
                    roles.speaker or (agent if trig.type in SPEECH_TYPES else None),
                    outlet,
                ),
                evidence=[text],
                confidence=round(max(0.05, min(0.99, confidence)), 2),
                sentence=s.index,
                agent_known=agent.known if agent is not None else True,
                headline=s.headline,
                extras=_extras(text, trig),
            )
        )
        produced[index] = out[-1]
        if agent is not None:
            agents[index] = agent
        if agent is not None and rule in ("subject", "modifier", "by", "speaker"):
            partners = _acting_with(text, agent, view.actors)
            if trig.type != "agree" and out[-1].target in {p.code for p in partners}:
                # "Egypt, Qatar and the UN condemned": Qatar condemns, is not condemned
                out[-1].target = (
                    _accuser(earlier + out, actor_code) if trig.type == "deny" else None
                )
            for partner in partners:
                if partner.code not in (actor_code, out[-1].target):
                    target = out[-1].target
                    if trig.type == "deny":
                        target = _accuser(earlier + out, partner.code) or target
                    out.append(replace(out[-1], actor=partner.code, target=target, evidence=[text]))
    return out


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


def _specific_attack(
    text: str,
    trig: Trigger,
    killed: int | None,
    injured: int | None,
    when: DateMention | None,
) -> bool:
    """One attack (casualties, or a day), not attacks in general ("militia attacks")."""
    if trig.type != "attack" or (trig.text.lower().endswith("s") and trig.rule.noun):
        return False
    return bool(killed or injured or (when is not None and when.precision == "day"))


def _names_itself(trig: Trigger, agent: ActorMention, view: SentenceView) -> bool:
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


def head_noun(words: str) -> str:
    """ "air-strikes" -> "strike": the noun an event is retold by ("the strikes")."""
    word = re.split(r"[\s-]+", words.strip().lower())[-1]
    word = word[3:] if word.startswith("air") and len(word) > 5 else word
    return word[:-1] if word.endswith("s") else word


def _extras(text: str, trig: Trigger) -> dict[str, object]:
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
        if d.type == type_
        and d.actor
        and d.actor != actor
        and not _family(registry, actor, d.actor)
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


def _acting_with(
    text: str, agent: ActorMention, mentions: list[ActorMention]
) -> list[ActorMention]:
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


def _casualties_of_latest(text: str, index: int, earlier: list[Draft]) -> None:
    """ "Five people were killed and six wounded, a spokesman said.": counts told in a
    sentence of their own belong to the attack just told."""
    found = find_casualty_mentions(text)
    if not found:
        return
    attacks = [d for d in earlier if d.type == "attack"]
    if not attacks:
        return
    latest = max(reversed(attacks), key=lambda d: d.last_sentence)  # the last told
    if latest.last_sentence < index - 2:
        return
    counts = summed(found)
    if latest.killed is None and latest.injured is None:
        latest.killed, latest.injured = counts.killed, counts.injured
        if len(latest.evidence) < 3:
            latest.evidence.append(text)


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


TERRITORY = re.compile(
    r"\b(?:town|city|village|territory|area|areas|positions?|base|airport|district|"
    r"neighbou?rhood|province|region|hill|road|border|crossing|oil\s*field|dam|bridge|"
    r"land|ground|north|south|east|west|control)\b",
    re.IGNORECASE,
)
DEFINITE = re.compile(r"\b(?:the|these|those|this|that|its|their)\s+(?:[\w-]+\s+)?$", re.I)


def _anaphoric(text: str, trig: Trigger) -> bool:
    """An actorless verb ("troops are being sent") or a definite noun ("the strikes") talks
    about an event already read; an indefinite one ("a rocket attack") is a new, unknown one."""
    if not trig.rule.noun and trig.type != "attack":
        return True
    return bool(DEFINITE.search(text[max(0, trig.start - 30) : trig.start]))


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


def _conjuncts(text: str, a: ActorMention, b: ActorMention) -> bool:
    """ "The European Union and the Arab League": acting together, not on each other."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return bool(
        re.fullmatch(
            r"\s*,?\s+and\s+(?:the\s+)?|\s*,\s+(?:the\s+)?", text[first.end : second.start]
        )
    )


def _coordinated_with(
    text: str, agent: ActorMention, mentions: list[ActorMention]
) -> ActorMention | None:
    """ "Moscow and Ankara agreed": the partner is the other conjunct."""
    for m in mentions:
        if m.start > agent.end and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[agent.end : m.start]):
            return m
    return None


def _previous_attacker(
    drafts: list[Draft], actor: str, registry: Registry | None = None
) -> str | None:
    for d in reversed(drafts):
        if d.type == "attack" and d.actor and d.actor != actor and d.status != "denied":
            if registry is not None and _family(registry, actor, d.actor):
                continue
            return d.actor
    return None


def _just_blamed(drafts: list[Draft], actor: str | None, index: int) -> str | None:
    for d in reversed(drafts):
        recent = index - 3 <= d.sentence <= index
        if recent and d.type == "condemn" and d.actor == actor and d.target:
            return d.target
    return None


def _accuser(drafts: list[Draft], actor: str) -> str | None:
    """Who accused the denier: "Trump blamed Iran" ... "Iran denied any involvement"."""
    for d in reversed(drafts):
        if d.type == "condemn" and d.target == actor and d.actor:
            return d.actor
    return None


def _family(registry: Registry, a: str | None, b: str | None) -> bool:
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


def _nearest_quantity(quantities: list[Quantity], trig: Trigger) -> Quantity | None:
    if not quantities:
        return None
    return min(quantities, key=lambda q: abs(q.start - trig.start))


PREFERRED_PREPOSITION = {
    "deploy": ("to", "into", "in", "at"),
    "withdraw": ("from", "out of"),
    "force_level": ("in", "at"),
}


def _segments(triggers: list[Trigger], length: int) -> list[tuple[int, int]]:
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


def _requested(triggers: list[Trigger], index: int, text: str) -> bool:
    """A physical verb that is the content of a demand or threat before it."""
    trig = triggers[index]
    if trig.rule.noun:
        return False
    return any(
        t.type in REQUESTING and t.end <= trig.start and trig.start - t.end < 60
        for t in triggers[:index]
    )


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


def _force_levels(view: SentenceView, found: list[Quantity]) -> list[Draft]:
    """ "Around 2,500 US troops are currently in Iraq, and 900 in Syria." """
    text = view.sentence.text
    out: list[Draft] = []
    quantities = [q for q in found if q.unit == "troops" and q.value]
    for q in quantities:
        for p in view.places:
            if p.start < q.end or not FORCE_LEVEL.match(text[q.end : p.start]):
                continue
            owner = [m for m in view.actors if q.start <= m.start < q.end and not m.sponsor]
            if not owner:
                before = [
                    m for m in view.actors if m.end <= q.start and not m.sponsor and not m.locative
                ]
                owner = before[-1:] if before else []
            if not owner:
                # "About 300 troops will remain at al-Tanf, Esper said": the speaker's
                owner = [
                    m
                    for m in view.actors
                    if m.start > p.end
                    and not (m.sponsor or m.locative)
                    and SPEAKER_AFTER.match(text, m.end)
                ][:1]
            if not owner:
                break
            actor = owner[0].code
            out.append(_level(actor, p, q.value, view))
            # the elided ones that follow: ", and 900 in Syria"
            for p2 in view.places:
                if p2.start <= p.end:
                    continue
                m = ELIDED_LEVEL.search(text[p.end : p2.start])
                if m and m.end() == p2.start - p.end:
                    value = int(m.group("num").replace(",", ""))
                    out.append(_level(actor, p2, value, view))
            break
    return out


def _level(actor: str, p: PlaceMention, value: int | None, view: SentenceView) -> Draft:
    return Draft(
        type="force_level",
        actor=actor,
        target=p.place.country if p.place.country != actor else None,
        place=p.place,
        quantity=Quantity(0, 0, value, "troops"),
        killed=None,
        injured=None,
        when=None,
        deadline=None,
        status="asserted",
        source=None,
        evidence=[view.sentence.text],
        confidence=0.75,
        sentence=view.sentence.index,
    )


def _source(
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


def _more_specific(a: PlaceEntry | None, b: PlaceEntry | None) -> PlaceEntry | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if PRECISION_RANK.get(b.precision, 0) > PRECISION_RANK.get(a.precision, 0) else a


def _fill_target(drafts: list[Draft], target: str) -> None:
    """ "The strikes hit depots used by the Quds Force": who was hit, if not yet known."""
    latest = next((d for d in reversed(drafts) if d.type == "attack"), None)
    unknown = latest is not None and (latest.target is None or latest.weak_target)
    if latest is not None and unknown and latest.actor != target:
        latest.target, latest.weak_target = target, False


def _fill_latest(
    drafts: list[Draft],
    trig: Trigger,
    place: PlaceEntry | None,
    quantity: Quantity | None,
    counts: Casualties,
    when: DateMention | None,
    text: str,
    index: int,
) -> Draft | None:
    """An actorless mention adds its details to the latest compatible event of its type
    (not to one told for another day or month: that is another event), the latest told by
    the same noun first ("the strikes" after "US strikes ... the group's attacks")."""
    if trig.type not in PHYSICAL_TYPES:
        return None
    killed, injured = counts.killed, counts.injured
    candidates = [d for d in drafts if d.type == trig.type and not _other_date(d.when, when)]
    if trig.rule.noun:
        noun = head_noun(trig.text)
        candidates = [d for d in candidates if d.extras.get("noun") == noun] or candidates
    if quantity is not None and quantity.value is not None:
        same = [d for d in candidates if d.quantity and d.quantity.value == quantity.value]
        candidates = same or [
            d for d in candidates if d.quantity is None or d.quantity.value is None
        ]
    if not candidates:
        return None
    d = candidates[-1]
    d.place = _more_specific(d.place, place) if _places_agree(d.place, place) else d.place
    if d.quantity is None or d.quantity.value is None:
        d.quantity = quantity or d.quantity
    d.killed = d.killed if d.killed is not None else killed
    d.injured = d.injured if d.injured is not None else injured
    d.when = d.when or when
    d.last_sentence = max(d.last_sentence, index)
    if len(d.evidence) < 3 and text not in d.evidence:
        d.evidence.append(text)
    return d


def _other_date(a: DateMention | None, b: DateMention | None) -> bool:
    if a is None or b is None:
        return False
    if a.precision == b.precision == "day":
        return a.value != b.value
    return (a.value.year, a.value.month) != (b.value.year, b.value.month)


def _places_agree(a: PlaceEntry | None, b: PlaceEntry | None) -> bool:
    if a is None or b is None:
        return True
    if a.name == b.name:
        return True
    if a.country is None or b.country is None:
        return False
    return a.country == b.country


def _compatible(a: Draft, b: Draft, registry: Registry) -> bool:
    if a.type != b.type or a.actor != b.actor:
        return False
    umbrella = registry.is_umbrella(a.target) or registry.is_umbrella(b.target)
    weak = a.weak_target or b.weak_target
    if a.target and b.target and a.target != b.target and not umbrella and not weak:
        return False
    if not _places_agree(a.place, b.place):
        return False
    if (
        a.place is not None
        and b.place is not None
        and a.place.name != b.place.name
        and PRECISION_RANK.get(a.place.precision, 0) >= 2
        and PRECISION_RANK.get(b.place.precision, 0) >= 2
    ):
        return False
    if (
        a.when
        and b.when
        and (a.when.value.year, a.when.value.month)
        != (
            b.when.value.year,
            b.when.value.month,
        )
    ):
        return False
    same_day = a.when is not None and b.when is not None and a.when.value == b.when.value
    # the title sums up the article; other headline-like lines are only near their text
    # near the last mention folded in so far (a story retold sentence after sentence)
    near = (
        abs(a.last_sentence - b.sentence) <= 3
        or abs(a.sentence - b.sentence) <= 3
        or min(a.sentence, b.sentence) == 0
    )
    if not (near or same_day):
        return False
    qa = a.quantity.value if a.quantity else None
    qb = b.quantity.value if b.quantity else None
    if qa and qb and qa != qb:
        return False
    both_days = a.when and b.when and a.when.precision == b.when.precision == "day"
    if both_days and a.when and b.when and a.when.value != b.when.value:
        return False
    return not (a.type == "force_level" and (a.place != b.place))


def merge_drafts(drafts: list[Draft], registry: Registry) -> list[Draft]:
    """One event per happening: fold compatible mentions into the first one."""
    merged: list[Draft] = []
    for d in drafts:
        home = next((m for m in merged if _compatible(m, d, registry)), None)
        if home is None:
            merged.append(replace(d, evidence=list(d.evidence)))
            continue
        if home.target is None or home.weak_target or registry.is_umbrella(home.target):
            stronger = d.target and not d.weak_target
            if stronger and (home.weak_target or not registry.is_umbrella(d.target)):
                home.target, home.weak_target = d.target, False
            home.target = home.target or d.target
        home.place = _more_specific(home.place, d.place)
        if home.quantity is None or home.quantity.value is None:
            home.quantity = d.quantity or home.quantity
        home.killed = home.killed if home.killed is not None else d.killed
        home.injured = home.injured if home.injured is not None else d.injured
        if home.when is None or (
            d.when and d.when.precision == "day" and home.when.precision != "day"
        ):
            home.when = d.when or home.when
        home.deadline = home.deadline or d.deadline
        if STATUS_PRIORITY[d.status] < STATUS_PRIORITY[home.status]:
            home.status = d.status
        home.source = home.source or d.source
        home.confidence = round(min(0.99, max(home.confidence, d.confidence) + 0.03), 2)
        home.last_sentence = max(home.last_sentence, d.sentence)
        for e in d.evidence:
            if len(home.evidence) < 3 and e not in home.evidence:
                home.evidence.append(e)
    return merged

"""Coreference across sentences: an actorless mention ("the strikes hit depots",
"Five people were killed") adds its details to the event it retells; an attack told
without its attacker takes the one who claims it or is blamed for it next; "Ankara denied
the allegation" denies the deed alleged just before; a deed someone else claimed is not
also a denied one of the denier's.

`attach_actorless` works inside the sentence stage (on the events read so far);
`resolve_article` runs once the article is read. Both take and give `Draft`s.
"""

from __future__ import annotations

import re

from ingest.classify.actors import ActorMention
from ingest.classify.attributes import Attributes
from ingest.classify.casualties import Casualties, CasualtyMention, summed
from ingest.classify.dates import DateMention
from ingest.classify.drafts import (
    Draft,
    SentenceDrafts,
    head_noun,
    more_specific,
    other_date,
    places_agree,
)
from ingest.classify.lexicon import PlaceEntry
from ingest.classify.quantities import Quantity
from ingest.classify.sentences import Sentence
from ingest.classify.triggers import PHYSICAL_TYPES, Trigger


def attach_actorless(
    sentence: Sentence,
    trig: Trigger,
    index: int,
    found: Attributes,
    status: str,
    target_code: str | None,
    patient: ActorMention | None,
    source: str | None,
    earlier: list[Draft],
    drafts: SentenceDrafts,
) -> None:
    """A trigger no actor was found for: the counts of the same act told just before in
    this sentence, or details of an event already read, or an attack of its own whose
    attacker may be named next (see `_adopt_orphans`), or nothing."""
    text = sentence.text
    out = drafts.out
    killed, injured, when = found.killed, found.injured, found.when
    same = [d for d in out if d.type == trig.type]
    if same:
        # "struck ... in retaliation for the drone attack": another event; but
        # "airstrikes on Gaza, which the ministry said had killed 493": the counts
        # of the act told just before (not of "a day after an attack ... killed")
        just_before = drafts.produced.get(index - 1)
        verb = not trig.rule.noun
        if verb and just_before is same[-1] and just_before.killed is None:
            just_before.killed, just_before.injured = killed, injured
        return
    filled_here = drafts.filled_here
    filled = _anaphoric(text, trig) and _fill_latest(
        # "The strikes hit ...": the verb retells what its noun subject just found
        [d for d in earlier + out if d is not filled_here] + filled_here[-1:],
        trig,
        found.place,
        found.quantity,
        Casualties(killed, injured),
        when,
        text,
        sentence.index,
    )
    if filled:
        filled_here.append(filled)
    if filled and patient is not None and trig.type == "attack":
        _fill_target(earlier, patient.code)
    if not filled and _specific_attack(text, trig, killed, injured, when):
        out.append(
            Draft(
                type="attack",
                actor=None,
                target=target_code,
                weak_target=patient is None,
                place=found.place,
                quantity=None,
                killed=killed,
                injured=injured,
                when=when,
                deadline=None,
                status=status,
                source=source,
                evidence=[text],
                confidence=0.5,
                sentence=sentence.index,
                headline=sentence.headline,
            )
        )


def resolve_article(drafts: list[Draft]) -> list[Draft]:
    _deny_allegations(drafts)
    return _without_disowned(_adopt_orphans(drafts))


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


def casualties_of_latest(
    found: list[CasualtyMention], text: str, index: int, earlier: list[Draft]
) -> None:
    """ "Five people were killed and six wounded, a spokesman said.": counts told in a
    sentence of their own belong to the attack just told."""
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


DEFINITE = re.compile(r"\b(?:the|these|those|this|that|its|their)\s+(?:[\w-]+\s+)?$", re.I)


def _anaphoric(text: str, trig: Trigger) -> bool:
    """An actorless verb ("troops are being sent") or a definite noun ("the strikes") talks
    about an event already read; an indefinite one ("a rocket attack") is a new, unknown one."""
    if not trig.rule.noun and trig.type != "attack":
        return True
    return bool(DEFINITE.search(text[max(0, trig.start - 30) : trig.start]))


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
    candidates = [d for d in drafts if d.type == trig.type and not other_date(d.when, when)]
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
    d.place = more_specific(d.place, place) if places_agree(d.place, place) else d.place
    if d.quantity is None or d.quantity.value is None:
        d.quantity = quantity or d.quantity
    d.killed = d.killed if d.killed is not None else killed
    d.injured = d.injured if d.injured is not None else injured
    d.when = d.when or when
    d.last_sentence = max(d.last_sentence, index)
    if len(d.evidence) < 3 and text not in d.evidence:
        d.evidence.append(text)
    return d

"""Merging: one event per happening. Compatible mentions (same type and actor, agreeing
target, place, month and day, near each other in the text) fold into the first one, which
keeps the most specific place, the first known counts and date, the strongest status.

Input: the article's `Draft`s after coreference. Output: the merged `Draft`s.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.classify.drafts import Draft, more_specific, places_agree
from ingest.classify.lexicon import PRECISION_RANK, Registry

STATUS_PRIORITY = {"denied": 0, "asserted": 1, "reported": 2, "claimed": 3, "planned": 4}


def merge_article(drafts: list[Draft], registry: Registry) -> list[Draft]:
    merged = merge_drafts(drafts, registry)
    for d in merged:
        # troops sent to or kept in a country act on it (unless it is their own)
        if d.target is None and d.type in ("deploy", "withdraw", "force_level") and d.place:
            d.target = d.place.country if d.place.country != d.actor else None
    return merged


def _compatible(a: Draft, b: Draft, registry: Registry) -> bool:
    if a.type != b.type or a.actor != b.actor:
        return False
    umbrella = registry.is_umbrella(a.target) or registry.is_umbrella(b.target)
    weak = a.weak_target or b.weak_target
    if a.target and b.target and a.target != b.target and not umbrella and not weak:
        return False
    if not places_agree(a.place, b.place):
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
        home.place = more_specific(home.place, d.place)
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

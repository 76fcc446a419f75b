"""When does an extracted event report an incident we already have? Pure functions.

The rule (DESIGN.md, "the incident domain"): same type and actor, compatible targets,
compatible places, dates within a day of each other. "Compatible" is deliberately loose
where articles are vague and strict where they are precise:

- targets: equal, either one missing, or related through the actor registry: one is an
  ancestor of the other, or both share a parent (HN and KIA are both PMF militias, so
  "a PMF base" and "a Kataib Imam Ali facility" can be the same strike);
- places: the same place, either one missing, or (different places) the same country;
- dates: each side is a window of days: a day, a month or a year as stated; an undated
  event happened in the month before its article was published. Two windows within a day
  of each other are compatible. An undated event from an undated article is only
  compatible with another such: without it, a 2016 compilation would corroborate every
  strike of 2024 by the same actor.

An unknown actor (None) never matches: with nobody to agree on, any two attacks in the
same city would become one incident.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

# actor code -> parent code (None for a root); codes absent from the map have no parent.
ParentMap = Mapping[str, str | None]
Key = TypeVar("Key", bound=Hashable)

DATE_TOLERANCE = timedelta(days=1)
# An undated event is taken to have happened in the month before its article appeared.
UNDATED_LOOKBACK = timedelta(days=31)


@dataclass(frozen=True)
class IncidentSignature:
    """The fields the matching rule looks at."""

    type: str
    actor: str | None
    target: str | None = None
    location: str | None = None
    country: str | None = None
    occurred_on: date | None = None
    date_precision: str | None = None
    reported_on: date | None = None  # the reporting article's publication date


def ancestors(code: str, parents: ParentMap) -> list[str]:
    """The code's parent, grandparent... (a cycle in the registry stops the walk)."""
    chain: list[str] = []
    current = parents.get(code)
    while current and current not in chain and current != code:
        chain.append(current)
        current = parents.get(current)
    return chain


def targets_compatible(a: str | None, b: str | None, parents: ParentMap) -> bool:
    if not a or not b or a == b:
        return True
    a_up, b_up = ancestors(a, parents), ancestors(b, parents)
    if a in b_up or b in a_up:
        return True
    return bool(a_up and b_up and a_up[0] == b_up[0])


def places_compatible(
    a_location: str | None, a_country: str | None, b_location: str | None, b_country: str | None
) -> bool:
    if a_location and b_location and a_location.casefold() == b_location.casefold():
        return True
    if a_country and b_country:
        return a_country.upper() == b_country.upper()
    # Different named places with a country unknown on one side: cannot tell they agree.
    return not (a_location and b_location)


def date_window(
    occurred_on: date | None, precision: str | None, reported_on: date | None
) -> tuple[date, date] | None:
    """The days the event may have happened on; None when nothing says when."""
    if occurred_on is None:
        if reported_on is None:
            return None
        return reported_on - UNDATED_LOOKBACK, reported_on
    if precision == "year":
        return date(occurred_on.year, 1, 1), date(occurred_on.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(occurred_on.year, occurred_on.month)[1]
        return occurred_on.replace(day=1), occurred_on.replace(day=last)
    return occurred_on, occurred_on


def dates_compatible(a: IncidentSignature, b: IncidentSignature) -> bool:
    a_window = date_window(a.occurred_on, a.date_precision, a.reported_on)
    b_window = date_window(b.occurred_on, b.date_precision, b.reported_on)
    if a_window is None or b_window is None:
        return a_window is None and b_window is None
    gap = max(a_window[0], b_window[0]) - min(a_window[1], b_window[1])
    return gap <= DATE_TOLERANCE


def matches(new: IncidentSignature, existing: IncidentSignature, parents: ParentMap) -> bool:
    return (
        new.actor is not None
        and new.type == existing.type
        and new.actor == existing.actor
        and targets_compatible(new.target, existing.target, parents)
        and places_compatible(new.location, new.country, existing.location, existing.country)
        and dates_compatible(new, existing)
    )


def _closeness(new: IncidentSignature, existing: IncidentSignature) -> tuple[int, int, int]:
    """Smaller is closer: exact target, exact place, then the nearest date."""
    same_target = 0 if new.target and new.target == existing.target else 1
    same_place = (
        0
        if new.location and (new.location or "").casefold() == (existing.location or "").casefold()
        else 1
    )
    if new.occurred_on and existing.occurred_on:
        days = abs((new.occurred_on - existing.occurred_on).days)
    else:
        days = 2
    return same_target, same_place, days


def best_match(
    new: IncidentSignature,
    candidates: Iterable[tuple[Key, IncidentSignature]],
    parents: ParentMap,
) -> Key | None:
    """The key of the closest matching candidate (ties: the first one given), or None."""
    found: Sequence[tuple[tuple[int, int, int], int, Key]] = [
        (_closeness(new, signature), order, key)
        for order, (key, signature) in enumerate(candidates)
        if matches(new, signature, parents)
    ]
    if not found:
        return None
    return min(found, key=lambda item: (item[0], item[1]))[2]

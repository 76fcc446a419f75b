"""What an updated article now says about an incident it already supported.

A new version of an article (same external id, new text) that still reports an incident
may tell other figures: six dead where it said five, another town, another day. The
incident takes the new figure when the one it holds is what this article said before
(its own report, or a corroboration that agreed, or its own earlier update): the source
changed its claim, so the incident follows it, as an `IncidentCorrected` with reason
"source updated" naming the article in the metadata. A figure the incident holds from
someone else (another source, an editor) stays: the article's old claim was not it.
"""

from __future__ import annotations

import uuid
from typing import Any

from events import store
from events.domain import SOURCE_UPDATED, IncidentFields, fold, stream_id_for

# Fields that change together: a place is its name, country and coordinates; a date is
# its day and precision. A group is corrected whole or not at all.
FIGURE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("killed",),
    ("injured",),
    ("quantity",),
    ("target",),
    ("occurred_on", "date_precision"),
    ("location", "country", "latitude", "longitude"),
)


def _canonical(fields: dict[str, Any]) -> dict[str, Any]:
    return IncidentFields.model_validate(fields).model_dump(mode="json")


def previous_claim(events: list[store.RecordedEvent], article_id: int) -> dict[str, Any]:
    """What the article said of the incident before this version, in canonical form."""
    first: dict[str, Any] = {}
    claim: dict[str, Any] = {}
    for event in events:
        data = event.data
        if event.type == "IncidentReported":
            first = {k: data.get(k) for k in IncidentFields.model_fields}
            if (data.get("source") or {}).get("article_id") == article_id:
                claim = dict(first)
        elif event.type == "IncidentCorroborated":
            if (data.get("source") or {}).get("article_id") == article_id:
                # It said what the first report said, except where it differed.
                claim = {**first, **(data.get("reported") or {})}
        elif (
            event.type == "IncidentCorrected"
            and data.get("reason") == SOURCE_UPDATED
            and event.metadata.get("source_article") == article_id
        ):
            claim = {**claim, **data["changes"]}
    return claim


def updated_figures(
    *, incident_id: uuid.UUID, article_id: int, says: dict[str, Any]
) -> dict[str, Any]:
    """The changes the incident takes from the article's new version (empty: none).

    `says` is the new version's incident fields. A group the new version leaves empty is
    no new claim (the update may just not repeat the toll).
    """
    events = store.read_stream(stream_id_for(incident_id))
    states = fold.fold_incidents(events)
    state = states.get(stream_id_for(incident_id))
    old = previous_claim(events, article_id)
    if state is None or not old:
        return {}
    current, new = state.fields, _canonical(says)
    old = _canonical({**current, **{k: v for k, v in old.items() if k in current}})
    changes: dict[str, Any] = {}
    for group in FIGURE_GROUPS:
        if all(new.get(name) is None for name in group):
            continue
        claim_changed = any(new.get(name) != old.get(name) for name in group)
        held_from_it = all(current.get(name) == old.get(name) for name in group)
        if claim_changed and held_from_it:
            changes.update({n: new.get(n) for n in group if current.get(n) != new.get(n)})
    return changes

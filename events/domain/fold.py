"""The fold: an incident stream's events into the incident's state (pure functions).

`FOLD` is the table of steps keyed by event type; `fold_step` applies one event,
`fold_incidents` a sequence of RecordedEvents, `fold_logged` rows read in bulk by a rebuild.
The state is plain JSON-able data, so the incidents table stores it as is and the
as_of / known_at queries rebuild exactly the same thing from the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import ValidationError

from events.domain import payloads as domain
from events.domain.incident_state import ACTIVE, MERGED, RETRACTED, IncidentState
from events.store import RecordedEvent


class LoggedEvent(NamedTuple):
    """What the incident fold reads of an event (`recorded`: recorded_at in ISO format).

    `last`: no later event of its stream lies within the scan, so the stream's fold is
    final once this event is in (a rebuild writes that incident's rows at once, while it
    is still in the CPU's caches). False where the scan cannot tell: such streams are
    final at the scan's end.
    """

    stream_id: str
    version: int
    type: str
    data: dict[str, Any]
    recorded: str
    last: bool = False


# Fields of IncidentReported that describe the report, not the happening.
_REPORT_ONLY = ("incident_id", "method", "source", "needs_review")


# What a state keeps of a source's report: what readers show and the folds use. The
# rest (feed, external id, content hash, classifier version) stays in the event, which
# the incident's history carries; a rebuild writes every state, so each key kept here is
# stored half a million times over.
_SOURCE_DROPPED = frozenset({"feed", "external_id", "content_hash", "classifier_version"})


def _source(payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return _without(
        payload["source"],
        _SOURCE_DROPPED,
        {"reported": {}, "merged_from": None, "withdrawn": False, **extra},
    )


def _without(
    data: dict[str, Any], dropped: Iterable[str], added: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A copy of `data` without the `dropped` keys, with the `added` ones (a copy and a few
    deletions: a third of a filtering comprehension's time, once per event folded)."""
    kept = data.copy()
    for key in dropped:
        if key in kept:
            del kept[key]
    if added:
        kept.update(added)
    return kept


_CACHED = ("world_date", "sort_key")  # cached_property values derived from other fields


def _next_state(state: IncidentState, version: int, recorded: str) -> IncidentState:
    """A copy of `state` at a later version, without the cached dates (they may change).

    What `dataclasses.replace` does, at a fraction of its cost (it runs __init__ with
    every field as a keyword: most of a corroboration's fold).
    """
    values = state.__dict__.copy()
    for name in _CACHED:
        values.pop(name, None)
    values["version"], values["last_recorded_at"] = version, recorded
    copied = object.__new__(IncidentState)
    copied.__dict__.update(values)
    return copied


def _reported(
    state: IncidentState | None, stream_id: str, version: int, data: dict[str, Any], recorded: str
) -> IncidentState:
    if state is not None:  # a second report on one stream: the first one stands
        return state
    return IncidentState(
        incident_id=str(data["incident_id"]),
        stream_id=stream_id,
        version=version,
        fields=_without(data, _REPORT_ONLY),
        method=str(data.get("method", domain.Method.CLASSIFIER)),
        needs_review=bool(data.get("needs_review", False)),
        first_recorded_at=recorded,
        last_recorded_at=recorded,
        sources=[_source(data)],
    )


def _corrected_fields(fields: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any] | None:
    try:
        merged = domain.IncidentFields.model_validate({**fields, **changes})
    except ValidationError:
        return None
    return merged.model_dump(mode="json")


def apply_event(state: IncidentState | None, event: RecordedEvent) -> IncidentState | None:
    """The state after `event`; events that need an incident are ignored before its report."""
    return fold_step(
        state, event.stream_id, event.version, event.type, event.data, event.recorded_at.isoformat()
    )


def fold_step(
    state: IncidentState | None,
    stream_id: str,
    version: int,
    event_type: str,
    data: dict[str, Any],
    recorded: str,
) -> IncidentState | None:
    """`apply_event` on an event's parts (`recorded`: its recorded_at in ISO format).

    Rebuilds call it directly on rows read in bulk, without building RecordedEvents.
    """
    if event_type == "IncidentReported":
        return _reported(state, stream_id, version, data, recorded)
    step = FOLD.get(event_type)
    if state is None or step is None:
        return state
    state = _next_state(state, version, recorded)
    step(state, data, recorded)
    return state


def _corroborated(state: IncidentState, data: dict[str, Any], recorded: str) -> None:
    source = _source(
        data, reported=dict(data.get("reported") or {}), merged_from=data.get("merged_from")
    )
    state.sources = [*state.sources, source]


def _corrected(state: IncidentState, data: dict[str, Any], recorded: str) -> None:
    fields = _corrected_fields(state.fields, data["changes"])
    # A correction the current fields cannot take is kept in the history, not applied.
    state.corrections = [
        *state.corrections,
        {
            "changes": data["changes"],
            "reason": data["reason"],
            "recorded_at": recorded,
            "applied": fields is not None,
        },
    ]
    if fields is not None:
        state.fields = fields
        # An editor's correction is a review; an updated article's new figures are not.
        if data["reason"] != domain.SOURCE_UPDATED:
            state.needs_review = False


def _verified(state: IncidentState, data: dict[str, Any], recorded: str) -> None:
    state.verified, state.needs_review = True, False


def _merged(state: IncidentState, data: dict[str, Any], recorded: str) -> None:
    state.status, state.merged_into = MERGED, str(data["into"])


def _retract(state: IncidentState, data: dict[str, Any]) -> None:
    article_id = data.get("article_id")
    if article_id is None:  # an editor's retraction: the incident as a whole
        state.status, state.retraction_reason = RETRACTED, data["reason"]
        return
    # One article stopped supporting it: the incident stands while another source does.
    state.sources = [
        {**s, "withdrawn": True} if s.get("article_id") == article_id else s for s in state.sources
    ]
    if not state.active_sources and state.status == ACTIVE:
        state.status, state.retraction_reason = RETRACTED, data["reason"]


# The fold, one step per event type: each changes a copy of the state (fold_step makes
# it) in place. IncidentReported opens a state (`_reported`), so it is not a step.
Step = Callable[[IncidentState, dict[str, Any], str], None]
FOLD: dict[str, Step] = {
    "IncidentCorroborated": _corroborated,
    "IncidentCorrected": _corrected,
    "IncidentVerified": _verified,
    "IncidentRetracted": lambda state, data, recorded: _retract(state, data),
    "IncidentMerged": _merged,
}
if set(FOLD) | {"IncidentReported"} != set(domain.EVENT_TYPES):
    raise ImportError("the fold has no step for some incident event types (or one too many)")


def fold_incidents(
    events: Iterable[RecordedEvent],
    states: dict[str, IncidentState] | None = None,
    *,
    known_at: datetime | None = None,
) -> dict[str, IncidentState]:
    """Fold events (in log order) into incident states keyed by stream id.

    known_at: ignore what the log did not hold yet at that instant (record time).
    """
    states = dict(states or {})
    for event in events:
        if not event.stream_id.startswith(domain.STREAM_PREFIX):
            continue
        if known_at is not None and event.recorded_at > known_at:
            continue
        new = apply_event(states.get(event.stream_id), event)
        if new is not None:
            states[event.stream_id] = new
    return states


def fold_logged(
    events: Iterable[LoggedEvent],
    settled: Callable[[IncidentState], object] | None = None,
) -> dict[str, IncidentState]:
    """`fold_incidents` over events read in bulk (events.projections.engine.log_scan), as a
    rebuild reads them.

    settled: handed each incident as soon as its stream's last event in the scan is
    folded, and the incident is not kept (a rebuild's memory then holds only the streams
    still open). What is returned are the incidents not handed over.
    """
    states: dict[str, IncidentState] = {}
    known = states.get
    for stream_id, version, event_type, data, recorded, last in events:
        if not stream_id.startswith(domain.STREAM_PREFIX):
            continue
        new = fold_step(known(stream_id), stream_id, version, event_type, data, recorded)
        if new is None:
            continue
        if last and settled is not None:
            states.pop(stream_id, None)
            settled(new)
        else:
            states[stream_id] = new
    return states

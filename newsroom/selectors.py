"""Read queries of the newsroom admin pages, over the log and the projection tables.

The incident page reads the incident straight from its stream (the projection may lag a
moment behind, and the version an editor acts on must be the stream's); lists, the review
queue and the dashboard read the projection tables.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncWeek
from django.utils import timezone

from events import store
from events.domain import SOURCE_UPDATED, Method, fold, incident_state, stream_id_for
from events.projections.engine.status import Lag, lag_of
from events.projections.rules import ForceLevel, IncidentRow, IncidentSource, Ultimatum
from events.projections.rules.ultimatums import OPEN, UltimatumRow
from ingest.models import Article
from newsroom.models import ReviewAssignment


def incidents_of_article(*, article_id: int) -> QuerySet[IncidentRow]:
    """Incidents the article is a source of (as the incidents projection has seen it)."""
    # A semi-join: the state (PostgreSQL `json`) has no equality for DISTINCT to use.
    sources = IncidentSource.objects.filter(article_id=article_id).values("incident_id")
    return IncidentRow.objects.filter(incident_id__in=sources)


@dataclass(frozen=True)
class SourceUpdate:
    """One figure an updated version of an article changed in an incident."""

    incident_id: uuid.UUID
    field: str
    old: Any
    new: Any
    recorded_at: datetime


def updates_of_article(*, article_id: int) -> list[SourceUpdate]:
    """The figures this article's new versions changed (old -> new), oldest first. Its
    earlier texts are not kept, so these corrections are the difference between versions."""
    found: list[SourceUpdate] = []
    for incident_id in incidents_of_article(article_id=article_id).values_list("pk", flat=True):
        state = None
        for event in store.read_stream(stream_id_for(incident_id)):
            if (
                state is not None
                and event.type == "IncidentCorrected"
                and event.data["reason"] == SOURCE_UPDATED
                and event.metadata.get("source_article") == article_id
            ):
                found += [
                    SourceUpdate(incident_id, name, state.fields.get(name), new, event.recorded_at)
                    for name, new in event.data["changes"].items()
                ]
            state = fold.apply_event(state, event)
    return sorted(found, key=lambda u: u.recorded_at)


# --- one incident --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    type: str
    recorded_at: datetime
    who: str
    why: str
    details: dict[str, Any]


def _why(event: store.RecordedEvent) -> str:
    data = event.data
    if event.type == "IncidentReported":
        return f"reported by {data.get('method', 'classifier')}"
    if event.type == "IncidentCorroborated":
        if data.get("merged_from"):
            return f"source moved from merged incident {data['merged_from']}"
        return "another source reports it"
    return str(data.get("reason") or data.get("note") or "")


def _details(event: store.RecordedEvent) -> dict[str, Any]:
    data = event.data
    if event.type == "IncidentCorrected":
        return dict(data.get("changes") or {})
    if event.type == "IncidentMerged":
        return {"into": data.get("into")}
    if event.type == "IncidentCorroborated":
        source = data.get("source") or {}
        return {
            "outlet": source.get("outlet"),
            "article": source.get("article_id"),
            **(data.get("reported") or {}),
        }
    return {}


def incident_history(incident_id: uuid.UUID) -> list[HistoryEntry]:
    """Every event of the incident's stream: who did what, when and why."""
    return [
        HistoryEntry(
            version=event.version,
            type=event.type,
            recorded_at=event.recorded_at,
            who=str(event.metadata.get("user") or event.metadata.get("classifier_version") or ""),
            why=_why(event),
            details=_details(event),
        )
        for event in store.read_stream(stream_id_for(incident_id))
    ]


def incident_from_log(incident_id: uuid.UUID) -> incident_state.IncidentState | None:
    stream_id = stream_id_for(incident_id)
    return fold.fold_incidents(store.read_stream(stream_id)).get(stream_id)


@dataclass(frozen=True)
class SourceView:
    source: dict[str, Any]
    article: Article | None


def incident_sources(state: incident_state.IncidentState) -> list[SourceView]:
    """Each source with its stored article (when it came from one), for the evidence."""
    ids = [s["article_id"] for s in state.sources if s.get("article_id") is not None]
    articles = Article.objects.in_bulk(ids) if ids else {}
    return [SourceView(source=s, article=articles.get(s.get("article_id"))) for s in state.sources]


# --- the review queue ------------------------------------------------------------------


def review_threshold() -> float:
    return float(settings.TRACKER_REVIEW_CONFIDENCE)


def has_conflicting_reports(state: dict[str, Any]) -> bool:
    """A live source that says something else than the incident (another toll, say)."""
    return any(s.get("reported") and not s.get("withdrawn") for s in state.get("sources", []))


# Why an entry is in the queue; `?reason=` on the queue page filters by these words.
FLAGGED = "flagged by the classifier"
LOW_CONFIDENCE = "low confidence"
CONFLICTING = "conflicting reports"
MISSING_TARGET = "missing target"
MISSING_PLACE = "missing place"
UNKNOWN_ACTOR = "unknown actor"
UNDATED = "undated"
REASONS = (LOW_CONFIDENCE, CONFLICTING, MISSING_TARGET, MISSING_PLACE, UNKNOWN_ACTOR, UNDATED)
# An attack, a condemnation, an ultimatum... is aimed at someone; a deployment is not.
NEEDS_TARGET = frozenset(
    {"attack", "condemn", "ultimatum", "threaten", "demand", "support", "agree"}
)
# Where troops went or a strike fell is what the map and the forces are made of.
NEEDS_PLACE = frozenset({"deploy", "withdraw", "attack", "capture", "force_level"})


def is_undated(state: incident_state.IncidentState) -> bool:
    """No date stated and none to infer (no source with a publication date): its world
    date is only the day it was recorded."""
    return state.occurred_on is None and not any(s.get("published_at") for s in state.sources)


def known_actor_codes() -> frozenset[str]:
    """Codes the registry knows: its table (editors' additions) and the knowledge base."""
    from registry.knowledge import load_world
    from registry.models import Actor

    world = load_world()
    return frozenset(
        {
            *Actor.objects.values_list("code", flat=True),
            *(state["code"] for state in world.states),
            *(group["code"] for group in world.groups),
        }
    )


def review_reasons(
    state: incident_state.IncidentState,
    threshold: float,
    known_actors: frozenset[str] | None = None,
) -> list[str]:
    """Why a machine-coded incident needs an editor (empty: it does not), each reason
    starting with one of REASONS (or FLAGGED)."""
    if state.status != incident_state.ACTIVE or state.verified:
        return []
    if state.method != Method.CLASSIFIER:
        return []
    known = known_actor_codes() if known_actors is None else known_actors
    checks = [
        (state.needs_review, FLAGGED),
        (
            state.confidence < threshold,
            f"{LOW_CONFIDENCE} ({state.confidence:.2f} < {threshold:.2f})",
        ),
        (has_conflicting_reports(state.to_json()), CONFLICTING),
        (state.type in NEEDS_TARGET and not state.target, MISSING_TARGET),
        (state.type in NEEDS_PLACE and not (state.location or state.country), MISSING_PLACE),
        (not state.actor or state.actor not in known, UNKNOWN_ACTOR),
        (is_undated(state), UNDATED),
    ]
    return [reason for failed, reason in checks if failed]


@dataclass(frozen=True)
class QueueEntry:
    row: IncidentRow
    reasons: list[str]
    assignee: str | None

    @property
    def evidence(self) -> str:
        return str((self.row.state.get("sources") or [{}])[0].get("evidence", ""))


def review_queue(
    *,
    threshold: float | None = None,
    reason: str | None = None,
    assignee: str | None = None,
    unassigned: bool = False,
) -> list[QueueEntry]:
    """Machine-coded, active, unverified incidents that need an editor, newest first;
    `reason` keeps those with that reason, `assignee` those assigned to that user."""
    limit = review_threshold() if threshold is None else threshold
    known = known_actor_codes()
    assigned = dict(ReviewAssignment.objects.values_list("incident_id", "editor__username"))
    candidates = IncidentRow.objects.filter(status=incident_state.ACTIVE, verified=False)
    queue = [
        QueueEntry(row, reasons, assigned.get(row.incident_id))
        for row in candidates
        if (
            reasons := review_reasons(
                incident_state.IncidentState.from_json(row.state), limit, known
            )
        )
    ]
    if reason:
        queue = [e for e in queue if any(r.startswith(reason) for r in e.reasons)]
    if assignee:
        queue = [e for e in queue if e.assignee == assignee]
    if unassigned:
        queue = [e for e in queue if e.assignee is None]
    queue.sort(key=lambda e: str(e.row.state.get("first_recorded_at", "")), reverse=True)
    return queue


def review_queue_ids() -> list[uuid.UUID]:
    return [entry.row.incident_id for entry in review_queue()]


def next_in_queue(after: uuid.UUID, *, assignee: str | None = None) -> uuid.UUID | None:
    """The entry after `after` in the queue (the first one when `after` left it), so an
    editor goes on to the next item after acting on one."""
    ids = [e.row.incident_id for e in review_queue(assignee=assignee)]
    if after in ids:
        rest = ids[ids.index(after) + 1 :] + ids[: ids.index(after)]
        return rest[0] if rest else None
    return ids[0] if ids else None


# --- the dashboard ---------------------------------------------------------------------

CHART_WEEKS = 26
MAIN_ACTORS_SHOWN = 12


def incidents_per_week(*, weeks: int = CHART_WEEKS) -> dict[str, Any]:
    """Active incidents per week and type over the last `weeks` weeks that have any."""
    live = IncidentRow.objects.filter(status=incident_state.ACTIVE)
    # The window ends at the newest incident with a date of its own. An incident with no
    # date and no dated source stands at the day it was recorded, which would drag a
    # chart of historical news to this week and leave it empty.
    # Read as text (the state is PostgreSQL `json`, which has no equality with JSON null):
    # a JSON null reads as NULL there and as the text 'null' on SQLite.
    occurred_on = KT("state__fields__occurred_on")
    dated = live.annotate(occurred_on=occurred_on).exclude(occurred_on__isnull=True)
    dated = dated.exclude(occurred_on="null")
    latest = (
        (dated if dated.exists() else live)
        .order_by("-world_date")
        .values_list("world_date", flat=True)
        .first()
    )
    if latest is None:
        return {"labels": [], "datasets": []}
    first_week = latest - timedelta(days=latest.weekday()) - timedelta(weeks=weeks - 1)
    counts = (
        live.filter(world_date__gte=first_week)
        .annotate(week=TruncWeek("world_date"))
        .values("week", "type")
        .annotate(n=Count("pk"))
    )
    labels = [(first_week + timedelta(weeks=i)).isoformat() for i in range(weeks)]
    per_type: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    for row in counts:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        index = (week - first_week).days // 7
        if 0 <= index < weeks:
            per_type[row["type"]][index] += row["n"]
    return {
        "labels": labels,
        "datasets": [{"label": t, "data": per_type[t]} for t in sorted(per_type)],
    }


def current_forces(*, limit: int = MAIN_ACTORS_SHOWN) -> list[dict[str, Any]]:
    """Force levels of the actors with the largest stated forces."""
    rows = [row.data for row in ForceLevel.objects.all()]
    rows.sort(key=lambda d: (-int(d.get("high") or 0), d.get("actor", "")))
    return rows[:limit]


def open_ultimatums(*, now: datetime | None = None) -> list[UltimatumRow]:
    at = now or timezone.now()
    rows = [UltimatumRow(**u.data) for u in Ultimatum.objects.all()]
    return sorted(
        (r for r in rows if r.status(at) == OPEN), key=lambda r: r.issued_on, reverse=True
    )


def projection_lag() -> list[Lag]:
    """How many committed events each projection has still to apply."""
    from events.projections.engine.projectors import PROJECTORS

    return [lag_of(name) for name in PROJECTORS]


def ultimatums_of(code: str, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every ultimatum the actor issued or received, newest first, with its status now."""
    at = now or timezone.now()
    rows = [
        UltimatumRow(**u.data) for u in Ultimatum.objects.filter(Q(issuer=code) | Q(addressee=code))
    ]
    rows.sort(key=lambda r: r.issued_on, reverse=True)
    return [{**r.to_json(), "status": r.status(at)} for r in rows]

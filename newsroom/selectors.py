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
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncWeek
from django.utils import timezone

from events import store
from events.domain import Method, fold, incident_state, stream_id_for
from events.projections.engine.status import Lag, lag_of
from events.projections.rules import ForceLevel, IncidentRow, IncidentSource, Ultimatum
from events.projections.rules.ultimatums import OPEN, UltimatumRow
from ingest.models import Article


def incidents_of_article(*, article_id: int) -> QuerySet[IncidentRow]:
    """Incidents the article is a source of (as the incidents projection has seen it)."""
    # A semi-join: the state (PostgreSQL `json`) has no equality for DISTINCT to use.
    sources = IncidentSource.objects.filter(article_id=article_id).values("incident_id")
    return IncidentRow.objects.filter(incident_id__in=sources)


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


def review_reasons(state: incident_state.IncidentState, threshold: float) -> list[str]:
    """Why a machine-coded incident needs an editor (empty: it does not)."""
    if state.status != incident_state.ACTIVE or state.verified:
        return []
    if state.method != Method.CLASSIFIER:
        return []
    reasons = []
    if state.needs_review:
        reasons.append("flagged by the classifier")
    if state.confidence < threshold:
        reasons.append(f"confidence {state.confidence:.2f} < {threshold:.2f}")
    if has_conflicting_reports(state.to_json()):
        reasons.append("conflicting reports")
    return reasons


def review_queue(*, threshold: float | None = None) -> list[tuple[IncidentRow, list[str]]]:
    """Machine-coded, active, unverified incidents that need an editor, newest first."""
    limit = review_threshold() if threshold is None else threshold
    candidates = IncidentRow.objects.filter(status=incident_state.ACTIVE, verified=False)
    queue = [
        (row, reasons)
        for row in candidates
        if (reasons := review_reasons(incident_state.IncidentState.from_json(row.state), limit))
    ]
    queue.sort(key=lambda item: str(item[0].state.get("first_recorded_at", "")), reverse=True)
    return queue


def review_queue_ids() -> list[uuid.UUID]:
    return [row.incident_id for row, _ in review_queue()]


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

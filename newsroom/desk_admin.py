"""The desk's pages: dashboard, map of incidents, series and the actor page.

A mixin of the incident admin (newsroom.incident_admin), which routes these URLs under
/admin/events/incidentrow/ and provides `_context` and the view permission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from events import selectors as event_selectors

from . import selectors, series
from .desk_forms import MapFilterForm, SeriesForm

TEMPLATES = "admin/events/incidentrow/"


class DeskPages:
    """Dashboard, map, series and actor pages (mixed into the incident admin)."""

    def desk_urls(self, wrap: Callable[..., Any]) -> list[Any]:
        return [
            path("dashboard/", wrap(self.dashboard_view), name="events_incident_dashboard"),
            path("map/", wrap(self.map_view), name="events_incident_map"),
            path("series/", wrap(self.series_view), name="events_incident_series"),
            path("actor/<str:code>/", wrap(self.actor_view), name="events_incident_actor"),
        ]

    def _page(self, request: HttpRequest, template: str, title: str, **extra: Any) -> Any:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        context = self._context(request, title, **extra)  # type: ignore[attr-defined]
        return TemplateResponse(request, TEMPLATES + template, context)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        return self._page(
            request,
            "dashboard.html",
            "Newsroom dashboard",
            chart=selectors.incidents_per_week(),
            forces=selectors.current_forces(),
            ultimatums=selectors.open_ultimatums(),
            review_count=len(selectors.review_queue()),
            lags=selectors.projection_lag(),
        )

    def map_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = MapFilterForm(request.GET or None)
        wanted = series.MapFilter()
        if form.is_bound and form.is_valid():
            wanted = series.MapFilter(**{k: v or None for k, v in form.cleaned_data.items()})
        data = series.map_points(wanted) if not form.errors else {"points": [], "unplaced": 0}
        return self._page(
            request,
            "map.html",
            "Map of incidents",
            form=form,
            map_data={
                **data,
                "tile_url": settings.TRACKER_MAP_TILE_URL,
                "tile_attribution": settings.TRACKER_MAP_TILE_ATTRIBUTION,
            },
            choices=series.filter_choices(),
        )

    def series_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        form = SeriesForm(request.GET or None)
        charts: dict[str, Any] = {}
        if form.is_bound and form.is_valid():
            actor = form.cleaned_data["actor"]
            target, country = form.cleaned_data.get("target"), form.cleaned_data.get("country")
            charts["weekly"] = series.weekly_incidents(actor)
            if target:
                charts["stance"] = series.stance_series(actor, target)
            if country:
                charts["forces"] = series.force_series(actor, country)
        return self._page(request, "series.html", "Series", form=form, charts=charts)

    def actor_view(self, request: HttpRequest, code: str) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        try:
            actor = event_selectors.actor_detail(code, event_selectors.NOW, include_children=False)
        except event_selectors.NotFound as error:
            raise Http404(str(error)) from None
        countries = sorted({f["country"] for f in actor["forces"]})
        return self._page(
            request,
            "actor.html",
            f"Actor: {actor['name']} ({code})",
            actor=actor,
            weekly=series.weekly_incidents(code),
            force_series=[s for c in countries for s in series.force_series(code, c)],
            ultimatums=selectors.ultimatums_of(code),
        )

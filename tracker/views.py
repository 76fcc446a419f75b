"""The landing page at `/`: where the admin, the API and its docs, and the desk's pages are."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

# (title, URL name, what it is)
LINKS = (
    ("Newsroom admin", "admin:index", "incidents, articles, feeds, the registry, the event log"),
    ("Dashboard", "admin:events_incident_dashboard", "incidents per week, forces, ultimatums"),
    ("Map of incidents", "admin:events_incident_map", "by type, sized by casualties"),
    ("Review queue", "admin:events_incident_review", "what the classifier was unsure of"),
    ("API documentation", "api-docs", "Swagger UI over the OpenAPI schema"),
    ("API reference", "api-redoc", "the same schema in Redoc"),
    ("OpenAPI schema", "schema", "YAML, for client generators"),
    ("Event log (API)", "event-log", "every event in read order, from a cursor"),
)


def landing(request: HttpRequest) -> HttpResponse:
    links = [(title, reverse(name), what) for title, name, what in LINKS]
    return render(request, "landing.html", {"links": links})

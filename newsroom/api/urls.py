"""The editor commands' routes, included under /api/ ahead of the read API (events.api),
whose GET on /api/incidents/ the report view hands on."""

from django.urls import URLPattern, URLResolver, path

from newsroom.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("incidents/", views.ReportView.as_view(), name="incident-report"),
    path("incidents/<str:incident_id>/verify/", views.VerifyView.as_view(), name="incident-verify"),
    path(
        "incidents/<str:incident_id>/correct/", views.CorrectView.as_view(), name="incident-correct"
    ),
    path(
        "incidents/<str:incident_id>/retract/", views.RetractView.as_view(), name="incident-retract"
    ),
    path("incidents/<str:incident_id>/merge/", views.MergeView.as_view(), name="incident-merge"),
]

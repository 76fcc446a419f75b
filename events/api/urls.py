from django.urls import URLPattern, URLResolver, path

from events.api import export_views, stream, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", views.EventLogView.as_view(), name="event-log"),
    path("events/stream", stream.EventStreamView.as_view(), name="event-stream"),
    path("streams/<str:stream_id>/", views.StreamView.as_view(), name="stream"),
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    path("incidents/<str:incident_id>/", views.IncidentDetailView.as_view(), name="incident"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<str:code>/", views.ActorDetailView.as_view(), name="actor"),
    path("forces/", views.ForceListView.as_view(), name="force-list"),
    path("stances/", views.StanceListView.as_view(), name="stance-list"),
    path("ultimatums/", views.UltimatumListView.as_view(), name="ultimatum-list"),
    path("export/incidents.csv", export_views.CsvExportView.as_view(), name="export-csv"),
    path(
        "export/incidents.plover.jsonl",
        export_views.PloverExportView.as_view(),
        name="export-plover",
    ),
    path(
        "export/incidents.geojson", export_views.GeoJsonExportView.as_view(), name="export-geojson"
    ),
]

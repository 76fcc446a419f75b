"""The newsroom's two groups and the permissions behind every incident command.

Editors verify, correct, retract, merge and add incidents and maintain feeds and the
registry; Viewers read everything. The incident commands are not model changes (nothing is
ever updated, events are appended), so they get their own permissions, attached to the
event log's content type: `events.verify_incident` and so on.

`sync_newsroom_groups` is idempotent and takes an app registry, so the data migration
(newsroom 0001) runs it with the historical models and the post_migrate hook runs it again
after every migrate: models added later (projection read models) are granted to the
groups without another migration, and a test-suite flush gets the groups back.
"""

from __future__ import annotations

from typing import Any

EDITORS = "Editors"
VIEWERS = "Viewers"

# codename -> name; all on the events.event content type, so `events.<codename>`.
INCIDENT_COMMANDS = {
    "verify_incident": "Can verify incidents",
    "correct_incident": "Can correct incidents",
    "retract_incident": "Can retract incidents",
    "merge_incidents": "Can merge incidents",
    "report_incident": "Can add incidents by hand",
}
VERIFY = "events.verify_incident"
CORRECT = "events.correct_incident"
RETRACT = "events.retract_incident"
MERGE = "events.merge_incidents"
REPORT = "events.report_incident"

TRACKER_APPS = ("registry", "events", "ingest")
# Model changes editors may make through the admin (registry upkeep, feeds, re-classify).
EDITOR_MODEL_PERMISSIONS = {
    ("registry", "actor"): ("add", "change"),
    ("registry", "place"): ("add", "change"),
    ("registry", "learnedalias"): ("change",),  # accept or reject proposed people
    ("ingest", "feed"): ("add", "change"),
    ("ingest", "article"): ("change",),
}


def _ensure_content_types_and_default_permissions(apps: Any) -> None:
    # On a fresh database the default permissions are only created after the last
    # migration; the groups need them now.
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in (*TRACKER_APPS, "auth"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        # Historical app configs have no models_module; the helpers skip those.
        had_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_module or True
        try:
            create_contenttypes(app_config, verbosity=0, apps=apps)
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = had_module


def sync_newsroom_groups(apps: Any) -> None:
    """Create or complete the Editors and Viewers groups. Never removes anything."""
    _ensure_content_types_and_default_permissions(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    event_type, _ = ContentType.objects.get_or_create(app_label="events", model="event")
    commands = [
        Permission.objects.get_or_create(
            content_type=event_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in INCIDENT_COMMANDS.items()
    ]
    views = list(
        Permission.objects.filter(
            content_type__app_label__in=TRACKER_APPS, codename__startswith="view_"
        )
    )
    model_changes = [
        perm
        for perm in Permission.objects.filter(content_type__app_label__in=TRACKER_APPS)
        if (perm.content_type.app_label, perm.content_type.model) in EDITOR_MODEL_PERMISSIONS
        and perm.codename.split("_", 1)[0]
        in EDITOR_MODEL_PERMISSIONS[(perm.content_type.app_label, perm.content_type.model)]
    ]

    viewers, _ = Group.objects.get_or_create(name=VIEWERS)
    viewers.permissions.add(*views)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*views, *commands, *model_changes)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate receiver (connected once, for the newsroom app)."""
    from django.apps import apps as global_apps

    sync_newsroom_groups(kwargs.get("apps") or global_apps)

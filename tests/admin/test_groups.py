"""The data migration's groups: Editors may run the incident commands, Viewers only read."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from newsroom import groups as roles


@pytest.mark.django_db
def test_migration_created_editors_and_viewers_with_their_permissions() -> None:
    # No fixture re-syncs here: this is what the migration (and post_migrate) left.
    editors = Group.objects.get(name=roles.EDITORS)
    viewers = Group.objects.get(name=roles.VIEWERS)
    editor_perms = {f"{p.content_type.app_label}.{p.codename}" for p in editors.permissions.all()}
    viewer_perms = {f"{p.content_type.app_label}.{p.codename}" for p in viewers.permissions.all()}

    commands = {roles.VERIFY, roles.CORRECT, roles.RETRACT, roles.MERGE, roles.REPORT}
    assert commands <= editor_perms
    assert {"events.view_event", "ingest.view_article", "registry.change_actor"} <= editor_perms
    assert {"events.view_event", "registry.view_actor", "ingest.view_feed"} <= viewer_perms
    assert not commands & viewer_perms
    assert all(p.split(".")[1].startswith("view_") for p in viewer_perms)


@pytest.mark.django_db
def test_group_membership_is_what_the_permission_checks_see() -> None:
    viewer = User.objects.create_user("v", is_staff=True)
    viewer.groups.add(Group.objects.get(name=roles.VIEWERS))
    editor = User.objects.create_user("e", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    assert editor.has_perm(roles.CORRECT) and editor.has_perm(roles.MERGE)
    assert not viewer.has_perm(roles.CORRECT)
    assert viewer.has_perm("events.view_event")


@pytest.mark.django_db
def test_syncing_again_changes_nothing() -> None:
    from django.apps import apps

    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    roles.sync_newsroom_groups(apps)
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after

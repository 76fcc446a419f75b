"""Feeds, the actor registry and the gazetteer in the admin, as an editor uses them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ingest.models import Feed
from ingest.registry_cache import current_registry
from registry.models import Actor, Place


@pytest.fixture
def editor_client(editor: User, client: Client) -> Client:
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_creating_a_feed_generates_its_secret_and_shows_it_once(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/ingest/feed/add/", {"slug": "wire", "name": "Wire", "active": "on"}, follow=True
    )
    feed = Feed.objects.get(slug="wire")
    assert len(feed.secret) >= 40
    assert feed.secret in response.text  # the creation message
    assert feed.secret not in editor_client.get(f"/admin/ingest/feed/{feed.pk}/change/").text


@pytest.mark.django_db
def test_a_feed_slug_that_is_taken_is_a_form_error(editor_client: Client) -> None:
    Feed.objects.create(slug="wire", name="Wire", secret="s" * 40)
    response = editor_client.post("/admin/ingest/feed/add/", {"slug": "wire", "name": "Other"})
    assert response.status_code == 200
    assert "already exists" in response.text
    assert Feed.objects.get(slug="wire").name == "Wire"


@pytest.mark.django_db
def test_rotate_and_deactivate_actions(editor_client: Client) -> None:
    wire = Feed.objects.create(slug="wire", name="Wire", secret="old-secret-wire")
    other = Feed.objects.create(slug="other", name="Other", secret="old-secret-other")
    response = editor_client.post(
        "/admin/ingest/feed/",
        {"action": "rotate_secrets", "_selected_action": [wire.pk]},
        follow=True,
    )
    wire.refresh_from_db()
    other.refresh_from_db()
    assert wire.secret != "old-secret-wire" and wire.secret in response.text
    assert other.secret == "old-secret-other"

    editor_client.post(
        "/admin/ingest/feed/", {"action": "deactivate_feeds", "_selected_action": [wire.pk]}
    )
    assert list(Feed.objects.filter(active=True).values_list("slug", flat=True)) == ["other"]


def _actor_form(**overrides: str) -> dict[str, str]:
    form = {
        "name": "Islamic Republic of Iran",
        "kind": "state",
        "parent": "",
        "aliases": "Iran\n  Tehran  \n\niran\nIranian",
        "active": "on",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }
    form.update(overrides)
    return form


@pytest.mark.django_db
def test_actor_aliases_are_one_per_line_and_stored_as_a_clean_list(
    editor_client: Client,
) -> None:
    Actor.objects.create(code="ZZI", name="Iran", kind="state", aliases=["Iran"])
    page = editor_client.get("/admin/registry/actor/ZZI/change/")
    assert "<textarea" in page.text and "Iran</textarea>" in page.text

    response = editor_client.post("/admin/registry/actor/ZZI/change/", _actor_form())
    assert response.status_code == 302, response.text
    actor = Actor.objects.get(code="ZZI")
    assert actor.aliases == ["Iran", "Tehran", "Iranian"]
    assert actor.name == "Islamic Republic of Iran"
    # The classifier's registry sees the edit without a restart.
    assert "Tehran" in current_registry().actors["ZZI"].aliases


@pytest.mark.django_db
def test_an_actor_cannot_become_its_own_ancestor(editor_client: Client) -> None:
    axis = Actor.objects.create(code="ZZAXIS", name="Axis", kind="coalition")
    Actor.objects.create(code="ZZI", name="Iran", kind="state", parent=axis)
    response = editor_client.post(
        "/admin/registry/actor/ZZAXIS/change/",
        _actor_form(name="Axis renamed", kind="coalition", parent="ZZI"),
    )
    assert response.status_code == 200
    assert "cannot be its own ancestor" in response.text
    axis.refresh_from_db()
    assert (axis.name, axis.parent_id) == ("Axis", None)


@pytest.mark.django_db
def test_place_aliases_and_a_bad_country_code(editor_client: Client) -> None:
    place = Place.objects.create(name="Testville", country="IRQ", precision="city")
    form = {
        "name": "Testville",
        "aliases": "Testvil\nTestvillē",
        "country": "iraq",
        "region": "",
        "precision": "city",
        "latitude": "33.3",
        "longitude": "44.4",
    }
    refused = editor_client.post(f"/admin/registry/place/{place.pk}/change/", form)
    assert refused.status_code == 200 and "alpha-3" in refused.text
    place.refresh_from_db()
    assert place.aliases == [] and place.latitude is None

    form["country"] = "irq"
    assert editor_client.post(f"/admin/registry/place/{place.pk}/change/", form).status_code == 302
    place.refresh_from_db()
    assert (place.aliases, place.country) == (["Testvil", "Testvillē"], "IRQ")


@pytest.mark.django_db
def test_a_viewer_reads_the_registry_but_cannot_change_it(viewer: User, client: Client) -> None:
    Actor.objects.create(code="ZZI", name="Iran", kind="state")
    client.force_login(viewer)
    assert client.get("/admin/registry/actor/ZZI/change/").status_code == 200
    assert client.post("/admin/registry/actor/ZZI/change/", _actor_form()).status_code == 403
    assert Actor.objects.get(code="ZZI").name == "Iran"
    feed = Feed.objects.create(slug="wire", name="Wire", secret="keep-me")
    client.post("/admin/ingest/feed/", {"action": "rotate_secrets", "_selected_action": [feed.pk]})
    feed.refresh_from_db()
    assert feed.secret == "keep-me"

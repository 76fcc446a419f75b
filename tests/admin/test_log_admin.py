"""The event log admin: visible to staff, changeable by nobody, superusers included."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events import store
from events.models import Event

from .conftest import log_in


def _some_event() -> store.RecordedEvent:
    return store.append(
        "note-1",
        [store.NewEvent("NoteTaken", {"text": "hello"}, {"user": "chief"})],
        expected_version=0,
    )[0]


@pytest.mark.django_db
def test_superuser_sees_the_log_but_no_add_change_or_delete(
    superuser: User, client: Client
) -> None:
    event = _some_event()
    client.force_login(superuser)

    listing = client.get("/admin/events/event/")
    assert listing.status_code == 200
    assert "NoteTaken" in listing.text
    assert "/admin/events/event/add/" not in listing.text
    assert 'name="action"' not in listing.text  # no bulk actions, delete included

    page = client.get(f"/admin/events/event/{event.position}/change/")
    assert page.status_code == 200
    assert "hello" in page.text
    assert 'name="_save"' not in page.text
    assert "/delete/" not in page.text

    assert client.get("/admin/events/event/add/").status_code == 403
    posted = client.post(
        f"/admin/events/event/{event.position}/change/", {"type": "Forged", "version": 9}
    )
    assert posted.status_code == 403
    assert (
        client.post(f"/admin/events/event/{event.position}/delete/", {"post": "yes"}).status_code
        == 403
    )
    stored = Event.objects.get(position=event.position)
    assert (stored.type, stored.version, stored.data) == ("NoteTaken", 1, {"text": "hello"})


@pytest.mark.django_db
def test_stream_and_checkpoint_admins_are_read_only(superuser: User, client: Client) -> None:
    _some_event()
    client.force_login(superuser)
    assert "note-1" in client.get("/admin/events/stream/").text
    assert client.get("/admin/events/stream/add/").status_code == 403
    assert client.post("/admin/events/stream/note-1/change/", {"version": 7}).status_code == 403
    assert client.get("/admin/events/checkpoint/add/").status_code == 403


@pytest.mark.django_db
def test_viewer_reads_the_log_and_a_staff_member_without_group_does_not(
    viewer: User, make_user: Any, client: Client
) -> None:
    _some_event()
    client.force_login(viewer)
    assert client.get("/admin/events/event/").status_code == 200
    client.force_login(make_user("nobody", None))
    assert client.get("/admin/events/event/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_log_offers_no_change(superuser: User, new_page: Any) -> None:
    event = _some_event()
    page = new_page()
    log_in(page, "chief")
    page.goto("/admin/events/event/")
    assert page.locator("#result_list").inner_text().count("NoteTaken") == 1
    assert page.locator("#content-main .object-tools a.addlink").count() == 0
    assert page.locator("select[name=action]").count() == 0

    page.goto(f"/admin/events/event/{event.position}/change/")
    assert "hello" in page.locator("#content").inner_text()
    assert page.locator("input[type=submit]").count() == 0
    assert page.locator("#content a.deletelink").count() == 0
    assert page.locator("input[name=type], textarea").count() == 0


@pytest.mark.django_db
def test_log_search_by_stream_and_by_event_id(superuser: User, client: Client) -> None:
    event = _some_event()
    store.append("other-1", [store.NewEvent("Other", {})], expected_version=0)
    client.force_login(superuser)
    by_stream = _results(client.get("/admin/events/event/?q=note-1").text)
    assert "NoteTaken" in by_stream and "other-1" not in by_stream
    by_id = _results(client.get(f"/admin/events/event/?q={event.event_id}").text)
    assert "NoteTaken" in by_id and "other-1" not in by_id


def _results(page: str) -> str:
    """The result table only (the filters list every type)."""
    start = page.index('<table id="result_list">')
    return page[start : page.index("</table>", start)]


@pytest.mark.django_db
def test_the_admin_home_links_the_newsroom_pages(viewer: User, client: Client) -> None:
    client.force_login(viewer)
    home = client.get("/admin/").text
    assert 'id="newsroom-links"' in home
    assert "/admin/events/incidentrow/review/" in home
    assert "/admin/events/incidentrow/dashboard/" in home


@pytest.mark.django_db(transaction=True)
def test_the_log_reads_as_sentences(editor: User, report: Any, client: Client) -> None:
    from events import services

    incident_id = report(killed=5)
    services.correct_incident(
        incident_id=incident_id,
        proposed={"killed": 6},
        reason="toll updated",
        editor=editor,
        expected_version=1,
    )
    services.verify_incident(incident_id=incident_id, editor=editor, expected_version=2)
    client.force_login(editor)
    listing = client.get("/admin/events/event/").text
    assert "IncidentCorrected: killed 5 -&gt; 6 by editor: toll updated" in listing
    assert "IncidentVerified: attack USA → HN in Baghdad (IRQ) on 2024-01-04 by editor" in listing
    assert (
        "IncidentReported: attack USA → HN in Baghdad (IRQ) on 2024-01-04 from Wire "
        "by classifier test-1" in listing
    )
    home = client.get("/admin/").text
    assert ">Incidents<" in home and "Incident rows" not in home

"""A corrupt cookie is treated as no cookie, never as a server error."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_session_cookie_with_a_nul_byte_is_ignored() -> None:
    # A raw header, as a hostile or broken client sends it.
    client = Client(HTTP_COOKIE="sessionid=abcdefghij\x00klmnopqrst; csrftoken=ok")
    response = client.get("/admin/login/")
    assert response.status_code == 200
    response = client.get("/api/events/")
    assert response.status_code == 200

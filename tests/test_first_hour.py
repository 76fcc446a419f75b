"""The first hour: the landing page, and `make run`'s demo admin and URLs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_landing_page_links_admin_api_docs_dashboard_and_map(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for url in (
        "/admin/",
        "/api/docs/",
        "/admin/events/incidentrow/dashboard/",
        "/admin/events/incidentrow/map/",
    ):
        assert f'href="{url}"' in page.text
    assert "http" not in page.text.split("<body>")[1]  # nothing from another site


def demo_setup(tmp_path: Path, *extra: str) -> str:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a.txt").write_text(
        "Quiet day\n\nNothing happened in Baghdad on Monday.\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command(
        "demo_setup",
        "--seeds",
        str(seeds),
        "--password-file",
        str(tmp_path / "password"),
        *extra,
        stdout=out,
    )
    return out.getvalue()


def password_in(output: str) -> str:
    return output.split("password '")[1].split("'")[0]


def test_the_demo_password_is_made_once_kept_and_reset_only_when_asked(tmp_path: Path) -> None:
    first = demo_setup(tmp_path, "--host", "0.0.0.0:9000")
    assert "Demo admin created" in first
    password = password_in(first)
    assert _accepts(password)
    assert "http://0.0.0.0:9000/admin/" in first and "http://0.0.0.0:9000/api/docs/" in first
    assert "add 0.0.0.0 to ALLOWED_HOSTS" in first
    assert (tmp_path / "password").stat().st_mode & 0o077 == 0  # the owner's only

    again = demo_setup(tmp_path)
    assert "Demo admin kept" in again and password_in(again) == password
    assert "http://127.0.0.1:8000/admin/events/incidentrow/map/" in again
    assert _accepts(password)

    reset = demo_setup(tmp_path, "--reset-password")
    assert "given a new password" in reset and password_in(reset) != password
    assert not _accepts(password)
    assert _accepts(password_in(reset))


def test_a_password_changed_in_the_admin_stands(tmp_path: Path) -> None:
    from django.contrib.auth.models import User

    demo_setup(tmp_path)
    user = User.objects.get(username="admin")
    user.set_password("chosen-by-the-admin-1")
    user.save()
    output = demo_setup(tmp_path)
    assert "password set elsewhere" in output and "RESET_ADMIN=1" in output
    assert _accepts("chosen-by-the-admin-1")


def test_a_bad_host_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    from django.contrib.auth.models import User

    with pytest.raises(CommandError, match="host:port"):
        demo_setup(tmp_path, "--host", "http://x/")
    assert not User.objects.filter(username="admin").exists()


def _accepts(password: str) -> bool:
    """The admin's password check itself (authenticate() goes through django-axes, which
    wants a request)."""
    return get_user_model().objects.get(username="admin").check_password(password)

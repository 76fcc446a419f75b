"""A production deploy serves the admin: collectstatic succeeds under the production
settings (the manifest storage refuses a file that references a missing one, such as a
source map that was never shipped), and an admin page then renders through the manifest."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RENDER_ADMIN_LOGIN = """
import django
django.setup()
from django.test import Client
response = Client().get("/admin/login/", secure=True)
print(response.status_code)
print(response.content.decode())
"""


def _production_env(tmp_path: Path) -> dict[str, str]:
    unset = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "tracker.settings_production",
        "SECRET_KEY": "deploy-test-" + "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
    }


def test_collectstatic_then_an_admin_page_renders_under_production_settings(tmp_path):
    env = _production_env(tmp_path)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()

    page = subprocess.run(
        [sys.executable, "-c", RENDER_ADMIN_LOGIN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert page.returncode == 0, page.stderr[-2000:]
    status, _, html = page.stdout.partition("\n")
    assert status == "200", page.stdout[-2000:]
    # The stylesheet is named through the manifest: hashed, not the plain path.
    assert "/static/admin/css/base." in html
    assert "/static/admin/css/base.css" not in html

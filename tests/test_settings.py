"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their event loop; a deployment
    # never would, and check --deploy rightly flags it.
    unset = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"CONN_MAX_AGE": "forever"}, "invalid literal"),
        ({"TRACKER_REVIEW_CONFIDENCE": "high"}, "could not convert"),
        (
            {
                "DATABASE_URL": "postgres://app@127.0.0.1:5432/tracker",
                "MIGRATION_DATABASE_URL": "postgres://owner@127.0.0.1:5432/elsewhere",
            },
            "MIGRATION_DATABASE_URL must name the same database",
        ),
    ],
)
def test_a_bad_value_stops_start_up_with_a_message(env: dict[str, str], message: str) -> None:
    result = _manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_the_deployment_checks() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="tracker.settings_production",
        SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_needs_nothing_set() -> None:
    from django.conf import settings

    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["django.db.backends.sqlite3", "True"]
    assert settings.CELERY_TASK_EAGER_PROPAGATES is True

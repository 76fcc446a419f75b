"""`manage.py demo_setup`: what `make run` needs after migrate, idempotent.

Creates the demo superuser once, with a random password it prints and keeps (in
`.demo-admin-password` next to the project, readable by its owner only) so every later run
prints the same one; `--reset-password` makes a new one. Then ingests the seed articles
synchronously and prints where the landing page, admin, API docs and desk pages are, for
the host `make run` serves on.
"""

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

PASSWORD_FILE = ".demo-admin-password"
PAGES = (
    ("Start", "/"),
    ("Admin", "/admin/"),
    ("API docs", "/api/docs/"),
    ("Dashboard", "/admin/events/incidentrow/dashboard/"),
    ("Map", "/admin/events/incidentrow/map/"),
    ("Review", "/admin/events/incidentrow/review/"),
)


def _kept_password(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _keep(path: Path, password: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


class Command(BaseCommand):
    help = "Create the demo admin user and load the seed articles (for `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--seeds", default=str(Path(settings.BASE_DIR) / "seeds"))
        parser.add_argument(
            "--host", default="127.0.0.1:8000", help="host:port the server will listen on"
        )
        parser.add_argument(
            "--reset-password", action="store_true", help="give the demo admin a new password"
        )
        parser.add_argument("--password-file", default=str(Path(settings.BASE_DIR) / PASSWORD_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        host = str(options["host"]).strip()
        if not host or "/" in host or " " in host:
            raise CommandError(f"--host {host!r}: give host:port, e.g. 127.0.0.1:8000")
        note = self._admin(
            options["username"], Path(options["password_file"]), options["reset_password"]
        )
        self.stdout.write("Loading the seed articles (classified in-process)...")
        call_command("ingest", options["seeds"], "--sync", stdout=self.stdout, stderr=self.stderr)

        base = f"http://{host}"
        lines = [f"\n{note}"] + [f"{name + ':':<11}{base}{path}" for name, path in PAGES]
        lines.append("(anonymous API reads are allowed in the demo)")
        hostname = host.rsplit(":", 1)[0]
        if hostname not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            lines.append(f"Note: add {hostname} to ALLOWED_HOSTS, or the server refuses it.")
        self.stdout.write(self.style.SUCCESS("\n".join(lines) + "\n"))

    def _admin(self, username: str, password_file: Path, reset: bool) -> str:
        """Create the admin once (or on --reset-password); say what its password is."""
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = True
        kept = _kept_password(password_file)
        if created or reset:
            kept = secrets.token_urlsafe(12)
            user.set_password(kept)
            _keep(password_file, kept)
            note = f"Demo admin {'created' if created else 'given a new password'}: "
            note += f"user {username!r}, password {kept!r}"
        elif kept is not None and user.check_password(kept):
            note = f"Demo admin kept: user {username!r}, password {kept!r}"
        else:
            # Changed in the admin, or made elsewhere: theirs stands until they ask.
            note = (
                f"Demo admin {username!r} kept with a password set elsewhere; "
                "`make run RESET_ADMIN=1` gives it a new one and prints it."
            )
        user.save()
        editors = Group.objects.filter(name="Editors").first()
        if editors is not None:
            user.groups.add(editors)
        return note

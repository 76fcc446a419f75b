"""`manage.py demo_setup`: what `make run` needs after migrate, idempotent.

Creates (or refreshes) the demo superuser with a fresh password and prints it, then
ingests the seed articles synchronously so the admin and the API have something to show.
"""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create the demo admin user and load the seed articles (for `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--seeds", default=str(Path(settings.BASE_DIR) / "seeds"))

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        password = secrets.token_urlsafe(12)
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        editors = Group.objects.filter(name="Editors").first()
        if editors is not None:
            user.groups.add(editors)

        self.stdout.write("Loading the seed articles (classified in-process)...")
        call_command("ingest", options["seeds"], "--sync", stdout=self.stdout, stderr=self.stderr)

        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo admin {'created' if created else 'ready'}: "
                f"user {username!r}, password {password!r}\n"
                "Admin:  http://127.0.0.1:8000/admin/\n"
                "API:    http://127.0.0.1:8000/api/docs/  (anonymous reads allowed in the demo)\n"
            )
        )

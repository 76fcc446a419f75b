"""`manage.py create_feed SLUG [--name N] [--secret S]`: a feed, and the secret it signs with."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from ingest.feed_services import create_feed


class Command(BaseCommand):
    help = "Create a feed and print the secret it must sign its pushes with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", help="display name (default: the slug)")
        parser.add_argument("--secret", help="use this secret instead of a random one")

    def handle(self, *args: Any, **options: Any) -> None:
        slug, secret = options["slug"], options["secret"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(f"{slug!r} is not a slug: letters, digits, - and _") from None
        if secret is not None and len(secret) < 16:
            raise CommandError("--secret must be at least 16 characters")
        try:
            with transaction.atomic():
                feed = create_feed(slug=slug, name=options["name"] or slug)
                if secret is not None:  # a secret the feed's operator already holds
                    feed.secret = secret
                    feed.save(update_fields=["secret"])
        except IntegrityError:
            raise CommandError(f"a feed {slug!r} already exists") from None
        self.stdout.write(feed.secret)

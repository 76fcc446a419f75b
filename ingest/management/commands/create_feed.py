"""`manage.py create_feed SLUG [--name N] [--secret S] [--base-url URL]`: a feed, the secret
it signs with (the first line, for scripts), its push URL and a complete signed example."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError

from ingest.feed_services import create_feed
from ingest.push_example import curl_example, push_url, python_example


class Command(BaseCommand):
    help = (
        "Create a feed; print the secret it must sign its pushes with (first line), "
        "its push URL and a signed example in curl and in Python."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", help="display name (default: the slug)")
        parser.add_argument("--secret", help="use this secret instead of a random one")
        parser.add_argument(
            "--base-url",
            default=settings.TRACKER_PUBLIC_URL,
            help="where the API answers, for the printed push URL (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug, secret, base_url = options["slug"], options["secret"], options["base_url"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(f"{slug!r} is not a slug: letters, digits, - and _") from None
        if secret is not None and len(secret) < 16:
            raise CommandError("--secret must be at least 16 characters")
        try:
            URLValidator(schemes=["http", "https"])(base_url)
        except ValidationError:
            raise CommandError(f"--base-url {base_url!r} is not an http(s) URL") from None
        try:
            feed = create_feed(slug=slug, name=options["name"] or slug, secret=secret)
        except IntegrityError:
            raise CommandError(f"a feed {slug!r} already exists") from None
        url = push_url(base_url, feed.slug)
        self.stdout.write(feed.secret)
        self.stdout.write(
            f"\nPush URL: {url}\n"
            "Answers: 202 stored and queued, 200 all duplicates, 4xx refused with a message "
            "(401 signature, 409 replay or older update, 400 bad field).\n"
            f"\n# curl\n{curl_example(url=url, secret=feed.secret)}"
            f"\n# Python\n{python_example(url=url, secret=feed.secret)}"
        )

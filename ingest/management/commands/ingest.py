"""`manage.py ingest PATH... [--feed SLUG] [--sync]`: load articles from disk.

Through the same service as the push API (deduplication, queueing after commit). With
`--sync` the articles are classified here, in this process, instead of by a worker.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ingest import services
from ingest.article_files import drafts_from_paths
from ingest.feed_services import create_feed
from ingest.models import Feed
from ingest.payloads import MAX_BATCH, PayloadError

LOCAL_FEED = "local-files"


class Command(BaseCommand):
    help = "Ingest text files, folders with a manifest.json, or JSON Lines files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--feed", default=LOCAL_FEED, help="feed slug (created if missing)")
        parser.add_argument("--sync", action="store_true", help="classify in this process")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            drafts = drafts_from_paths(options["paths"])
        except PayloadError as error:
            raise CommandError(str(error)) from None
        feed = Feed.objects.filter(slug=options["feed"]).first() or create_feed(
            slug=options["feed"], name=options["feed"]
        )
        sync = options["sync"]
        received = services.ReceiveResult()
        with tqdm(total=len(drafts), desc="ingest", unit="article", file=self.stderr) as bar:
            for start in range(0, len(drafts), MAX_BATCH):
                batch = drafts[start : start + MAX_BATCH]
                result = services.receive_articles(feed=feed, drafts=batch, enqueue=not sync)
                received.created += result.created
                received.updated += result.updated
                received.duplicates += result.duplicates
                bar.update(len(batch))
        self.stdout.write(
            f"{len(received.created)} new, {len(received.updated)} updated, "
            f"{len(received.duplicates)} duplicates"
        )
        if sync:
            self._classify(received.to_classify)

    def _classify(self, article_ids: list[int]) -> None:
        failed = 0
        for article_id in tqdm(article_ids, desc="classify", unit="article", file=self.stderr):
            try:
                outcome = services.classify_article(article_id=article_id)
            except Exception as error:
                failed += 1
                services.record_classification_error(
                    article_id=article_id, error=f"{type(error).__name__}: {error}", final=True
                )
                self.stderr.write(f"article {article_id}: {error}")
                continue
            self.stdout.write(f"article {article_id}: {outcome}")
        if failed:
            raise CommandError(f"{failed} of {len(article_ids)} articles failed to classify")

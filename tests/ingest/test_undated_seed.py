"""Seed 001 has no date anywhere (no publication date in the manifest, no year in its
text): its incidents stay undated, are flagged for review as such, and come after the
dated incidents in the newest-first lists instead of standing at the top as today's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest import services
from ingest.article_files import draft_from_text
from ingest.models import Feed, IncidentSupport
from ingest.payloads import ArticleDraft
from newsroom import selectors
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_001 = SEEDS / "001_f997b77ebb95322e.txt"


def ingest(feed: Feed, draft: ArticleDraft) -> list[str]:
    [article_id] = services.receive_articles(feed=feed, drafts=[draft], enqueue=False).created
    services.classify_article(article_id=article_id)
    return [
        str(i)
        for i in IncidentSupport.objects.filter(article_id=article_id).values_list(
            "incident_id", flat=True
        )
    ]


def test_seed_001_incidents_are_undated_flagged_and_listed_last(feed: Feed) -> None:
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    draft = draft_from_text(SEED_001, manifest)
    assert draft.published_at is None  # nothing dates the article itself
    undated = ingest(feed, draft)
    dated = ingest(
        feed,
        ArticleDraft(
            external_id="dated-strike",
            title="Turkish strike in Duhok",
            body="Turkish warplanes struck a PKK camp near Duhok in northern Iraq on "
            "Monday, killing five militants, the Turkish defence ministry said.",
            url="https://wire.example/dated",
            published_at=datetime(2016, 3, 9, tzinfo=UTC),
        ),
    )
    project_everything()
    assert undated and dated

    queue = {str(e.row.incident_id): e for e in selectors.review_queue()}
    for incident_id in undated:
        entry = queue[incident_id]  # in the review queue...
        assert "undated" in entry.reasons  # ...for that reason
        assert entry.row.state["fields"]["occurred_on"] is None

    from events.projections.rules import IncidentRow
    from newsroom.incident_admin import IncidentAdmin

    # The admin's list, newest first: the 2016 strike before the undated ones, although
    # these are "dated" by the day they were recorded (today).
    listed = [
        str(i)
        for i in IncidentRow.objects.order_by(*IncidentAdmin.ordering).values_list(
            "incident_id", flat=True
        )
    ]
    assert listed.index(dated[0]) < min(listed.index(i) for i in undated)

"""Learned aliases end to end (issue 13): an article introduces "Kenyan President William
Ruto", the classify service proposes "William Ruto" and "Ruto" as KEN's aliases, an
editor accepts them in the admin, and the next article that says only "Ruto" reads KEN
without a restart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ingest import services
from ingest.feed_services import create_feed
from ingest.models import Feed
from ingest.payloads import ArticleDraft
from ingest.registry_cache import current_registry, registry_version
from registry.models import Actor, ActorKind, LearnedAlias, LearnedAliasStatus
from registry.services import propose_learned_aliases

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

FIRST = (
    "Kenyan President William Ruto said on Tuesday that the Kenyan police mission in Haiti "
    "would continue despite the attacks."
)
NEXT = "Ruto said the troops would stay. Ruto threatened to launch air strikes on the gangs."


def _classify(feed: Feed, external_id: str, body: str) -> int:
    draft = ArticleDraft(
        external_id, "Haiti mission", body, published_at=datetime(2024, 3, 6, tzinfo=UTC)
    )
    received = services.receive_articles(feed=feed, drafts=[draft], enqueue=False)
    (article_id,) = received.to_classify
    services.classify_article(article_id=article_id)
    return int(article_id)


def test_proposed_accepted_and_read_by_the_next_article(make_user: Callable[..., User]) -> None:
    Actor.objects.get_or_create(code="KEN", defaults={"name": "Kenya", "kind": ActorKind.STATE})
    feed = create_feed(slug="wire", name="Wire")
    first_id = _classify(feed, "a1", FIRST)

    proposals = {p.name: p for p in LearnedAlias.objects.all()}
    assert {"William Ruto", "Ruto"} <= set(proposals), proposals
    assert proposals["Ruto"].actor_id == "KEN"
    assert proposals["Ruto"].first_article_id == first_id
    assert proposals["Ruto"].status == LearnedAliasStatus.PROPOSED
    assert "Ruto" not in {a for a in current_registry().actors["KEN"].aliases}

    editor = make_user("ed", "Editors")
    client = Client()
    client.force_login(editor)
    listing = client.get("/admin/registry/learnedalias/")
    assert listing.status_code == 200 and b"William Ruto" in listing.content
    before = registry_version()
    # bulk action on one row, and the per-row button on the other
    response = client.post(
        "/admin/registry/learnedalias/",
        {"action": "accept_selected", "_selected_action": [proposals["Ruto"].pk]},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/registry/learnedalias/{proposals['William Ruto'].pk}/decide/",
        {"decision": "accept"},
    )
    assert response.status_code == 302
    accepted = LearnedAlias.objects.get(pk=proposals["Ruto"].pk)
    assert accepted.status == LearnedAliasStatus.ACCEPTED and accepted.decided_by == editor
    assert {"Ruto", "William Ruto"} <= set(Actor.objects.get(code="KEN").aliases)
    assert registry_version() != before

    second = _classify(feed, "a2", NEXT)
    from ingest.models import Article

    assert Article.objects.get(pk=second).status == "classified"
    registry = current_registry()
    assert "Ruto" in registry.actors["KEN"].aliases
    from ingest.classify import extract_with_report
    from ingest.classify.types import ArticleInput

    events = extract_with_report(ArticleInput("n", "Haiti", NEXT), registry).events
    assert any(e.actor == "KEN" for e in events), [(e.type, e.actor) for e in events]


def test_viewer_cannot_decide_and_rejected_is_not_proposed_again(
    make_user: Callable[..., User],
) -> None:
    Actor.objects.get_or_create(code="KEN", defaults={"name": "Kenya", "kind": ActorKind.STATE})
    propose_learned_aliases(people={"Amina Odhiambo": "KEN"}, article_id=None)
    proposal = LearnedAlias.objects.get(name="Amina Odhiambo")
    client = Client()
    client.force_login(make_user("viewer", "Viewers"))
    client.post(f"/admin/registry/learnedalias/{proposal.pk}/decide/", {"decision": "accept"})
    assert LearnedAlias.objects.get(pk=proposal.pk).status == LearnedAliasStatus.PROPOSED

    client.force_login(make_user("ed", "Editors"))
    client.post(f"/admin/registry/learnedalias/{proposal.pk}/decide/", {"decision": "reject"})
    assert LearnedAlias.objects.get(pk=proposal.pk).status == LearnedAliasStatus.REJECTED
    assert "Amina Odhiambo" not in Actor.objects.get(code="KEN").aliases
    assert propose_learned_aliases(people={"Amina Odhiambo": "KEN"}, article_id=None) == 0

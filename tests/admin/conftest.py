"""The admin test harness: newsroom users and a real headless Chromium (Debian's build).

Playwright drives /usr/bin/chromium (installed with apt; Playwright never downloads its
own browser here) against pytest-django's live_server, which serves the admin and its
static files from a thread over the test database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from newsroom.groups import EDITORS, VIEWERS, sync_newsroom_groups
from tests.support.projections import project_everything

# Playwright's sync API keeps an event loop on the main thread; Django's ORM refuses to
# run while one is active unless told the caller is synchronous, which test code is.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "newsroom-pass-123"


@pytest.fixture
def newsroom_groups(db: None) -> None:
    # A transactional test's flush empties auth tables; the groups come back like this.
    from django.apps import apps

    sync_newsroom_groups(apps)


def _user(username: str, group: str | None, *, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def make_user(newsroom_groups: None) -> Callable[..., User]:
    return _user


@pytest.fixture
def editor(newsroom_groups: None) -> User:
    return _user("editor", EDITORS)


@pytest.fixture
def viewer(newsroom_groups: None) -> User:
    return _user("viewer", VIEWERS)


@pytest.fixture
def superuser(newsroom_groups: None) -> User:
    return _user("chief", None, superuser=True)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium: Any, live_server: Any) -> Iterator[Callable[[], Any]]:
    """Open a fresh browser context (own cookies: one logged-in person) per call."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = chromium.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


# --- incidents as the classifier reports them ---------------------------------------------

STRIKE_SENTENCE = "A US drone strike on Jan. 4 killed 2 fighters at a base in Baghdad."
ARTICLE_BODY = (
    "BAGHDAD (Wire) - Officials spoke on Friday.\n"
    f"{STRIKE_SENTENCE}\n"
    "A <script>alert('x')</script> tag in a feed must stay text."
)


@pytest.fixture
def article(db: None) -> Any:
    from ingest.models import Article, Feed

    feed = Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")
    return Article.objects.create(
        feed=feed,
        external_id="strike-1",
        url="https://wire.example/strike-1",
        title="Strike in Baghdad",
        body=ARTICLE_BODY,
        outlet="Wire",
        content_hash="hash-strike-1",
    )


@pytest.fixture
def report() -> Callable[..., Any]:
    """Report an incident the way the classifier does, and project it."""
    import uuid

    from events import services

    def make(*, article: Any = None, confidence: float = 0.9, **fields: Any) -> uuid.UUID:
        incident_id = uuid.uuid4()
        values = {
            "type": "attack",
            "actor": "USA",
            "target": "HN",
            "location": "Baghdad",
            "country": "IRQ",
            "killed": 2,
            "occurred_on": "2024-01-04",
            "date_precision": "day",
            **fields,
        }
        services.report_incident(
            incident_id=incident_id,
            fields=values,
            source={
                "article_id": article.pk if article else None,
                "outlet": "Wire",
                "title": article.title if article else "Strike",
                "evidence": STRIKE_SENTENCE,
                "confidence": confidence,
                "classifier_version": "test-1",
            },
            needs_review=confidence < 0.6,
            metadata={"classifier_version": "test-1"},
        )
        project_everything()
        return incident_id

    return make


def stream_of(incident_id: Any) -> list[Any]:
    from events import store
    from events.domain import stream_id_for

    return store.read_stream(stream_id_for(incident_id))


def correction_form(
    version: int, reason: str = "toll revised by the ministry", **fields: Any
) -> dict[str, Any]:
    """The correction form as the page pre-fills it, with `fields` changed."""
    values: dict[str, Any] = {
        "command": "correct",
        "expected_version": version,
        "type": "attack",
        "actor": "USA",
        "target": "HN",
        "location": "Baghdad",
        "country": "IRQ",
        "latitude": "",
        "longitude": "",
        "quantity_value": "",
        "quantity_unit": "",
        "killed": 2,
        "injured": "",
        "occurred_on": "2024-01-04",
        "date_precision": "day",
        "deadline": "",
        "status": "asserted",
        "reason": reason,
    }
    values.update(fields)
    return values

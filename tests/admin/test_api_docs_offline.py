"""The API documentation opens with no network: Swagger UI and Redoc come from the project's
own static files (drf-spectacular-sidecar), and every request a page makes to another host
is cut off and recorded."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _offline_page(new_page: Any, live_server: Any) -> tuple[Any, list[str]]:
    page = new_page()
    own_host = urlparse(live_server.url).netloc
    foreign: list[str] = []

    def only_this_server(route: Any) -> None:
        if urlparse(route.request.url).netloc == own_host:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_server)
    return page, foreign


def test_swagger_ui_lists_the_operations_offline(new_page: Any, live_server: Any) -> None:
    page, foreign = _offline_page(new_page, live_server)
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/incidents/" in p for p in paths), paths
    assert any("/api/events/" in p for p in paths), paths
    assert any("/api/events/stream" in p for p in paths), paths
    assert any("/api/export/incidents.csv" in p for p in paths), paths
    assert foreign == []


def test_redoc_lists_the_operations_offline(new_page: Any, live_server: Any) -> None:
    page, foreign = _offline_page(new_page, live_server)
    page.goto("/api/redoc/")
    page.wait_for_selector("redoc, [role=navigation]", timeout=20_000)
    # A locator, not wait_for_function: the page's policy forbids the eval that needs.
    page.get_by_text("/api/incidents/").first.wait_for(timeout=20_000)
    assert foreign == []

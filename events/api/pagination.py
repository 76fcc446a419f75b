"""A selector's `Page` as JSON, with the link to the next page (or null at the end).

The link is a path, not an absolute URL: answers are cached by path (events.api.
conditional), whichever host name the client used."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from events.selectors import Page


def page_json(request: Request, page: Page) -> dict[str, Any]:
    following = page.next_offset
    next_url = (
        None
        if following is None
        else replace_query_param(request.get_full_path(), "offset", following)
    )
    return {"count": page.count, "next": next_url, "results": page.results}

"""Request hygiene that has to run before Django's own middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DropMalformedCookiesMiddleware:
    """Forget cookies whose value holds a NUL byte.

    No cookie we set can contain one, and passed on it makes the session lookup fail in
    the database driver (a 500 before any view runs). A corrupt cookie is no cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in value for value in request.COOKIES.values()):
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if "\x00" not in v}
        return self.get_response(request)

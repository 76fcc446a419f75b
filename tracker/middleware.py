"""Request hygiene that has to run before Django's own middleware."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

API_PREFIX = "/api/"


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


class PrivateApiAnswersMiddleware:
    """API answers vary by who asks: every one says `Vary: Authorization`, so a shared cache
    never hands one client's answer to another, and an authenticated one is also
    `Cache-Control: private`, so no shared cache keeps it at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, ["Authorization"])
        user = getattr(request, "user", None)  # DRF sets it after its own authentication
        if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True)
        return response

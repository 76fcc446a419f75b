"""Who may read: token holders, or anyone while TRACKER_ANONYMOUS_READS is on.

Read at request time (not frozen into the view classes at import), so the setting can be
flipped per deployment and per test.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView


class ReadAccess(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(settings, "TRACKER_ANONYMOUS_READS", False):
            return True
        return bool(request.user and request.user.is_authenticated)

"""`/healthz`: does the primary answer, and how far behind it is each read replica.

200 while the primary answers (a replica that is down only moves reads elsewhere, so the
status says "degraded"); 503 when the primary does not answer.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from events import replicas


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        connections[DEFAULT_DB_ALIAS].close()
        message = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        return JsonResponse({"status": "down", "primary": message}, status=503)
    reports = [replicas.replica_report(alias) for alias in replicas.replica_aliases()]
    degraded = any("error" in report for report in reports)
    return JsonResponse(
        {"status": "degraded" if degraded else "ok", "primary": "ok", "replicas": reports}
    )

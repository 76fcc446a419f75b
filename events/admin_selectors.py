"""Read queries the newsroom admin pages need, over the projection tables."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import IncidentRow


def incidents_of_article(*, article_id: int) -> QuerySet[IncidentRow]:
    """Incidents the article is a source of (as the incidents projection has seen it)."""
    return IncidentRow.objects.filter(source_rows__article_id=article_id).distinct()

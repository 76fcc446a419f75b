"""The smallest real projection: how many events of each type each kind of stream holds.

The kind of a stream is its id up to the first '-' (`incident-<uuid>` -> `incident`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db.models import F

from events import store
from events.models import StreamTypeCount
from events.projections.base import Projector

Key = tuple[str, str]


def stream_type(stream_id: str) -> str:
    return stream_id.split("-", 1)[0]


def count_events(events: Iterable[store.RecordedEvent]) -> Counter[Key]:
    """The pure fold: (stream type, event type) -> number of events."""
    return Counter((stream_type(e.stream_id), e.type) for e in events)


class StreamTypeCountProjector(Projector):
    name = "stream_type_counts"
    tables = (StreamTypeCount,)

    def apply(self, events: Sequence[store.RecordedEvent]) -> None:
        for (kind, event_type), n in count_events(events).items():
            updated = StreamTypeCount.objects.filter(
                stream_type=kind, event_type=event_type
            ).update(count=F("count") + n)
            if not updated:
                StreamTypeCount.objects.create(stream_type=kind, event_type=event_type, count=n)

    def build(self, events: Iterable[store.RecordedEvent]) -> None:
        StreamTypeCount.objects.bulk_create(
            StreamTypeCount(stream_type=kind, event_type=event_type, count=n)
            for (kind, event_type), n in sorted(count_events(events).items())
        )


def table_counts() -> Counter[Key]:
    return Counter({(r.stream_type, r.event_type): r.count for r in StreamTypeCount.objects.all()})

"""Processes for the concurrency drill: writers appending through the store with
optimistic concurrency, and a projector following the log while they write."""

from __future__ import annotations

import os
import random
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event


def setup_django(database_name: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings_test"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database_name


def corroborate(
    database_name: str,
    writer: int,
    incident_ids: list[str],
    appends: int,
    start_at: float,
    out: Queue,
) -> None:
    """`appends` corroborations on randomly chosen shared incidents, each with the version
    just read as the expected one; a conflict re-reads and tries again."""
    setup_django(database_name)
    from events import store
    from events.domain import stream_id_for, validate_payload

    rng = random.Random(writer)
    committed: list[tuple[str, str, int]] = []
    conflicts = 0
    time.sleep(max(0.0, start_at - time.time()))
    for n in range(appends):
        incident_id = rng.choice(incident_ids)
        stream_id = stream_id_for(incident_id)
        data = validate_payload(
            "IncidentCorroborated",
            {
                "incident_id": incident_id,
                "source": {
                    "article_id": writer * 100_000 + n,
                    "outlet": f"Wire {writer}",
                    "evidence": f"Writer {writer} confirms it, report {n}.",
                    "confidence": 0.7,
                },
            },
        )
        while True:
            expected = store.stream_version(stream_id)
            try:
                [event] = store.append(
                    stream_id,
                    [store.NewEvent("IncidentCorroborated", data)],
                    expected_version=expected,
                )
                break
            except store.ConcurrencyError:
                conflicts += 1
        committed.append((str(event.event_id), event.stream_id, event.version))
    out.put((committed, conflicts))


def follow(database_name: str, stop: Event, out: Queue) -> None:
    """Run the projectors in small batches until told to stop, then report how many
    events each run applied."""
    setup_django(database_name)
    from events.projections.engine.projectors import PROJECTORS

    applied = 0
    runs = 0
    while not stop.is_set():
        for projector in PROJECTORS.values():
            applied += projector.run_once(batch_size=50)
        runs += 1
    out.put((applied, runs))

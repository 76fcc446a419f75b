"""Writer processes for the concurrency tests: real processes, real connections.

Each runs with the test database's settings (passed in), appends through the store and
reports what it committed (and only that) to a queue.
"""

from __future__ import annotations

import os
import random
import time
from multiprocessing.queues import Queue


def setup_django(database_name: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings_test"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database_name


def race_once(
    database_name: str, stream_id: str, expected: int, start_at: float, out: Queue
) -> None:
    """All racers wake at `start_at` and append with the same expected version."""
    setup_django(database_name)
    from events import store

    time.sleep(max(0.0, start_at - time.time()))
    try:
        recorded = store.append(
            stream_id, [store.NewEvent("Raced", {"pid": os.getpid()})], expected_version=expected
        )
        out.put(("won", recorded[0].version))
    except store.ConcurrencyError:
        out.put(("conflict", None))


class _Rollback(Exception):
    pass


def write_for(database_name: str, writer: int, seconds: float, out: Queue) -> None:
    """Append for `seconds` to a few shared streams, sleeping inside transactions and
    rolling some back, so that commits land out of position order."""
    setup_django(database_name)
    from django.db import transaction

    from events import store

    rng = random.Random(writer)
    committed: list[tuple[str, str, int]] = []
    deadline = time.time() + seconds
    n = 0
    while time.time() < deadline:
        stream_id = f"load-{rng.randrange(6)}"
        n += 1
        try:
            with transaction.atomic():
                recorded = store.append(
                    stream_id,
                    [store.NewEvent("Loaded", {"writer": writer, "n": n})],
                    expected_version=None,
                )
                time.sleep(rng.uniform(0, 0.02))
                if rng.random() < 0.1:
                    raise _Rollback
        except _Rollback:
            continue
        committed += [(str(e.event_id), e.stream_id, e.version) for e in recorded]
    out.put(committed)

"""The Celery application. Configuration comes from Django settings (CELERY_ namespace).

Delivery does not depend on beat: every worker queues a sweep of stuck articles when it
is ready and then every TRACKER_WORKER_SWEEP_EVERY_SECONDS, so an article committed but
never queued (the web process killed between commit and enqueue) or whose message died
with a worker is classified within a couple of minutes even when beat is not running.
"""

import logging
import os
import threading
from typing import Any

from celery import Celery
from celery.signals import worker_ready, worker_shutting_down

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
SWEEP_TASK = "ingest.tasks.sweep_stuck_articles"
_stop_sweeping = threading.Event()


def _sweep_periodically(every: float) -> None:
    while True:
        try:
            app.send_task(SWEEP_TASK, retry=False)
        except Exception as error:  # the broker is down: the next round tries again
            logger.warning("could not queue the article sweep: %s", error)
        if _stop_sweeping.wait(every):
            return


@worker_ready.connect
def _sweep_without_beat(**kwargs: Any) -> None:
    from django.conf import settings

    every = float(getattr(settings, "TRACKER_WORKER_SWEEP_EVERY_SECONDS", 0))
    if every <= 0 or app.conf.task_always_eager:
        return
    _stop_sweeping.clear()
    threading.Thread(
        target=_sweep_periodically, args=(every,), name="article-sweep", daemon=True
    ).start()


@worker_shutting_down.connect
def _stop_sweep(**kwargs: Any) -> None:
    _stop_sweeping.set()

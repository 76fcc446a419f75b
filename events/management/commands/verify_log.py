"""`manage.py verify_log`: recompute every event's chain hash and every seal's Merkle root.

Exit 0 with the counts checked, or 1 naming the first position whose hash does not match.
The outcome is kept for the dashboard (a failure is also logged at ERROR).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from events.integrity.verify import record_verification, verify_log


class Command(BaseCommand):
    help = "Recompute the log's hash chains and seals; exit 1 at the first mismatch."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_log()
        record_verification(result)
        if not result.ok:
            self.stderr.write(result.describe())
            raise SystemExit(1)
        self.stdout.write(result.describe())

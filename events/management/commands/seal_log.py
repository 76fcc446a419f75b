"""`manage.py seal_log`: seal the events read since the last seal now (beat does it every
minute); prints the seal, or that there was nothing to seal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from events.integrity.seals import seal_log


class Command(BaseCommand):
    help = "Seal the events appended since the last seal (a Merkle root over them)."

    def handle(self, *args: Any, **options: Any) -> None:
        seal = seal_log()
        if seal is None:
            self.stdout.write("nothing new to seal")
            return
        self.stdout.write(
            f"seal {seal.number}: {seal.event_count} events up to position {seal.position}, "
            f"root {bytes(seal.root).hex()}"
        )

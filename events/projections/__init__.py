"""Read models folded from the event log.

- `base.Projector`: reads `events.store.read_all` from a checkpoint and writes each batch
  and the new checkpoint in one transaction (exactly once).
- Pure folding rules (`incident_state`, `forces`, `stances`, `ultimatums`,
  `stream_type_counts`) shared by the tables, rebuilds and the as_of / known_at queries.
- `request_catch_up()`: call after appending; the projector runs after the commit.
"""

from events.projections.engine.wakeup import request_catch_up

__all__ = ["request_catch_up"]

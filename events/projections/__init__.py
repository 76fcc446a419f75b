"""Read models folded from the event log.

- `engine/`: the projector (`projector.Projector` reads `events.store.read_all` from a
  checkpoint and writes each batch and the new checkpoint in one transaction, exactly
  once; a rebuild fills fresh tables and swaps them in), bulk writes, the log scan and its
  shares, lag, knobs, wake-ups, and the incident projector.
- `rules/`: one module per read model (incidents, forces, stances, ultimatums,
  stream_type_counts), each with its table and its pure rules, shared by the tables,
  rebuilds and the as_of / known_at queries. The incident fold itself is the domain's
  (events.domain.fold).
- `request_catch_up()`: call after appending; the projector runs after the commit.
"""

from events.projections.engine.wakeup import request_catch_up

__all__ = ["request_catch_up"]

"""The projection engine: the projector (checkpointed, exactly-once batches; rebuild into
fresh tables and swap), bulk writes, the log scan and its shares, lag, knobs, wake-ups, and
the incident projector that drives every read model of events/projections/rules/."""

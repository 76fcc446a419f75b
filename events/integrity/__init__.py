"""Tamper evidence and least privilege for the log.

- `chain`: each event's hash, chained to the previous event of its stream (computed by a
  trigger on PostgreSQL, by the store's SQLite path in Python; one canonical encoding).
- `merkle`: RFC 6962 Merkle tree hashing (Certificate Transparency).
- `seals`: periodic seals, each a Merkle root over the events read since the last one.
- `verify`: recompute every hash and every seal (`manage.py verify_log`).
- `roles`: the owner and runtime database roles (`manage.py db_roles`).
"""

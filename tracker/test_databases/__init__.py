"""Database backends for the test suite only: Django's, except that a flush (which empties
every table between transactional tests) also empties the append-only tables, as their
owner may: on PostgreSQL their guard triggers are disabled inside the flush's transaction
(`ALTER TABLE ... DISABLE TRIGGER`, which only the owner can run), on SQLite they are
dropped and recreated around it. Nothing a session sets opens the log, here or elsewhere.
"""

APPEND_ONLY_TABLES = ("events_event", "events_seal", "events_log_check")

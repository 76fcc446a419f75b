"""Following the log as it grows: the PostgreSQL NOTIFY channel appends send, the
process-wide tail every live subscriber reads from, and waiting for new events."""

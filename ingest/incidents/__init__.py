"""Incident matching: which incident an extracted event reports (matching), the commands
that report, corroborate or retract it (building), and the lookup rows that keep matching
a query away from the log (keys)."""

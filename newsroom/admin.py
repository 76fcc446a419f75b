"""The newsroom's admin: Django's autodiscovery imports this module, which registers every
page (the event log, the incident desk, feeds, articles and the registry)."""

from newsroom import incident_admin, ingest_admin, learned_alias_admin, log_admin  # noqa: F401

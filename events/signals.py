"""Signals of the incident domain.

`incident_event_recorded` is sent by the incident commands (events.services) right after
an incident event is appended, inside the appending transaction, with `event` (the
RecordedEvent). It is sent again when a retried command gets the stored event back, so
receivers must be idempotent. Receivers keep synchronous lookups in step with the log
(the ingest app's matching keys); anything that may lag belongs in a projection instead.
"""

from django.dispatch import Signal

incident_event_recorded = Signal()

"""Read queries over the log and the read models, one module per read model.

Every state query takes a `TimePoint`. With neither `as_of` (world time) nor `known_at`
(record time) it reads the projection tables; otherwise it folds the log with the same
pure rules the projector uses, so "now" from the log and "now" from the tables agree
(`common.from_tables_or_fold`). JSON shapes are the API's (events/api/representations.py),
ETag versions too (events/api/etags.py); their names are re-exported here with the
selectors' for the other apps.
"""

from events.api.etags import DAILY, EVERY_MINUTE, STILL, state_version
from events.api.representations import event_json, incident_json, stance_json, ultimatum_json
from events.selectors.actors import actor_detail, descendants, list_actors
from events.selectors.common import (
    LOG_PAGE,
    NOW,
    NotFound,
    Page,
    TimePoint,
    from_tables_or_fold,
    incident_states,
    iter_log,
    page_of,
)
from events.selectors.forces import forces_page
from events.selectors.incidents import IncidentFilter, incident_detail, list_incidents
from events.selectors.log import log_page, stream_events
from events.selectors.stances import stances_page
from events.selectors.ultimatums import ultimatums_page

__all__ = [
    "DAILY",
    "EVERY_MINUTE",
    "LOG_PAGE",
    "NOW",
    "STILL",
    "IncidentFilter",
    "NotFound",
    "Page",
    "TimePoint",
    "actor_detail",
    "descendants",
    "event_json",
    "forces_page",
    "from_tables_or_fold",
    "incident_detail",
    "incident_json",
    "incident_states",
    "iter_log",
    "list_actors",
    "list_incidents",
    "log_page",
    "page_of",
    "stance_json",
    "stances_page",
    "state_version",
    "stream_events",
    "ultimatum_json",
    "ultimatums_page",
]

"""Settings for the test suite: the real settings plus one escape hatch.

Django's test flush empties every table between transactional tests. The log's triggers
refuse that, except on a connection that says `tracker.allow_purge=on` (PostgreSQL) or
while TRACKER_ALLOW_LOG_PURGE is true (SQLite). Only this module sets them; tests of
immutability switch it off around the statement they check.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES

TRACKER_ALLOW_LOG_PURGE = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c tracker.allow_purge=on"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

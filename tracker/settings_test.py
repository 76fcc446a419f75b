"""Settings for the test suite: the real settings on the test database backends.

Django's test flush empties every table between transactional tests. The log's triggers
refuse that to every session; the test backends (tracker.test_databases) empty the
append-only tables as their owner, inside the flush. Nothing else differs from production
as far as the log is concerned.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES

_TEST_BACKENDS = {
    "django.db.backends.postgresql": "tracker.test_databases.postgresql",
    "django.db.backends.sqlite3": "tracker.test_databases.sqlite3",
}
DATABASES["default"]["ENGINE"] = _TEST_BACKENDS.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

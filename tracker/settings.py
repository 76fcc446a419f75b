"""Settings, all from the environment (django-environ); a bad value fails at start-up.

With nothing set this is the embedded default: SQLite in the project folder and Celery
tasks executed in-process, so `make run` works on a bare machine. Set DATABASE_URL and
CELERY_BROKER_URL for the real stack (PostgreSQL and Redis). `tracker.settings_production`
turns DEBUG off and hardens everything `manage.py check --deploy` looks at.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is optional; real deployments set the variables themselves.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean from the environment; anything but a clear yes/no stops start-up."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw not in _TRUE | _FALSE:
        raise environ.ImproperlyConfigured(f"{name}={raw!r} is not a boolean (true/false)")
    return raw in _TRUE


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "dev-insecure-key-change-me")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "registry",
    "events",
    "ingest",
    "newsroom",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tracker.middleware.DropMalformedCookiesMiddleware",
    "tracker.middleware.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tracker.middleware.PrivateApiAnswersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

# --- Sessions and the admin login ----------------------------------------------------------
# django-axes counts failed logins per username and client address (the address taken as
# for the API throttles, see TRUSTED_PROXY_COUNT) and locks that pair out for a while.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The log names the username and address that failed (never the password): what an
# administrator needs to tell an attack from a colleague who forgot.
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "tracker/locked_out.html"

# --- Content-Security-Policy (django-csp) on every page ------------------------------------
# Every script is a file served from here (the admin's, the dashboard's, Swagger UI's and
# Redoc's from drf-spectacular-sidecar), so no inline script runs. Inline styles stay
# allowed: the admin and Redoc set style attributes. Redoc builds its search worker
# from a blob.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'tracker.sqlite3'}"),
}
# The runtime role (SELECT and INSERT on the log, owns nothing); migrations and projection
# rebuilds run as the owner when MIGRATION_DATABASE_URL is set (`manage.py db_roles`).
MIGRATION_DATABASE = (
    env.db("MIGRATION_DATABASE_URL") if env.str("MIGRATION_DATABASE_URL", default="") else None
)
if MIGRATION_DATABASE and any(
    MIGRATION_DATABASE.get(key) != DATABASES["default"].get(key)
    for key in ("ENGINE", "NAME", "HOST", "PORT")
):
    raise environ.ImproperlyConfigured(
        "MIGRATION_DATABASE_URL must name the same database as DATABASE_URL (another role)"
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time; wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20


def replica_databases(urls: list[str], primary: dict[str, object]) -> dict[str, dict[str, object]]:
    """`DATABASE_REPLICA_URLS` as database aliases replica_1, replica_2, ...: streaming
    replicas of the primary, on its engine; the test runner points them at its test database."""
    replicas: dict[str, dict[str, object]] = {}
    for number, url in enumerate(urls, start=1):
        try:
            config = dict(environ.Env.db_url_config(url))
        except ValueError as error:
            raise environ.ImproperlyConfigured(f"DATABASE_REPLICA_URLS: {url!r}: {error}") from None
        if config.get("ENGINE") != primary["ENGINE"]:
            raise environ.ImproperlyConfigured(
                f"DATABASE_REPLICA_URLS: {url!r} is not a database of the primary's kind "
                f"({primary['ENGINE']})"
            )
        config.update(
            ATOMIC_REQUESTS=False,
            CONN_MAX_AGE=primary["CONN_MAX_AGE"],
            TEST={"MIRROR": "default"},
        )
        replicas[f"replica_{number}"] = config
    return replicas


_REPLICA_URLS = [url for url in env.list("DATABASE_REPLICA_URLS", default=[]) if url.strip()]
DATABASES.update(replica_databases(_REPLICA_URLS, DATABASES["default"]))
# Read API requests and exports read from these, round robin (events.replicas); the rest
# of the project reads and writes on the primary.
TRACKER_REPLICA_DATABASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["events.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Failed and locked-out admin logins are logged (at WARNING) whatever LOG_LEVEL says.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Celery -------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
# No broker configured: run tasks in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Retries back off well below this, so a late-acked task is never redelivered while alive.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# --- REST framework ---------------------------------------------------------------------
# How many reverse proxies (load balancer, nginx) stand in front of the app and append to
# X-Forwarded-For. 0: the client is REMOTE_ADDR and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise environ.ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
TRACKER_ANONYMOUS_READS = env_bool("TRACKER_ANONYMOUS_READS", default=DEBUG)
# A comment line this often on a quiet /api/events/stream, so proxies keep it open.
TRACKER_STREAM_HEARTBEAT_SECONDS = env.float("TRACKER_STREAM_HEARTBEAT_SECONDS", default=15.0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.AllowAny"
        if TRACKER_ANONYMOUS_READS
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "tracker.throttles.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("ANON_THROTTLE_RATE", default="6000/min"),
        "token": env.str("TOKEN_THROTTLE_RATE", default="6000/min"),
        "feed": env.str("FEED_THROTTLE_RATE", default="3000/min"),
    },
    # The client's address: REMOTE_ADDR, or with proxies in front the address the
    # outermost trusted proxy saw. Never an X-Forwarded-For entry a client wrote itself.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tracker.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Conflict tracker API",
    "DESCRIPTION": "The event log of conflict incidents and the state projected from it.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two read models both call their lifecycle "status": give each enum its own name.
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": ["active", "retracted", "merged"],
        "UltimatumStatusEnum": ["open", "expired", "complied", "escalated"],
    },
}

# --- The tracker's own knobs --------------------------------------------------------------
# Incidents the classifier is less sure of than this are flagged for an editor's review.
TRACKER_REVIEW_CONFIDENCE = env.float("TRACKER_REVIEW_CONFIDENCE", default=0.6)
# Stance scores decay with the age of the incidents behind them.
TRACKER_STANCE_HALF_LIFE_DAYS = env.float("TRACKER_STANCE_HALF_LIFE_DAYS", default=180.0)
# Force levels stated within this many days of the latest one are concurrent estimates
# (shown as a low-high range with the sources on each side), older ones are history.
TRACKER_FORCE_WINDOW_DAYS = env.int("TRACKER_FORCE_WINDOW_DAYS", default=180)
# The admin map draws Natural Earth country outlines shipped in its static files; a tile
# server (`https://tiles.example/{z}/{x}/{y}.png`) adds a layer under them when set.
TRACKER_MAP_TILE_URL = env.str("TRACKER_MAP_TILE_URL", default="")
TRACKER_MAP_TILE_ATTRIBUTION = env.str("TRACKER_MAP_TILE_ATTRIBUTION", default="")
if TRACKER_MAP_TILE_URL:
    # the optional tile server's images must pass the page's Content-Security-Policy
    _tiles = urlsplit(TRACKER_MAP_TILE_URL.replace("{s}", "*"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# A rebuild on PostgreSQL folds the log in this many processes, each over a share of
# the streams (events.projections.engine.shares): one per core by default.
TRACKER_REBUILD_PROCESSES = env.int("TRACKER_REBUILD_PROCESSES", default=os.cpu_count() or 1)
# A push's signature timestamp (X-Signature: t=...) may differ this much from the server's
# clock; outside it the push is refused (401), so a captured push cannot be replayed later.
TRACKER_SIGNATURE_TOLERANCE_SECONDS = env.int("TRACKER_SIGNATURE_TOLERANCE_SECONDS", default=300)
# After a secret rotation the previous secret still signs for this long, so a feed's
# operator can switch without a window of refused pushes.
TRACKER_SECRET_OVERLAP_HOURS = env.float("TRACKER_SECRET_OVERLAP_HOURS", default=24.0)
# Where the API answers for the outside world: the push URL `create_feed` prints.
TRACKER_PUBLIC_URL = env.str("TRACKER_PUBLIC_URL", default="http://127.0.0.1:8000")
# Largest accepted request body for the ingest API.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)

# --- Ingestion sweep (ingest.tasks.sweep_stuck_articles) ----------------------------------
# Articles waiting (received/queued) longer than this are queued again: the broker was down
# when they arrived, the web process died between commit and enqueue, or a worker died with
# the message unacknowledged. One waiting for a retry (its error recorded) is left alone
# for the retry's longest back-off (10 minutes) on top.
TRACKER_SWEEP_AFTER_SECONDS = env.int("TRACKER_SWEEP_AFTER_SECONDS", default=60)
# Every worker queues a sweep when it starts and then this often, so delivery does not
# depend on beat (tracker.celery); 0 turns it off. Beat sweeps as well.
TRACKER_WORKER_SWEEP_EVERY_SECONDS = env.float("TRACKER_WORKER_SWEEP_EVERY_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-articles": {
        "task": "ingest.tasks.sweep_stuck_articles",
        "schedule": env.float("TRACKER_SWEEP_EVERY_SECONDS", default=60.0),
    },
    # Tamper evidence (events.integrity): a seal every minute, a full verification daily.
    "events-seal-log": {
        "task": "events.tasks.seal_log",
        "schedule": env.float("TRACKER_SEAL_EVERY_SECONDS", default=60.0),
    },
    "events-verify-log": {
        "task": "events.tasks.verify_log",
        "schedule": env.float("TRACKER_VERIFY_EVERY_SECONDS", default=86400.0),
    },
    # A projector wake-up can be lost (broker down, worker restart): catch up regardless.
    "events-projections-catch-up": {
        "task": "events.tasks.catch_up_projections",
        "schedule": env.float("TRACKER_CATCH_UP_EVERY_SECONDS", default=30.0),
    },
}

"""Settings for the partnership tracker.

Everything that differs between machines comes from environment variables
(twelve-factor); there are no per-environment settings branches. The README
lists every variable. Tests override a handful of values in settings_test.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram search indexes (OpClass in an index needs the app).
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_celery_beat",
    "simple_history",
]
LOCAL_APPS = [
    "accounts",
    "influencers",
    "campaigns",
    "partnerships",
    "metrics",
    "collectors",
    "shop",
    "portal",
    "today",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.access.RoleAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # `common` is plain helpers, not an app, so its template filters are named here.
            "libraries": {"timespans": "common.timespans", "numbers": "common.numbers"},
        },
    },
]

# --- Data stores -----------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
# Every Redis client (cache, broker, /healthz) gives up after these many seconds when
# Redis refuses, hangs or vanishes behind a half-open connection, instead of waiting
# for the operating system (minutes) and holding a web worker meanwhile.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "partnerships",
        # Passed to redis-py's connection pool (which does not retry by default).
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
        },
    }
}

# --- Accounts and security -------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Sessions end after a working day of inactivity, or when the browser closes. A session is
# saved again (its expiry pushed back) only once a tenth of its age has passed since the
# last save, not on every request (accounts.sessions.SessionRefreshMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_REFRESH_AFTER = env.int("SESSION_REFRESH_AFTER", default=SESSION_COOKIE_AGE // 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Lock a username only from the address that keeps failing: an attacker
# guessing from one address cannot lock the real user out everywhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field is "username" even though it holds the email; logins are
# case-insensitive, so failures count against the lower-cased address.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.access.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# The client's address (accounts.client): REMOTE_ADDR, unless told how many proxies
# sit in front; then the address that many hops from the right of X-Forwarded-For.
# Trusting the header without a proxy would let anyone pick a fresh address for every
# guess. AXES_PROXY_COUNT is the variable's older name. TRUSTED_PROXIES (CIDRs,
# optional) must then hold the proxies' own addresses.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_VERBOSE = False

# HTTPS: on by default whenever DEBUG is off; each can be switched by env var.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips clients' own).
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# /healthz is probed by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline scripts or styles anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Email -----------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Absolute links in emails (invitations, notifications) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
INVITATION_TTL_HOURS = env.int("INVITATION_TTL_HOURS", default=72)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Partnerships <noreply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connect or reply may take: a stalled mail server cannot hold a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The outbox (accounts/outbox.py): tries before an email counts as failed, and how
# long hand-ins of one partnership are gathered into one email to the marketer.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
HAND_IN_NOTICE_WINDOW_MINUTES = env.int("HAND_IN_NOTICE_WINDOW_MINUTES", default=10)
# Password reset emails per address and per client address, per hour.
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env.int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", default=3)
PASSWORD_RESET_PER_CLIENT_PER_HOUR = env.int("PASSWORD_RESET_PER_CLIENT_PER_HOUR", default=10)

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ms", _("Bahasa Melayu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Kuala_Lumpur")
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", default="MYR")

# Keys for the provider credentials stored encrypted (common.crypto): Fernet keys,
# comma-separated; the first encrypts, all decrypt (rotation). Only a DEBUG run gets a
# built-in key; anywhere else the app refuses to start without one, since credentials
# encrypted under a key nobody kept are lost.
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQtZW5jcnlwdGlvbi1rZXktMDA="
FIELD_ENCRYPTION_KEY = env(
    "FIELD_ENCRYPTION_KEY", default=DEV_FIELD_ENCRYPTION_KEY if DEBUG else ""
)
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "Set FIELD_ENCRYPTION_KEY (a Fernet key: python -c 'from cryptography.fernet import "
        "Fernet; print(Fernet.generate_key().decode())')."
    )

# --- Static files ------------------------------------------------------------

STATIC_URL = "static/"
# collectstatic writes here and whitenoise serves from here.
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Uploaded files (none yet); scripts/backup archives this folder with the database.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Post thumbnails and channel pictures the collectors copy (README "Media files"): served
# by `runserver` under DEBUG, by the reverse proxy (or the storage's own URLs) in production.
MEDIA_URL = env("MEDIA_URL", default="/media/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Tasks are written to be safe to run twice, so a task is acknowledged only
# once it has finished, and redelivered if its worker dies half way.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# The broker. A message a worker took but never acknowledged (the worker was killed)
# goes back to the queue once it is older than the visibility timeout: twice the task
# time limit, so a message can wait behind one task that runs to its limit and then run
# to its own limit without being handed out twice. Workers look for such messages when
# they start and then every `unacked_restore_interval` seconds, so a killed worker's
# task runs again at most visibility timeout + 10 s after it was taken (10 min 10 s
# with the defaults). The socket timeouts bound every publish and every command; a
# failed connection is not retried in the caller (requests publish through
# common.queue.nudge, and a periodic sweeper catches what was not published).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # A worker killed in the middle of a sweep leaves its lock behind for this long.
    "unacked_mutex_expire": 60,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# A publish that fails is tried once more at once (a dropped pooled connection), no more.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A delivery claim older than this belongs to a worker that died: the sweeper hands the
# email to another. Longer than the hard time limit, so a live sender is never doubled.
OUTBOX_STALE_CLAIM_SECONDS = env.int(
    "OUTBOX_STALE_CLAIM_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
# The periodic tasks the app needs: name -> (task, every, period). Beat reads them from
# the database (editable in the admin); metrics.schedules.ensure_schedules creates the
# missing ones at migrate time and never overwrites a retuned one.
PERIODIC_TASKS = {
    "Scheduler heartbeat": ("metrics.heartbeat", 30, "seconds"),
    "Daily digests (each marketer at their local hour)": ("today.send_due_digests", 15, "minutes"),
    "Email outbox sweeper": ("accounts.sweep_outbox", 1, "minutes"),
    "Used form tokens purge": ("accounts.purge_submit_tokens", 6, "hours"),
    "Tracked-link clicks rollup": ("metrics.rollup_clicks", 5, "minutes"),
    "Collectors dispatcher (queues due data sources)": ("collectors.dispatch", 2, "minutes"),
    "Creators' tokens: refresh and reminders": ("collectors.creator_tokens", 1, "hours"),
    "Old hourly metric records folded into days": ("metrics.fold_old_hours", 6, "hours"),
    "Shop deliveries sweeper": ("shop.process_deliveries", 1, "minutes"),
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Collectors (pulling numbers from providers) ------------------------------

# One queue per provider, so a slow or throttled provider cannot hold up the others or
# the emails; a worker started without --queues consumes all of them (CELERY_TASK_QUEUES).
COLLECTORS_PROVIDERS = (
    "youtube",
    "instagram",
    "ga4",
    "plausible",
    "matomo",
    "instagram_creator",
    "tiktok_creator",
    "youtube_creator",
)
COLLECTORS_QUEUE_PREFIX = env("COLLECTORS_QUEUE_PREFIX", default="collect")
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE),
    *(Queue(f"{COLLECTORS_QUEUE_PREFIX}.{name}") for name in COLLECTORS_PROVIDERS),
]
CELERY_TASK_ROUTES = ("collectors.routing.route_pull",)
# Seconds a provider may take to connect and to answer each read.
COLLECTORS_HTTP_TIMEOUT = env.float("COLLECTORS_HTTP_TIMEOUT", default=20.0)
# Token buckets shared by every worker (collectors.ratelimit): provider -> (tokens per
# second, burst). Below each provider's documented limit: Plausible 600 requests/hour
# per key, GA4 10 concurrent requests, Instagram's Business Use Case budget.
COLLECTORS_RATE_LIMITS = {
    "youtube": (5.0, 10),
    "instagram": (0.5, 5),
    "ga4": (1.0, 5),
    "plausible": (0.15, 10),
    "matomo": (5.0, 10),
    "instagram_creator": (0.5, 5),
    "tiktok_creator": (5.0, 10),  # 600 requests a minute per endpoint
    "youtube_creator": (5.0, 10),
    # Replace some with COLLECTORS_RATE_LIMITS='{"youtube": [2.0, 1]}' (JSON).
    **env.json("COLLECTORS_RATE_LIMITS", default={}),
}
COLLECTORS_RATE_LIMIT_PREFIX = env("COLLECTORS_RATE_LIMIT_PREFIX", default="collectors:bucket")
# Transient failures (5xx, timeouts) in a row before a connection is marked failing.
COLLECTORS_MAX_FAILURES = env.int("COLLECTORS_MAX_FAILURES", default=5)
# /healthz fails when a working data source is this many seconds past its next run
# (the dispatcher or the collector workers are not running).
COLLECTORS_OVERDUE_SECONDS = env.int("COLLECTORS_OVERDUE_SECONDS", default=2 * 3600)
# Ceiling of the backoff between retries after a transient failure or a 429 (seconds).
COLLECTORS_MAX_BACKOFF = env.int("COLLECTORS_MAX_BACKOFF", default=3600)
# `seed_demo` points its demo data sources at the fake providers here (`make run` serves
# them on this port); empty seeds no data sources. Only in development by default.
DEMO_FAKE_PROVIDERS_URL = env(
    "DEMO_FAKE_PROVIDERS_URL", default="http://127.0.0.1:8765" if DEBUG else ""
)

# Creators connect their own accounts (collectors.creators): each provider's app, from
# its developer console. The redirect URI to register is SITE_URL +
# /portal/accounts/callback/<instagram|tiktok|youtube>/. CREATORS_FAKE_URL points every
# OAuth and insights endpoint at `manage.py fake_providers` (offline demo, tests).
CREATORS_INSTAGRAM_CLIENT_ID = env("CREATORS_INSTAGRAM_CLIENT_ID", default="")
CREATORS_INSTAGRAM_CLIENT_SECRET = env("CREATORS_INSTAGRAM_CLIENT_SECRET", default="")
CREATORS_TIKTOK_CLIENT_KEY = env("CREATORS_TIKTOK_CLIENT_KEY", default="")
CREATORS_TIKTOK_CLIENT_SECRET = env("CREATORS_TIKTOK_CLIENT_SECRET", default="")
CREATORS_GOOGLE_CLIENT_ID = env("CREATORS_GOOGLE_CLIENT_ID", default="")
CREATORS_GOOGLE_CLIENT_SECRET = env("CREATORS_GOOGLE_CLIENT_SECRET", default="")
CREATORS_FAKE_URL = env("CREATORS_FAKE_URL", default="")
# Days before a creator's token lapses when the creator and the partnership owners are
# told (once per threshold), and again when it has lapsed.
CREATORS_REMINDER_DAYS = (7, 2)

# "My day": when an active partnership counts as gone quiet, when proposed terms
# have waited too long, when a sent shipment should have arrived (days).
MY_DAY_QUIET_DAYS = env.int("MY_DAY_QUIET_DAYS", default=14)
MY_DAY_TERMS_WAITING_DAYS = env.int("MY_DAY_TERMS_WAITING_DAYS", default=5)
MY_DAY_SHIPMENT_DAYS = env.int("MY_DAY_SHIPMENT_DAYS", default=7)

# Render a proposed version's PDFs in a worker as soon as it is frozen (else the first
# download renders and stores them).
TERMS_PDF_AT_PROPOSAL = env.bool("TERMS_PDF_AT_PROPOSAL", default=True)

# Hour buckets of metric records older than this many days are folded into day buckets
# (metrics/retention.py): totals stay the same, the table stops growing by the hour.
METRICS_HOURLY_RETENTION_DAYS = env.int("METRICS_HOURLY_RETENTION_DAYS", default=35)

# /healthz reports the scheduler as stale when its last tick is older than this.
HEARTBEAT_MAX_AGE_SECONDS = env.int("HEARTBEAT_MAX_AGE_SECONDS", default=180)

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # httpx logs every request URL at INFO; collectors keep credentials out of URLs, and
    # these lines are noise anyway.
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

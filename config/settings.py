"""Concord settings: one module, driven by the environment (12-factor).

With nothing set, everything runs embedded on one machine: SQLite in ``var/``,
Celery on kombu's filesystem broker in ``var/broker/``, e-mails written as files
to ``var/mail/``. Setting ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CACHE_URL``
and ``EMAIL_URL`` moves each part to a real server (PostgreSQL, Redis, SMTP).
``CONCORD_ENV=production`` turns on the production hardening and requires
``SECRET_KEY`` and ``ALLOWED_HOSTS`` from the environment.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

CONCORD_ENV = env.str("CONCORD_ENV", default="local")
PRODUCTION = CONCORD_ENV == "production"

VAR_DIR = Path(env.str("CONCORD_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="concord-local-development-key-not-for-production-use")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
    DEBUG = env.bool("DEBUG", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "notifications",
    "contracts",
    "bargaining",
    "config.auth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY, below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a login django-axes refused into the lockout page (config/auth/lockout.py).
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contracts.compliance.context_processors.navigation",
                "notifications.context_processors.unread_alerts",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'concord.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let the web server, the worker and beat share
    # one SQLite file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file, not memory, so a real Celery worker in the tests sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-concord.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# --- Auth -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# django-axes refuses a login before the password is checked once it is locked out.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Locked per username *and* client address, not per username alone: otherwise anyone could lock a
# user out from everywhere by typing wrong passwords under their name. Counted in the database;
# an administrator unlocks in the admin (Axes) or with `manage.py axes_reset_username NAME`.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
# Minutes a lockout lasts after the last attempt (0: until an administrator unlocks).
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30)) or None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.auth.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.auth.lockout.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command
# API tokens (django-rest-knox): stored as SHA-512 digests, valid for API_TOKEN_TTL_DAYS days,
# all revoked when their user's password changes (config/auth/signals.py).
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Chinese amounts grouped by thousands, as payslips and contracts write them (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
# The site's own CSS and scripts, and the vendored htmx and ECharts (static/vendor/README.md).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail -----------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Concord <concord@localhost>")
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Documents ----------------------------------------------------------------------
# PDF copies are made with LibreOffice where it is installed (soffice on the PATH).
DOCUMENTS_PDF = env.bool("DOCUMENTS_PDF", default=True)
DOCUMENTS_PDF_TIMEOUT = env.int("DOCUMENTS_PDF_TIMEOUT", default=120)

# --- Payroll imports --------------------------------------------------------------------
# Refused before parsing above this size (a 1,000,000-row CSV is about 90 MB).
PAYROLL_MAX_UPLOAD_BYTES = env.int("PAYROLL_MAX_UPLOAD_BYTES", default=200 * 2**20)
# A request whose Content-Length is over this (the file limit and 1 MiB for the form's other
# fields) is refused with 413 before its body is read; a body without one is stopped there.
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=PAYROLL_MAX_UPLOAD_BYTES + 2**20)
FILE_UPLOAD_HANDLERS = [
    "config.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Limits checked while a payroll file is read (contracts/compliance/parsing/limits.py), before
# the rows are converted; a 1,000,000-row XLSX is about 75 MB holding 450 MB of sheet XML.
PAYROLL_MAX_UNCOMPRESSED_BYTES = env.int("PAYROLL_MAX_UNCOMPRESSED_BYTES", default=1024 * 2**20)
PAYROLL_MAX_COMPRESSION_RATIO = env.int("PAYROLL_MAX_COMPRESSION_RATIO", default=100)
PAYROLL_MAX_ZIP_ENTRIES = env.int("PAYROLL_MAX_ZIP_ENTRIES", default=1000)
PAYROLL_MAX_COLUMNS = env.int("PAYROLL_MAX_COLUMNS", default=200)
PAYROLL_MAX_CELL_CHARS = env.int("PAYROLL_MAX_CELL_CHARS", default=32_767)
PAYROLL_MAX_ROWS = env.int("PAYROLL_MAX_ROWS", default=1_048_576)  # what Excel holds
PAYROLL_MAX_LINE_BYTES = env.int("PAYROLL_MAX_LINE_BYTES", default=2**20)  # of a CSV line
# Cells (rows × columns, empty ones too) calamine may hold for a sheet it reads whole.
PAYROLL_MAX_SHEET_CELLS = env.int("PAYROLL_MAX_SHEET_CELLS", default=16_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a missing, wrong, expired or revoked token gets 401 (WWW-Authenticate: Token).
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested too deep is a 400, not a RecursionError (config/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # config/auth/throttles.py: writes by a logged-in user (every view), token requests per address.
    "DEFAULT_THROTTLE_CLASSES": ["config.auth.throttles.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_TOKEN_RATE", default="10/min"),
        "write": env.str("API_WRITE_RATE", default="120/min"),
    },
    # Proxies in front of the site whose X-Forwarded-For is trusted: which address is the client's,
    # for the throttles and the login lockout. 0: REMOTE_ADDR, and the header is ignored.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": "Collective bargaining, collective contracts and compliance monitoring for trade unions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files: the docs work offline and behind firewalls.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SideEnum": "bargaining.models.Side.choices",
        "ClauseCategoryEnum": "contracts.rules.terms.ClauseCategory.choices",
        "ContractKindEnum": "contracts.models.contracts.ContractKind.choices",
        "NegotiationKindEnum": "bargaining.models.NegotiationKind.choices",
        "NegotiationStatusEnum": "bargaining.models.NegotiationStatus.choices",
        "ContractStatusEnum": "contracts.models.contracts.ContractStatus.choices",
        "DocumentKindEnum": "contracts.models.documents.DocumentKind.choices",
        "DocumentStatusEnum": "contracts.models.documents.DocumentStatus.choices",
        "CongressModeEnum": "contracts.models.congress.CongressMode.choices",
        "BallotChoiceEnum": "contracts.models.congress.BallotChoice.choices",
        "ImportStatusEnum": "contracts.compliance.models.ImportStatus.choices",
        "RunStatusEnum": "contracts.compliance.models.RunStatus.choices",
        "BreachStatusEnum": "contracts.compliance.models.BreachStatus.choices",
        "AlertLevelEnum": "notifications.models.Level.choices",
        "NotificationModeEnum": "notifications.models.Mode.choices",
    },
}

# --- Celery -----------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: no server, messages are files in one folder that
    # every process on this machine shares. Its folders must exist before use.
    _broker_dir = Path(env.str("CONCORD_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # kombu polls the folder this often for each queue (its default, 1 s, made every task
        # wait a second or more); measured in bench/queue_latency.py.
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=0.1),
    }
# Queues by kind of work, routed here and nowhere else, so an uploaded payroll file never waits
# behind a hundred e-mails: `make run` starts a worker of its own for imports beside the one that
# takes every queue; in production give each queue its workers (README, "Queues").
CELERY_TASK_QUEUES = [
    Queue("imports"),  # payroll imports and the compliance runs they start
    Queue("documents"),  # .docx and PDF rendering
    Queue("email"),  # deliveries and digests
    Queue("periodic"),  # beat's sweeps, deadline reminders, lifecycle moves, the heartbeat
]
CELERY_TASK_DEFAULT_QUEUE = "periodic"
CELERY_TASK_ROUTES = {
    "contracts.import_payroll": {"queue": "imports"},
    "contracts.run_compliance": {"queue": "imports"},
    "contracts.render_document": {"queue": "documents"},
    "notifications.send_delivery": {"queue": "email"},
    "notifications.send_digests": {"queue": "email"},
}
# Work that must not be lost (imports, compliance runs, documents) is a row held under a lease
# (config/leases.py). A worker's lease lasts this long and is renewed as it makes progress; past it
# the worker is taken for dead. The sweep (every minute) queues again what waited this long since it
# was last queued, and what a dead worker held.
WORK_LEASE_SECONDS = env.int("WORK_LEASE_SECONDS", default=300)
WORK_REQUEUE_AFTER_SECONDS = env.int("WORK_REQUEUE_AFTER_SECONDS", default=120)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "concord.heartbeat", "schedule": 60.0},
    "contracts-make-effective": {"task": "contracts.make_effective", "schedule": crontab(minute=5)},
    "contracts-expire": {"task": "contracts.expire", "schedule": crontab(hour=0, minute=15)},
    "contracts-sweep-pending": {"task": "contracts.sweep_pending", "schedule": 60.0},
    # Deadline reminders and overdue alerts, hourly; the 07:00 run feeds the 08:00 digest.
    "contracts-deadline-alerts": {"task": "contracts.deadline_alerts", "schedule": crontab(minute=0)},
    "bargaining-deadline-alerts": {"task": "bargaining.deadline_alerts", "schedule": crontab(minute=0)},
    "notifications-digest": {"task": "notifications.send_digests", "schedule": crontab(hour=8, minute=0)},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
}

# --- Notifications ------------------------------------------------------------------
# Where the links in e-mails point.
NOTIFICATIONS_SITE_URL = env.str("NOTIFICATIONS_SITE_URL", default="http://localhost:8000")
# The domain part of each e-mail's Message-ID (default: DEFAULT_FROM_EMAIL's domain).
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="")
# A failing mail server is retried this many times, after 1, 2, 4 ... × BACKOFF seconds
# (at most BACKOFF_MAX apart); then the delivery is marked failed for the admins.
NOTIFICATIONS_MAX_RETRIES = env.int("NOTIFICATIONS_MAX_RETRIES", default=8)
NOTIFICATIONS_RETRY_BACKOFF = env.int("NOTIFICATIONS_RETRY_BACKOFF", default=60)
NOTIFICATIONS_RETRY_BACKOFF_MAX = env.int("NOTIFICATIONS_RETRY_BACKOFF_MAX", default=3600)
# A worker's claim on a delivery; past it the worker is taken for dead and another sends.
# It must outlast one SMTP conversation, whose every step times out after SEND_TIMEOUT.
NOTIFICATIONS_SEND_TIMEOUT = env.int("NOTIFICATIONS_SEND_TIMEOUT", default=30)
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=600)
# A worker sending one delivery sends up to this many others already due over the same connection.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=50)
# A pending delivery this long past due has lost its task: the sweep queues it again.
NOTIFICATIONS_GRACE_SECONDS = env.int("NOTIFICATIONS_GRACE_SECONDS", default=120)
# Deadlines due within this many days are announced (once each).
NOTIFICATIONS_REMINDER_DAYS = env.int("NOTIFICATIONS_REMINDER_DAYS", default=7)

# --- Content-Security-Policy (django-csp) --------------------------------------------
# Every page's CSS and script come from our own static files: no inline <style>, style="…",
# <script> or on…= handler, no eval (htmx's allowEval is off, base.html). A browser refuses
# anything else, so injected markup cannot run. JSON a page carries (json_script) is data.
# The Swagger UI loads its start script from its own URL (config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Logging ----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes says every successful login at INFO; lockouts, which matter, come at WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Production hardening -----------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

"""Settings for development, tests and `make run`, read from the environment.

Every variable is listed with its defaults in docs/settings.md. Production adds
its stricter choices in `volunteerbank.settings.production`.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

from volunteerbank.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


class SettingsError(SystemExit):
    """Stops start-up with one line naming the variable, not a traceback."""

    def __init__(self, variable: str, problem: str):
        super().__init__(f"Configuration error: {variable} {problem}")


def _database_from_env() -> dict:
    raw = env.str("DATABASE_URL", default="")
    if not raw:
        VAR_DIR.mkdir(exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
    scheme = urlsplit(raw).scheme
    if scheme not in ("postgres", "postgresql", "pgsql", "sqlite"):
        raise SettingsError("DATABASE_URL", f"must start with postgres:// or sqlite:/// (got {raw!r}).")
    try:
        config = env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several kinds on a malformed URL
        raise SettingsError("DATABASE_URL", f"is malformed ({exc}).") from None
    if not config.get("NAME"):
        raise SettingsError("DATABASE_URL", "names no database.")
    return config


def _redis_from_env() -> str:
    raw = env.str("REDIS_URL", default="")
    if raw:
        parts = urlsplit(raw)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise SettingsError("REDIS_URL", f"must look like redis://host:6379/0 (got {raw!r}).")
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise SettingsError("REDIS_URL", f"has a bad port (got {raw!r}).") from None
    return raw


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingsError("SECRET_KEY", "must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails and notifications. Unset, it follows PORT (`make run PORT=8123` passes it),
# so a development run never sends people to a port nothing listens on.
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}")

AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "core",
    "accounts",
    "notifications",
    "volunteers",
    "charities",
    "cases",
    "matching",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag + 304 on every GET, lists included
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "volunteerbank.urls"
WSGI_APPLICATION = "volunteerbank.wsgi.application"

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
                "notifications.context_processors.notifications",
            ],
            "builtins": ["core.templatetags.calendars"],
        },
    },
]

DATABASES = {"default": _database_from_env()}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL feature; on SQLite (`make run`) they are plain indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Arabic first, English second; every page lives under /ar/ or /en/.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The location picker's map tiles ({z}/{x}/{y} URL template) and their attribution.
# Empty: no map, "use my location" and typing only. Never a CDN by default.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
FORMAT_MODULE_PATH = ["core.formats"]  # one 24-hour clock per language
USE_TZ = True
TIME_ZONE = "UTC"  # stored and computed in UTC; shown in the region's zone

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REQUEST_BODY_MAX_BYTES = 1024 * 1024
UPLOAD_BODY_MAX_BYTES = 30 * 1024 * 1024  # up to 5 photos of 5 MB and the form around them
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Accounts (django-allauth): sign in by email; verification optional in development.
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
ACCOUNT_SIGNUP_REDIRECT_URL = "volunteers:onboarding"  # a URL name: resolved in the visitor's language
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address in the session (or app) that signed up signs in: a phone gets its
# working session token from the verify call instead of having to log in again.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip"}
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/accounts/confirm-email/{{key}}/",
    "account_reset_password_from_key": f"{SITE_URL}/accounts/password/reset/key/{{key}}/",
    "account_signup": f"{SITE_URL}/accounts/signup/",
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Volunteer Bank <noreply@volunteerbank.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only; the few operations that upload files add multipart themselves
    # (core.api.parsers.UPLOAD_PARSERS), so the schema offers one body type per operation.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="600/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "reports": env.str("THROTTLE_REPORTS", default="5/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Volunteer Bank API",
    "DESCRIPTION": "API v1 for the Volunteer Bank phone and tablet clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so a generated client never has to send
    # read-only fields (ids, counts) and types agree both ways.
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: null is a type of its own, written one way (`oneOf: [{$ref}, {type: "null"}]`),
    # which strict validators and the generators we test (docs/api.md) read alike.
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {
        "MatchStatusEnum": "matching.models.Match.Status",
        "CaseStatusEnum": "cases.models.Case.Status",
        "ReportStatusEnum": "cases.models.Report.Status",
        "GenderEnum": "volunteers.models.Gender",
        # A need and a repeating need share these choices: one enum each, named once.
        "NeedGenderEnum": "cases.models.cases.Need.Gender",
        "NeedAnchorEnum": "cases.models.series.NeedSeries.Anchor",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
        "core.api.schema.nullable_as_null_type",
        "core.api.schema.require_bodies",
    ],
}

# Celery: with no REDIS_URL (as in `make run`) tasks run in-process, eagerly.
REDIS_URL = _redis_from_env()
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 1}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
CELERY_TASK_ROUTES = {
    "notifications.tasks.*": {"queue": "notifications"},
    "matching.tasks.*": {"queue": "matching"},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and env.bool("CACHE_IN_REDIS", default=False)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
ACCOUNT_ADAPTER = "notifications.adapters.AccountAdapter"

# Notifications: a row claimed longer than this is taken again (its worker died);
# per channel, at most (per recipient per hour, overall per minute) are sent, the
# rest wait. SMS in development is written to a file.
NOTIFICATIONS_CLAIM_TIMEOUT = env.int("NOTIFICATIONS_CLAIM_TIMEOUT", default=600)
NOTIFICATIONS_RATE_LIMITS = {
    "email": (env.int("EMAIL_PER_RECIPIENT_HOUR", default=20), env.int("EMAIL_PER_MINUTE", default=300)),
    "sms": (env.int("SMS_PER_RECIPIENT_HOUR", default=5), env.int("SMS_PER_MINUTE", default=60)),
}
SMS_LOG_PATH = env.path("SMS_LOG_PATH", default=VAR_DIR / "sms.log")
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)

# Matching: an invited volunteer has this long to answer; a need gets this many
# proposals per open place; the sweep re-matches at most this many needs per region.
MATCHING_INVITATION_HOURS = env.int("MATCHING_INVITATION_HOURS", default=48)
MATCHING_PROPOSALS_PER_PLACE = env.float("MATCHING_PROPOSALS_PER_PLACE", default=3.0)
MATCHING_SWEEP_BATCH = env.int("MATCHING_SWEEP_BATCH", default=50)
# The global assignment (matching.assignment): how many overlapping needs one
# volunteer may be proposed for at once, and how far ahead the sweep solves a region.
MATCHING_MAX_OVERLAPPING_PROPOSALS = env.int("MATCHING_MAX_OVERLAPPING_PROPOSALS", default=1)
MATCHING_ASSIGNMENT_HORIZON_DAYS = env.int("MATCHING_ASSIGNMENT_HORIZON_DAYS", default=14)
# Repeating needs: occurrences are created this many days ahead (cases.services.series).
SERIES_HORIZON_DAYS = env.int("SERIES_HORIZON_DAYS", default=28)
# A confirmed need moved by more than this (start or end): its volunteers are told.
NEED_TIME_CHANGE_NOTICE_MINUTES = env.int("NEED_TIME_CHANGE_NOTICE_MINUTES", default=10)

# Response time (matching.response_times): a charity's median time to review the
# volunteers proposed in the last RESPONSE_TIME_WINDOW_DAYS; fewer measured
# matches than RESPONSE_TIME_MIN_MATCHES show no figure. Staff are reminded once
# a day of proposals waiting longer than MATCH_WAITING_HOURS.
RESPONSE_TIME_WINDOW_DAYS = env.int("RESPONSE_TIME_WINDOW_DAYS", default=90)
RESPONSE_TIME_MIN_MATCHES = env.int("RESPONSE_TIME_MIN_MATCHES", default=5)
MATCH_WAITING_HOURS = env.int("MATCH_WAITING_HOURS", default=24)

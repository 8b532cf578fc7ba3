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
# Proxies in front of the app that append to X-Forwarded-For (nginx, a load balancer):
# every rate limit counts against the address the outermost one saw (core.http).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
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
    "allauth.mfa",
    "csp",
    "core",
    "accounts",
    "notifications",
    "volunteers",
    "charities",
    "cases",
    "matching",
    "attendance",
    "impact",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
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
    "accounts.middleware.StaffMfaMiddleware",
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
# Files above this are spooled to a temporary file, not held in memory; at most 10 files
# a request (5 photos, a cover, a logo and room to spare; Django's default is 100).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

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
# Staff (Django admin) and moderators sign in through allauth (rate-limited) with TOTP and
# recovery codes; accounts.middleware sends one without TOTP to set it up first.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Volunteer Bank"
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
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
        "core.api.authentication.SessionAuthentication",
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
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="600/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "reports": env.str("THROTTLE_REPORTS", default="5/min"),
        "check_in": env.str("THROTTLE_CHECK_IN", default="5/min"),
        "certificates": env.str("THROTTLE_CERTIFICATES", default="30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Volunteer Bank API",
    "DESCRIPTION": "API v1 for the Volunteer Bank phone and tablet clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "/api/redoc/dist",  # the sidecar's bundle, less its CDN logo (core.api.docs)
    # No badge from an outside validator; every file of the docs comes from our static files.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
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
        # Two choice sets share the field name "channel": every notification channel, and the phone ones.
        "ChannelEnum": "notifications.models.Channel",
        "PhoneChannelEnum": "notifications.models.PhoneChannel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
        "core.api.schema.nullable_as_null_type",
        "core.api.schema.require_bodies",
    ],
}

# Content-Security-Policy (django-csp): scripts only from our own static files, no
# inline script or on* handler, no eval. The API docs relax styles only (csp_update
# in core.api.docs: Swagger UI and Redoc write style attributes and <style>).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
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

# Throttle counters live in the cache: in Redis they are shared by every web process.
# Production turns this on whenever REDIS_URL is set (settings.production).
CACHE_IN_REDIS = env.bool("CACHE_IN_REDIS", default=False)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and CACHE_IN_REDIS
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Public pages for anonymous visitors (core/public_cache.py): shared in Redis whenever there
    # is one, so every web process and worker sees the versions the services bump.
    "public": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "vb"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"}
    ),
}
# How long an anonymous visitor's copy of a public page lives (0 turns the cache off).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
# How long a case's card is kept as HTML for every list showing it, signed-in visitors too
# (core/public_cache.py `fragments`; 0 turns it off). Versions key it as they key pages.
PUBLIC_FRAGMENT_SECONDS = env.int("PUBLIC_FRAGMENT_SECONDS", default=300)
# Public lists count and page through at most this many cases (the rest: narrow the filters).
PUBLIC_LIST_MAX_RESULTS = env.int("PUBLIC_LIST_MAX_RESULTS", default=1000)
# A search ranks at most this many matching cases, found through the text indexes.
SEARCH_CANDIDATES = env.int("SEARCH_CANDIDATES", default=200)
# A word in at least this many cases is common: its newest SEARCH_COMMON_WORD_HEAD cases
# are kept in order for search (cases/common_words.py).
SEARCH_COMMON_WORD_CASES = env.int("SEARCH_COMMON_WORD_CASES", default=2000)
SEARCH_COMMON_WORD_HEAD = env.int("SEARCH_COMMON_WORD_HEAD", default=5000)

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
    "whatsapp": (env.int("WHATSAPP_PER_RECIPIENT_HOUR", default=10), env.int("WHATSAPP_PER_MINUTE", default=600)),
    "push": (env.int("PUSH_PER_RECIPIENT_HOUR", default=20), env.int("PUSH_PER_MINUTE", default=1200)),
}
# Per recipient per day (rolling 24 hours): messages that cost money or attention.
NOTIFICATIONS_DAILY_CAPS = {
    "sms": env.int("SMS_PER_RECIPIENT_DAY", default=10),
    "whatsapp": env.int("WHATSAPP_PER_RECIPIENT_DAY", default=20),
    "push": env.int("PUSH_PER_RECIPIENT_DAY", default=30),
}
SMS_LOG_PATH = env.path("SMS_LOG_PATH", default=VAR_DIR / "sms.log")
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
# Hosts a webhook may reach even on an internal address or over plain http (tests, a
# developer's local receiver). Empty by default, in DEBUG too: no other exception.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])

# Charities: a staff invitation link works this many days.
STAFF_INVITATION_DAYS = env.int("STAFF_INVITATION_DAYS", default=7)

# Messaging providers (notifications/providers.py). Unset: WhatsApp, SMS and push
# are written to SMS_LOG_PATH as development SMS always were.
PROVIDER_TIMEOUT = env.float("PROVIDER_TIMEOUT", default=10.0)
WHATSAPP_API_BASE = env.str("WHATSAPP_API_BASE", default="https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_TOKEN = env.str("WHATSAPP_TOKEN", default="")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
SMS_PROVIDER = env.str("SMS_PROVIDER", default="log")  # "log" or "twilio"
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default="https://api.twilio.com")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
# Sender per country of the recipient: "EG=VolunteerBk,SA=+966500000000"; else TWILIO_FROM.
SMS_SENDERS = env.dict("SMS_SENDERS", default={})
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:admin@volunteerbank.local")

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

# Privacy and safety (issue 11): a guardian's link may be used to agree for this many
# days (withdrawing never expires); rejected reports and their photos are purged after
# REPORT_RETENTION_DAYS.
GUARDIAN_LINK_DAYS = env.int("GUARDIAN_LINK_DAYS", default=7)
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=180)

# After the match (attendance app).
ATTENDANCE_CORRECTION_DAYS = env.int("ATTENDANCE_CORRECTION_DAYS", default=14)
CHECK_IN_OPENS_MINUTES = env.int("CHECK_IN_OPENS_MINUTES", default=120)
HOURS_REQUEST_MAX_AGE_DAYS = env.int("HOURS_REQUEST_MAX_AGE_DAYS", default=365)

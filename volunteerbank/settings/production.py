"""Production: DEBUG off, a real SECRET_KEY, HTTPS everywhere, mandatory email verification."""

import os

os.environ["DEBUG"] = "false"  # production never runs with DEBUG, whatever the environment says

from .base import *  # noqa: F403
from .base import env

DEBUG = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Rate limits must count across every gunicorn worker and machine: the cache is Redis
# whenever there is one (CACHE_IN_REDIS=false opts out, e.g. a single-process trial).
if REDIS_URL and env.bool("CACHE_IN_REDIS", default=True):  # noqa: F405
    CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}  # noqa: F405
STAFF_MFA_REQUIRED = True  # whatever the environment says

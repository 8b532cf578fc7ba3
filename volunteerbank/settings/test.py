"""Tests: tasks are queued, never run eagerly; a test runs a task by calling it,
or through a real worker on Redis (see tests/celery_worker.py)."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import REDIS_URL

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "anon": "10000/min",
    "user": "10000/min",
}
# Staff fixtures sign in with force_login (no second factor); tests/test_staff_mfa.py
# turns the rule on to test it. Production forces it on (settings.production).
STAFF_MFA_REQUIRED = False
# The public page cache is off unless a test turns it on (core/tests/test_public_cache.py):
# factories write rows without the services, so they never bump its versions.
PUBLIC_CACHE_SECONDS = 0
PUBLIC_FRAGMENT_SECONDS = 0
CACHES = {**CACHES, "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"}}  # noqa: F405

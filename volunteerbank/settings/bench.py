"""Production settings plus the bench's URLconf (the bare view lives only there).
Used by `manage.py bench_pages` (cases/bench) for the gunicorn it starts; never deployed."""

from volunteerbank.settings.production import *  # noqa: F403

ROOT_URLCONF = "volunteerbank.bench_urls"

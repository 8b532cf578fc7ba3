"""The ASGI entry point (gunicorn). Fails closed: without DJANGO_SETTINGS_MODULE it
loads the production settings (DEBUG off, SECRET_KEY required); only manage.py defaults
to development."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volunteerbank.settings.production")
application = get_asgi_application()

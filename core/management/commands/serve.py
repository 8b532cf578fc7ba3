"""`make run`: check the port first, so a taken port gets a sentence rather than a traceback."""

import os
import socket

from celery import current_app
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.embedded_beat import EmbeddedBeat


class Command(BaseCommand):
    help = "Serve the portal on 127.0.0.1:PORT after checking that the port is free."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise CommandError(
                    f"Port {port} is already in use. Stop what runs there, or pick another: make run PORT=8001"
                )
        if "SITE_URL" not in os.environ and "PORT" not in os.environ:
            # --port without PORT: the reloader's child reads settings again, with this.
            os.environ["PORT"] = str(port)
            settings.SITE_URL = f"http://127.0.0.1:{port}"
        self.stdout.write(f"Volunteer Bank: http://127.0.0.1:{port}/ar/ (English: /en/)")
        if settings.CELERY_TASK_ALWAYS_EAGER and os.environ.get("RUN_MAIN") == "true":
            # In the reloader's child only, so one thread runs the periodic tasks.
            EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE, current_app).start()  # the project's app
        call_command("runserver", f"127.0.0.1:{port}")

"""Demo data for `make run`: loaded once, then left alone (a second run adds nothing).

Refused outside DEBUG: the demo accounts share one published password, so on a real
site they would be open doors."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load demo accounts and data once (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo only runs with DEBUG on (development): its accounts share a published password."
            )
        created, accounts = demo_load()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
        self.stdout.write(f"Accounts to try (password: {DEMO_PASSWORD}):")
        for role, email in accounts:
            self.stdout.write(f"  {role:<22} {email}")

"""`manage.py rebuild_impact`: every impact rollup from its sources (idempotent)."""

import time

from django.core.management.base import BaseCommand

from impact.services import impact_rebuild


class Command(BaseCommand):
    help = "Rebuild every impact rollup from attendance, hours, needs, matches, cases and reports."

    def handle(self, *args, **options):
        started = time.perf_counter()
        impact_rebuild()
        self.stdout.write(f"impact rollups rebuilt in {time.perf_counter() - started:.1f} s")

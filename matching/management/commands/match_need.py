"""Re-run matching for needs now: `manage.py match_need 12 13`."""

from django.core.management.base import BaseCommand

from matching.services import match_propose_for_need


class Command(BaseCommand):
    help = "Run matching for the given needs now (idempotent: proposes only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("need_ids", nargs="+", type=int)

    def handle(self, *args, need_ids, **options):
        for need_id in need_ids:
            made = match_propose_for_need(need_id=need_id)
            self.stdout.write(f"need {need_id}: {len(made)} new proposals")

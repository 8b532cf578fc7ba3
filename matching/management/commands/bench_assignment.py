"""`make bench-assign`: greedy need-by-need matching against the global assignment. See matching/bench_assignment.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from matching import bench_assignment


class Command(BaseCommand):
    help = "Simulate a week of one region and compare greedy matching with the global assignment."

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=20_000)
        parser.add_argument("--needs", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2027)
        parser.add_argument("--accept", type=float, default=0.35, help="probability a volunteer says yes")
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "bench" / "assignment.json"))

    def handle(self, *args, volunteers, needs, seed, accept, out, **options):
        result = bench_assignment.run(
            volunteers=volunteers,
            needs=needs,
            seed=seed,
            accept=accept,
            cap=settings.MATCHING_MAX_OVERLAPPING_PROPOSALS,
            per_place=settings.MATCHING_PROPOSALS_PER_PLACE,
        )
        bench_assignment.write(result, Path(out))
        rows = [
            ("places filled", result["greedy_filled"], result["global_filled"]),
            ("urgent places filled", result["greedy_urgent_filled"], result["global_urgent_filled"]),
            ("places filled, greedy with the cap", result["greedy_capped_filled"], ""),
            ("urgent places filled, greedy with the cap", result["greedy_capped_urgent_filled"], ""),
            ("proposals", result["greedy_proposals"], result["global_proposals"]),
            (
                "most overlapping proposals for one volunteer",
                result["greedy_max_overlapping_proposals"],
                result["max_overlapping_proposals"],
            ),
            (
                "volunteers proposed for overlapping needs",
                result["greedy_volunteers_over_one"],
                result["global_volunteers_over_one"],
            ),
            ("time to choose (ms)", result["greedy_ms"], result["solve_ms"]),
        ]
        self.stdout.write(f"{'':46} {'greedy':>8} {'global':>8}")
        for name, greedy, together in rows:
            self.stdout.write(f"{name:46} {greedy:>8} {together:>8}")
        self.stdout.write(f"written to {out}")

"""One assignment for a region: the sweep proposes volunteers for many open needs at once.

Need by need, the first need matched takes the best volunteers, one volunteer is
proposed for many needs at the same hour (and can accept only one), and an
urgent need matched later finds the leftovers. Here the sweep ranks each need's
pool as today (`candidates.best`, the hard rules included), then chooses all the
proposals of the batch together:

    maximise   sum of (ranking score + urgency bonus) over the chosen pairs
    such that  each need gets at most the proposals it still wants, and
               no volunteer is proposed for more than MATCHING_MAX_OVERLAPPING_PROPOSALS
               needs overlapping in time, their open proposals and invitations counted.

The overlap rule is exact: intervals that overlap pairwise share a moment (Helly),
so "at most cap at once" is one row per volunteer and per start of one of their
candidate windows. The model is a 0/1 program solved by HiGHS (`scipy.optimize.milp`);
its LP relaxation is nearly integral (interval rows are consecutive ones), so it
solves at the root. Flow solvers (OR-Tools' min-cost flow, NetworkX) express the
need quotas and a per-volunteer total but not "at most cap at any moment" along
chains of overlapping needs; the README gives the measured times of both.

A pair's weight is its score times the need's urgency level (1 normal, 2 urgent,
3 critical) plus URGENCY_BONUS per level above normal: an urgent need fills before
a normal one when they compete, with the best volunteers. The tie-break keeps the
ranking's order, so a batch of one need proposes exactly whom `candidates.best`
would (tested).
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from cases.models import Case, Need
from matching import candidates
from matching.models import Match
from matching.selectors import need_match_counts
from matching.services import (
    _backfill,
    _commit_without_waiting_for_disk,
    _create_proposals,
    _need_is_open,
    proposals_wanted,
)

logger = logging.getLogger(__name__)
URGENCY_BONUS = 100.0  # per level above normal: larger than any score difference
TIE_BREAK = 1e-4  # keeps each need's ranking order among equal scores
POOL_PER_PROPOSAL = 2  # candidates ranked per proposal wanted, for the solver to choose from
TIME_LIMIT_SECONDS = 10.0


@dataclass
class Problem:
    """The batch as arrays. Needs: start, end (any comparable numbers), wanted.
    Edges (one per candidate pair): need index, volunteer id, weight.
    Busy: the volunteers' open proposals outside the batch, as (volunteer, start, end)."""

    starts: np.ndarray
    ends: np.ndarray
    wanted: np.ndarray
    edge_need: np.ndarray
    edge_volunteer: np.ndarray
    edge_weight: np.ndarray
    busy: list[tuple[int, float, float]]
    cap: int


def _overlap_rows(problem: Problem) -> tuple[list[int], list[int], list[float]]:
    """Rows "at most cap - busy at this moment" per volunteer and per start of one
    of their windows; a volunteer with a single candidate and nothing busy needs none."""
    busy_by: dict[int, list[tuple[float, float]]] = {}
    for volunteer, start, end in problem.busy:
        busy_by.setdefault(volunteer, []).append((start, end))
    order = np.argsort(problem.edge_volunteer, kind="stable")
    volunteers = problem.edge_volunteer[order]
    cuts = np.flatnonzero(np.diff(volunteers)) + 1
    rows, cols, bounds = [], [], []
    for group in np.split(order, cuts):
        volunteer = int(problem.edge_volunteer[group[0]])
        held = busy_by.get(volunteer, ())
        if len(group) == 1 and not held:
            continue
        starts = problem.starts[problem.edge_need[group]]
        ends = problem.ends[problem.edge_need[group]]
        moments = set(starts.tolist()) | {start for start, _end in held}
        seen = set()
        for moment in sorted(moments):
            covering = group[(starts <= moment) & (ends > moment)]
            taken = sum(1 for start, end in held if start <= moment < end)
            key = tuple(covering.tolist())
            if not key or (len(key) + taken <= problem.cap) or key in seen:
                continue
            seen.add(key)
            row = len(bounds)
            rows.extend([row] * len(key))
            cols.extend(key)
            bounds.append(float(max(0, problem.cap - taken)))
    return rows, cols, bounds


def solve(problem: Problem) -> np.ndarray:
    """The chosen edges (a boolean mask over them)."""
    count = len(problem.edge_need)
    if count == 0:
        return np.zeros(0, dtype=bool)
    needs = len(problem.wanted)
    need_rows = sparse.csr_matrix((np.ones(count), (problem.edge_need, np.arange(count))), shape=(needs, count))
    rows, cols, bounds = _overlap_rows(problem)
    overlap = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bounds), count))
    matrix = sparse.vstack([need_rows, overlap]).tocsr()
    upper = np.concatenate([problem.wanted.astype(float), np.asarray(bounds, dtype=float)])
    result = milp(
        c=-problem.edge_weight,
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(count),
        bounds=Bounds(0, 1),
        options={"time_limit": TIME_LIMIT_SECONDS, "disp": False},
    )
    if result.x is None:  # no feasible point within the time: propose nothing rather than break a rule
        logger.warning("assignment found no solution: %s", result.message)
        return np.zeros(count, dtype=bool)
    return result.x > 0.5


def weights(scores: np.ndarray, urgency: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The score counted once per urgency level (so the best volunteers go to the most
    urgent need), plus URGENCY_BONUS per level above normal (so an urgent need fills
    before a normal one), minus a tie-break by rank in the need's own list."""
    return (scores - TIE_BREAK * rank) * urgency + URGENCY_BONUS * (urgency - 1)


def _epoch(moment: dt.datetime) -> float:
    return moment.timestamp()


def match_region(*, need_ids: list[int], now: dt.datetime | None = None) -> list[Match]:
    """Propose volunteers for a batch of needs together (see the module), then
    clear their matching flags. Locks the needs with SKIP LOCKED in id order (a
    need being matched by another worker is left to it) and, like
    `match_propose_for_need`, re-invites waitlisted volunteers when places opened
    and records one digest per need. Idempotent: a rerun finds the quotas filled.
    Returns the new proposals."""
    now = now or timezone.now()
    cap = settings.MATCHING_MAX_OVERLAPPING_PROPOSALS
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        needs = list(
            Need.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__charity", "region", "activity_type")
            .filter(pk__in=need_ids)
            .order_by("pk")
        )
        pools, flags = [], []
        for need in needs:
            if _need_is_open(need, now):
                counts = need_match_counts(need.pk)
                if counts["waitlisted"] and need.volunteers_confirmed < need.volunteers_needed:
                    _backfill(need, now=now, flag=False)
                wanted = proposals_wanted(need) - counts["open"]
                if wanted > 0:
                    ranked = candidates.best(need, limit=wanted * POOL_PER_PROPOSAL, now=now)
                    pools.append((need, wanted, ranked, counts["proposed"]))
            elif need.case.status == Case.Status.DRAFT and need.starts_at > now:
                continue  # keeps its flag until published
            if need.matching_requested_at is not None:
                flags.append((need.pk, need.matching_requested_at))
        created = _propose_together(pools, cap=cap, now=now)
        for pk, flag in flags:
            Need.objects.filter(pk=pk, matching_requested_at=flag).update(matching_requested_at=None)
    return created


def _propose_together(pools, *, cap: int, now: dt.datetime) -> list[Match]:
    edges = [(n, c, rank) for n, (_need, _w, ranked, _p) in enumerate(pools) for rank, c in enumerate(ranked)]
    if not edges:
        return []
    volunteer_ids = {c.volunteer_id for _n, c, _r in edges}
    batch = {need.pk for need, *_rest in pools}
    first = min(need.starts_at for need, *_rest in pools)
    last = max(need.ends_at for need, *_rest in pools)
    busy = [
        (volunteer, _epoch(start), _epoch(end))
        for volunteer, start, end in Match.objects.filter(
            volunteer_id__in=volunteer_ids,
            status__in=Match.OPEN_STATUSES,
            starts_at__lt=last,
            ends_at__gt=first,
        )
        .exclude(need_id__in=batch)
        .values_list("volunteer_id", "starts_at", "ends_at")
    ]
    urgency = np.array([pools[n][0].case.urgency for n, _c, _r in edges], dtype=float)
    problem = Problem(
        starts=np.array([_epoch(need.starts_at) for need, *_rest in pools]),
        ends=np.array([_epoch(need.ends_at) for need, *_rest in pools]),
        wanted=np.array([wanted for _need, wanted, _r, _p in pools]),
        edge_need=np.array([n for n, _c, _r in edges]),
        edge_volunteer=np.array([c.volunteer_id for _n, c, _r in edges]),
        edge_weight=weights(
            np.array([c.score for _n, c, _r in edges]), urgency, np.array([r for _n, _c, r in edges], dtype=float)
        ),
        busy=busy,
        cap=cap,
    )
    started = time.perf_counter()
    chosen = solve(problem)
    logger.info(
        "assignment: %s needs, %s pairs, %.0f ms", len(pools), len(edges), (time.perf_counter() - started) * 1e3
    )
    created = []
    for n, (need, _wanted, ranked, proposed) in enumerate(pools):
        mine = [c for (m, c, _r), keep in zip(edges, chosen, strict=True) if m == n and keep]
        mine.sort(key=lambda c: ranked.index(c))
        created += _create_proposals(need, mine, now=now, waiting=proposed + len(mine))
    return created

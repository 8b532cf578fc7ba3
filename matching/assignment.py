"""One assignment for a region: the sweep proposes volunteers for many open needs at once.

Need by need, the first need matched takes the best volunteers, one volunteer is
proposed for many needs at the same hour (and can accept only one), and an
urgent need matched later finds the leftovers. Here the sweep ranks each need's
pool as today (`candidates.best`, the hard rules included), then chooses all the
proposals of the batch together:

    maximise   sum of the pairs' weights (ranking score and urgency) over the chosen pairs
    such that  each need gets at most the proposals it still wants, and
               no volunteer is proposed for more than MATCHING_MAX_OVERLAPPING_PROPOSALS
               needs overlapping in time, their open proposals and invitations counted.

The overlap rule is exact: intervals that overlap pairwise share a moment (Helly),
so "at most cap at once" is one row per volunteer and per start of one of their
candidate windows. No row joins two runs of overlapping needs, so each run is a
problem of its own. A run of up to EXACT_PAIRS pairs is solved exactly as a
linear program (SciPy's HiGHS dual simplex): its rows are nearly totally unimodular
(each volunteer's are consecutive ones), so the answer comes out whole — the rare
fractional pair is settled by priority. A larger run (a region's busy Saturday
evening in `make bench-assign`) is solved by priority (`_by_priority`): measured
on this machine, the exact program took 2.5-21 s for a 2,000-need week where
priority takes well under a second and fills more places than the linear program
on its smaller pool (README, "Matching, second stage"). Flow solvers (OR-Tools'
min-cost flow, NetworkX) express the quotas and a per-volunteer total but not "at
most cap at any moment" along chains of overlapping needs, so they were not used.

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
from scipy.optimize import linprog

from cases.models import Case, Need
from matching import candidates
from matching.models import Match
from matching.selectors import need_match_counts
from matching.services import (
    _backfill,
    _commit_without_waiting_for_disk,
    _create_proposals,
    _need_is_open,
    clear_matching_flag,
    proposals_wanted,
)

logger = logging.getLogger(__name__)
URGENCY_BONUS = 100.0  # per level above normal: larger than any score difference
TIE_BREAK = 1e-4  # keeps each need's ranking order among equal scores
POOL_PER_PROPOSAL = 8  # candidates ranked per proposal wanted, for the solver to choose from
EXACT_PAIRS = 3_000  # beyond this, a run of overlapping needs is solved by priority alone
DEGREE_PENALTY = 5.0  # score points per other need a volunteer could serve (priority order only)


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


def _clusters(problem: Problem) -> list[np.ndarray]:
    """Needs grouped into runs of overlapping windows. No row joins two runs (an
    overlap row holds needs sharing a moment, a quota row one need), so each run
    is solved alone: a week splits at least into its days."""
    order = np.argsort(problem.starts, kind="stable")
    groups, current, reach = [], [], -np.inf
    for n in order.tolist():
        if current and problem.starts[n] >= reach:
            groups.append(np.array(current))
            current, reach = [], -np.inf
        current.append(n)
        reach = max(reach, problem.ends[n])
    if current:
        groups.append(np.array(current))
    return groups


def _solve_part(problem: Problem, edges: np.ndarray) -> np.ndarray:
    part = Problem(
        starts=problem.starts,
        ends=problem.ends,
        wanted=problem.wanted,
        edge_need=problem.edge_need[edges],
        edge_volunteer=problem.edge_volunteer[edges],
        edge_weight=problem.edge_weight[edges],
        busy=problem.busy,
        cap=problem.cap,
    )
    count = len(edges)
    needs, need_index = np.unique(part.edge_need, return_inverse=True)
    need_rows = sparse.csr_matrix((np.ones(count), (need_index, np.arange(count))), shape=(len(needs), count))
    rows, cols, bounds = _overlap_rows(part)
    overlap = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bounds), count))
    matrix = sparse.vstack([need_rows, overlap]).tocsr()
    upper = np.concatenate([problem.wanted[needs].astype(float), np.asarray(bounds, dtype=float)])
    relaxed = linprog(-part.edge_weight, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs-ds")
    if relaxed.x is None:  # nothing found: propose by priority rather than not at all
        logger.warning("assignment: linear program failed (%s); by priority", relaxed.message)
        return _by_priority(problem, edges)
    whole = relaxed.x > 1 - 1e-6
    if not np.all(whole | (relaxed.x < 1e-6)):  # rare: fill the fractional rest by priority
        return _by_priority(problem, edges, fixed=whole)
    return whole


def _fits(held: list, start: float, end: float, cap: int) -> bool:
    """Would one more window keep every moment of it at most `cap` deep?"""
    moments = [start] + [s for s, _e in held if start < s < end]
    return all(sum(1 for s, e in held if s <= moment < e) < cap for moment in moments)


def _by_priority(problem: Problem, edges: np.ndarray, fixed: np.ndarray | None = None) -> np.ndarray:
    """Pairs in weight order, each taken while its need wants more and its volunteer
    stays within the cap: urgent needs and the best pairs first, the rules exact.
    A volunteer who could serve many needs waits a little (DEGREE_PENALTY per
    candidate need), so the scarce ones are placed first and the versatile fill the
    gaps. `fixed` pairs (of `edges`) are taken first, as they are."""
    taken = np.zeros(len(problem.wanted), dtype=int)
    held: dict[int, list[tuple[float, float]]] = {}
    for volunteer, start, end in problem.busy:
        held.setdefault(volunteer, []).append((start, end))
    chosen = np.zeros(len(edges), dtype=bool)
    volunteers = problem.edge_volunteer[edges]
    _ids, index, degree = np.unique(volunteers, return_inverse=True, return_counts=True)
    order = np.argsort(-(problem.edge_weight[edges] - DEGREE_PENALTY * degree[index]), kind="stable")
    if fixed is not None:
        order = np.concatenate([np.flatnonzero(fixed), order[~fixed[order]]])
    for position in order.tolist():
        edge = edges[position]
        need = problem.edge_need[edge]
        if taken[need] >= problem.wanted[need]:
            continue
        volunteer = int(problem.edge_volunteer[edge])
        mine = held.setdefault(volunteer, [])
        start, end = problem.starts[need], problem.ends[need]
        if mine and not _fits(mine, start, end, problem.cap):
            continue
        if not mine and problem.cap < 1:
            continue
        mine.append((start, end))
        taken[need] += 1
        chosen[position] = True
    return chosen


def solve(problem: Problem) -> np.ndarray:
    """The chosen edges (a boolean mask over them). Each run of overlapping needs
    is solved alone, as a linear program (HiGHS dual simplex) whose answer for these
    rows is whole in practice; the rare fractional pairs are settled by priority
    (`_by_priority`, which never breaks a quota or the cap). A run of more than
    EXACT_PAIRS pairs is solved by priority alone."""
    count = len(problem.edge_need)
    chosen = np.zeros(count, dtype=bool)
    if count == 0:
        return chosen
    run_of = np.empty(len(problem.wanted), dtype=int)
    for index, needs in enumerate(_clusters(problem)):
        run_of[needs] = index
    edge_run = run_of[problem.edge_need]
    order = np.argsort(edge_run, kind="stable")
    cuts = np.flatnonzero(np.diff(edge_run[order])) + 1
    for edges in np.split(order, cuts):
        exact = len(edges) <= EXACT_PAIRS
        chosen[edges] = _solve_part(problem, edges) if exact else _by_priority(problem, edges)
    return chosen


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
            Need.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
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
            clear_matching_flag(pk, flag)
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

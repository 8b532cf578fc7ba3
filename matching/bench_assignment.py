"""`make bench-assign`: a week of one region, matched need by need and as one assignment.

A simulation in memory (no database: the point is the choice of proposals,
not the queries, which `make bench` measures). Seeded, so every run draws the
same week:

- Volunteers (20,000) keep 1-3 weekly slots, weighted to evenings and the
  weekend as in `matching.bench`, want 1-3 of ten activities (the first ones
  most) and have some of six skills; each has a distance and how often they were
  asked lately. Needs (2,000) come at the same popular times, last 2-3 hours,
  ask for 1-8 volunteers, and are normal (70 %), urgent (20 %) or critical (10 %).
- The score is `matching.candidates`' (skills 35, fit 20, distance 15, fairness
  20 by times asked, reliability neutral). Each need wants
  MATCHING_PROPOSALS_PER_PLACE proposals per place.
- Greedy is single-need matching as it was before the cap, in the order needs
  arrive: each takes its best candidates, fairness updated as people are
  proposed. Greedy capped is single-need matching today (it passes over whoever
  is asked for `cap` overlapping needs already). Global is
  `matching.assignment.solve` over every need's pool at once, with the cap.
- Then the charities invite everyone proposed, in the order needs arrived, and
  each volunteer says yes with a fixed probability (one seeded draw per
  volunteer and need, the same in both runs) unless they already committed to
  something at that time, or the need is full: one commitment per time.
"""

import json
import time
from pathlib import Path

import numpy as np

from matching import assignment

WEEKDAY_WEIGHTS = np.array([4, 4, 4, 6, 8, 9, 4], dtype=float)  # Monday..Sunday
START_HOURS = np.array([8, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21])
START_WEIGHTS = np.array([3, 6, 5, 2, 3, 5, 6, 8, 6, 4, 2], dtype=float)
ACTIVITIES, SKILLS = 10, 6
ACTIVITY_WEIGHTS = np.array([10, 8, 6, 5, 4, 3, 2, 2, 1, 1], dtype=float)
PLACES = np.array([1, 2, 3, 4, 5, 8])
PLACE_WEIGHTS = np.array([25, 25, 20, 15, 10, 5], dtype=float)
URGENCY_SHARES = np.array([0.7, 0.2, 0.1])


def _p(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def draw_week(*, volunteers: int, needs: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    per = rng.integers(1, 4, volunteers)
    owner = np.repeat(np.arange(volunteers), per)
    slots = len(owner)
    day = rng.choice(7, slots, p=_p(WEEKDAY_WEIGHTS))
    start = rng.choice(START_HOURS, slots, p=_p(START_WEIGHTS)) * 60
    end = np.minimum(start + rng.integers(3, 6, slots) * 60, 24 * 60)
    interests = np.zeros((volunteers, ACTIVITIES), dtype=bool)
    for v, count in enumerate(rng.integers(1, 4, volunteers)):
        interests[v, rng.choice(ACTIVITIES, count, replace=False, p=_p(ACTIVITY_WEIGHTS))] = True
    need_day = rng.choice(7, needs, p=_p(WEEKDAY_WEIGHTS))
    need_start = rng.choice(START_HOURS, needs, p=_p(START_WEIGHTS)) * 60 + rng.choice([0, 30], needs)
    need_end = np.minimum(need_start + rng.integers(2, 4, needs) * 60, 24 * 60)
    return {
        "rng": rng,
        "volunteers": volunteers,
        "slot_owner": owner,
        "slot_day": day,
        "slot_start": start,
        "slot_end": end,
        "interests": interests,
        "skills": rng.random((volunteers, SKILLS)) < 0.2,
        "km": rng.uniform(0, 40, volunteers),
        "asked": rng.poisson(1.0, volunteers),
        "need_day": need_day,
        "need_start": need_start,
        "need_end": need_end,
        "need_activity": rng.choice(ACTIVITIES, needs, p=_p(ACTIVITY_WEIGHTS)),
        "need_skills": rng.random((needs, SKILLS)) < 0.15,
        "places": rng.choice(PLACES, needs, p=_p(PLACE_WEIGHTS)),
        "urgency": rng.choice(3, needs, p=URGENCY_SHARES) + 1,
        "arrival": rng.permutation(needs),
    }


def candidates_of(week: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Volunteers free for need `n` who want its activity, and the static part of their score."""
    day, start, end = week["need_day"][n], week["need_start"][n], week["need_end"][n]
    covers = (week["slot_day"] == day) & (week["slot_start"] <= start) & (week["slot_end"] >= end)
    owners = week["slot_owner"][covers]
    lengths = (week["slot_end"] - week["slot_start"])[covers]
    keep = week["interests"][owners, week["need_activity"][n]]
    owners, lengths = owners[keep], lengths[keep]
    order = np.lexsort((lengths, owners))  # the tightest slot of each volunteer first
    owners, lengths = owners[order], lengths[order]
    first = np.ones(len(owners), dtype=bool)
    first[1:] = owners[1:] != owners[:-1]
    owners, lengths = owners[first], lengths[first]
    wanted_skills = week["need_skills"][n]
    if wanted_skills.any():
        coverage = (week["skills"][owners][:, wanted_skills]).mean(axis=1)
    else:
        coverage = np.full(len(owners), 0.5)
    distance = np.clip(1 - week["km"][owners] / 30.0, 0, 1)
    static = 35 * coverage + 20 * (end - start) / lengths + 15 * distance + 10 * 0.5
    return owners, static


def _fairness(asked: np.ndarray) -> np.ndarray:
    return 20.0 / (1 + asked)


def greedy(week: dict, pools: list, wanted: np.ndarray, *, cap: int | None = None) -> list[np.ndarray]:
    """Need by need in arrival order; with `cap`, as single-need matching does
    now, passing over whoever is proposed for `cap` needs overlapping this one."""
    asked = week["asked"].astype(float).copy()
    starts, ends = _moments(week)
    proposed: dict[int, list[int]] = {}
    chosen = [np.zeros(0, dtype=int)] * len(wanted)
    for n in week["arrival"]:
        owners, static = pools[n]
        score = static + _fairness(asked[owners])
        ranked = owners[np.argsort(-score, kind="stable")]
        if cap is None:
            best = ranked[: wanted[n]]
        else:
            picked = []
            for volunteer in ranked.tolist():
                busy = sum(starts[m] < ends[n] and ends[m] > starts[n] for m in proposed.get(volunteer, ()))
                if busy < cap:
                    picked.append(volunteer)
                    if len(picked) == wanted[n]:
                        break
            best = np.array(picked, dtype=int)
        for volunteer in best.tolist():
            proposed.setdefault(volunteer, []).append(int(n))
        asked[best] += 1
        chosen[n] = best
    return chosen


def _moments(week: dict) -> tuple[np.ndarray, np.ndarray]:
    """Each need's start and end in minutes from the start of the week."""
    day = week["need_day"] * 1440
    return day + week["need_start"], day + week["need_end"]


def global_assignment(
    week: dict, pools: list, wanted: np.ndarray, *, cap: int, pool: int = assignment.POOL_PER_PROPOSAL
) -> tuple[list[np.ndarray], float]:
    edge_need, edge_volunteer, edge_score, edge_rank = [], [], [], []
    for n, (owners, static) in enumerate(pools):
        score = static + _fairness(week["asked"][owners])
        order = np.argsort(-score, kind="stable")[: wanted[n] * pool]
        edge_need.append(np.full(len(order), n))
        edge_volunteer.append(owners[order])
        edge_score.append(score[order])
        edge_rank.append(np.arange(len(order), dtype=float))
    edge_need = np.concatenate(edge_need)
    week_minutes = week["need_day"] * 1440
    urgency = week["urgency"][edge_need].astype(float)
    problem = assignment.Problem(
        starts=(week_minutes + week["need_start"]).astype(float),
        ends=(week_minutes + week["need_end"]).astype(float),
        wanted=wanted,
        edge_need=edge_need,
        edge_volunteer=np.concatenate(edge_volunteer),
        edge_weight=assignment.weights(np.concatenate(edge_score), urgency, np.concatenate(edge_rank)),
        busy=[],
        cap=cap,
    )
    started = time.perf_counter()
    mask = assignment.solve(problem)
    took = (time.perf_counter() - started) * 1000
    chosen = [problem.edge_volunteer[mask & (edge_need == n)] for n in range(len(wanted))]
    return chosen, took


def _says_yes(volunteer: int, need: int, *, seed: int, accept: float) -> bool:
    """One fixed draw per volunteer and need (a SplitMix64 hash), the same in both runs."""
    x = (seed * 0x9E3779B97F4A7C15 + volunteer * 0xBF58476D1CE4E5B9 + need * 0x94D049BB133111EB) % 2**64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) % 2**64
    return (x ^ (x >> 31)) / 2**64 < accept


def respond(week: dict, chosen: list[np.ndarray], *, seed: int, accept: float) -> dict:
    starts, ends = _moments(week)
    committed: dict[int, list[tuple[int, int]]] = {}
    filled = np.zeros(len(chosen), dtype=int)
    for n in week["arrival"]:
        for volunteer in chosen[n].tolist():
            if filled[n] >= week["places"][n] or not _says_yes(volunteer, int(n), seed=seed, accept=accept):
                continue
            mine = committed.setdefault(volunteer, [])
            if any(s < ends[n] and e > starts[n] for s, e in mine):
                continue
            mine.append((starts[n], ends[n]))
            filled[n] += 1
    urgent = week["urgency"] >= 2
    return {"filled": int(filled.sum()), "urgent_filled": int(filled[urgent].sum())}


def max_overlapping(week: dict, chosen: list[np.ndarray]) -> tuple[int, int]:
    """The most needs one volunteer is proposed for at one moment, and how many volunteers exceed one."""
    starts, ends = _moments(week)
    events: dict[int, list[tuple[int, int]]] = {}
    for n, people in enumerate(chosen):
        for volunteer in people.tolist():
            events.setdefault(volunteer, []).extend([(int(starts[n]), 1), (int(ends[n]), -1)])
    worst, over = 0, 0
    for moments in events.values():
        level = peak = 0
        for _moment, step in sorted(moments):  # an end sorts before a start at the same minute
            level += step
            peak = max(peak, level)
        worst = max(worst, peak)
        over += peak > 1
    return worst, over


def run(
    *, volunteers: int = 20_000, needs: int = 2_000, seed: int = 2027, accept: float = 0.35, cap: int = 1, per_place=3
) -> dict:
    week = draw_week(volunteers=volunteers, needs=needs, seed=seed)
    pools = [candidates_of(week, n) for n in range(needs)]
    wanted = np.ceil(week["places"] * per_place).astype(int)
    started = time.perf_counter()
    by_greedy = greedy(week, pools, wanted)
    greedy_ms = (time.perf_counter() - started) * 1000
    by_global, solve_ms = global_assignment(week, pools, wanted, cap=cap)
    by_capped = greedy(week, pools, wanted, cap=cap)
    capped_result = respond(week, by_capped, seed=seed, accept=accept)
    greedy_result = respond(week, by_greedy, seed=seed, accept=accept)
    global_result = respond(week, by_global, seed=seed, accept=accept)
    greedy_worst, greedy_over = max_overlapping(week, by_greedy)
    global_worst, global_over = max_overlapping(week, by_global)
    urgent = week["urgency"] >= 2
    return {
        "volunteers": volunteers,
        "needs": needs,
        "places": int(week["places"].sum()),
        "urgent_places": int(week["places"][urgent].sum()),
        "accept_probability": accept,
        "cap": cap,
        "seed": seed,
        "candidates_per_need_median": float(np.median([len(p[0]) for p in pools])),
        "greedy_filled": greedy_result["filled"],
        "global_filled": global_result["filled"],
        "greedy_urgent_filled": greedy_result["urgent_filled"],
        "global_urgent_filled": global_result["urgent_filled"],
        "greedy_capped_filled": capped_result["filled"],
        "greedy_capped_urgent_filled": capped_result["urgent_filled"],
        "greedy_capped_max_overlapping_proposals": max_overlapping(week, by_capped)[0],
        "greedy_proposals": int(sum(len(c) for c in by_greedy)),
        "global_proposals": int(sum(len(c) for c in by_global)),
        "greedy_max_overlapping_proposals": greedy_worst,
        "greedy_volunteers_over_one": greedy_over,
        "max_overlapping_proposals": global_worst,
        "global_volunteers_over_one": global_over,
        "greedy_ms": round(greedy_ms, 1),
        "solve_ms": round(solve_ms, 1),
    }


def write(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

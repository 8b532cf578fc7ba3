"""The sweep's global assignment: same answer as one need alone, the overlap cap, urgency first."""

import datetime as dt
import itertools

import numpy as np
import pytest

from cases.models import Case, Need, Urgency
from matching import assignment, candidates, services
from matching.models import Match
from matching.tests.factories import SAT, SUN, local, make_need, make_volunteer, weekly

pytestmark = pytest.mark.django_db


def _answer(need):
    return sorted(need.matches.values_list("volunteer_id", "score", "reasons"), key=lambda row: (-row[1], row[0]))


@pytest.mark.parametrize("exact_pairs", [3_000, 0], ids=["linear-program", "priority"])
def test_a_region_with_one_need_gets_the_same_proposals_either_way(charity, saturday_people, exact_pairs, monkeypatch):
    monkeypatch.setattr(assignment, "EXACT_PAIRS", exact_pairs)
    need = make_need(charity=charity, volunteers_needed=1, skills=["first_aid"])
    alone = services.match_propose_for_need(need_id=need.pk)
    assert len(alone) == 3
    expected = _answer(need)
    Match.objects.all().delete()
    Need.objects.filter(pk=need.pk).update(matching_requested_at=dt.datetime.now(dt.UTC))
    together = assignment.match_region(need_ids=[need.pk])
    assert [m.volunteer_id for m in together] == [m.volunteer_id for m in alone]
    assert _answer(need) == expected
    need.refresh_from_db()
    assert need.matching_requested_at is None


def _overlaps(volunteer_id):
    windows = sorted(Match.objects.filter(volunteer_id=volunteer_id).values_list("starts_at", "ends_at"))
    return any(a_end > b_start for (_a, a_end), (b_start, _b) in itertools.pairwise(windows))


def test_no_volunteer_is_proposed_for_two_overlapping_needs(charity, saturday_people):
    first = make_need(charity=charity, volunteers_needed=1)
    second = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-09", "11:00"))
    made = assignment.match_region(need_ids=[first.pk, second.pk])
    assert len(made) == 5  # six wanted, five people
    assert not any(_overlaps(person.pk) for person in saturday_people)


def test_the_cap_is_a_setting(charity, saturday_people, settings):
    settings.MATCHING_MAX_OVERLAPPING_PROPOSALS = 2
    needs = [make_need(charity=charity, volunteers_needed=2) for _ in range(2)]
    assert len(assignment.match_region(need_ids=[n.pk for n in needs])) == 10


def test_open_proposals_outside_the_batch_count_towards_the_cap(charity, saturday_people):
    elsewhere = make_need(charity=charity, volunteers_needed=1)
    services.match_propose_for_need(need_id=elsewhere.pk)  # three people now hold a proposal at 10:00
    busy = set(elsewhere.matches.values_list("volunteer_id", flat=True))
    need = make_need(charity=charity, volunteers_needed=1)
    made = assignment.match_region(need_ids=[need.pk])
    assert {m.volunteer_id for m in made} == {p.pk for p in saturday_people} - busy


def test_needs_at_different_times_may_share_a_volunteer(charity):
    person = make_volunteer("both", slots=[weekly(SAT, "09:00", "13:00"), weekly(SUN, "09:00", "13:00")])
    saturday = make_need(charity=charity, volunteers_needed=1)
    sunday = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-10", "10:00"))
    assignment.match_region(need_ids=[saturday.pk, sunday.pk])
    assert Match.objects.filter(volunteer=person).count() == 2


def test_an_urgent_need_chooses_first(charity, saturday_people):
    normal = make_need(charity=charity, volunteers_needed=1)
    urgent = make_need(charity=charity, volunteers_needed=1)
    Case.objects.filter(pk=urgent.case_id).update(urgency=Urgency.CRITICAL)
    best = [c.volunteer_id for c in candidates.best(normal, limit=5)]
    assignment.match_region(need_ids=[normal.pk, urgent.pk])
    assert set(urgent.matches.values_list("volunteer_id", flat=True)) == set(best[:3])
    assert normal.matches.count() == 2


def test_a_rerun_adds_nothing_and_a_locked_need_is_left_alone(charity, saturday_people):
    need = make_need(charity=charity, volunteers_needed=1)
    assert len(assignment.match_region(need_ids=[need.pk])) == 3
    assert assignment.match_region(need_ids=[need.pk]) == []


@pytest.mark.parametrize("exact_pairs", [3_000, 0], ids=["linear-program", "priority"])
def test_the_solver_never_breaks_the_cap_or_a_quota(exact_pairs, monkeypatch):
    monkeypatch.setattr(assignment, "EXACT_PAIRS", exact_pairs)
    rng = np.random.default_rng(7)
    needs = 40
    starts = rng.integers(0, 100, needs).astype(float)
    ends = starts + rng.integers(5, 30, needs)
    wanted = rng.integers(1, 6, needs)
    edges = [(n, v) for n in range(needs) for v in rng.choice(60, size=12, replace=False)]
    problem = assignment.Problem(
        starts=starts,
        ends=ends,
        wanted=wanted,
        edge_need=np.array([n for n, _v in edges]),
        edge_volunteer=np.array([v for _n, v in edges]),
        edge_weight=rng.random(len(edges)) * 100,
        busy=[(0, 0.0, 1000.0), (1, 50.0, 60.0)],
        cap=1,
    )
    chosen = assignment.solve(problem)
    assert chosen.sum() > 0
    for n in range(needs):
        assert chosen[problem.edge_need == n].sum() <= wanted[n]
    assert not chosen[problem.edge_volunteer == 0].any()  # busy the whole time
    for volunteer in range(60):
        picked = [
            (starts[n], ends[n])
            for n, keep in zip(
                problem.edge_need[problem.edge_volunteer == volunteer],
                chosen[problem.edge_volunteer == volunteer],
                strict=True,
            )
            if keep
        ]
        if volunteer == 1:
            picked.append((50.0, 60.0))
        for moment, _end in picked:
            assert sum(1 for s, e in picked if s <= moment < e) <= 1


def test_the_bench_shows_the_gain_at_a_small_size():
    from matching import bench_assignment

    result = bench_assignment.run(volunteers=3_000, needs=300, seed=11)
    assert result["global_filled"] > result["greedy_filled"]
    assert result["global_urgent_filled"] >= result["greedy_urgent_filled"]
    assert result["max_overlapping_proposals"] <= 1 < result["greedy_max_overlapping_proposals"]

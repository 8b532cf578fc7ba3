"""The candidate rules, one row per rule, against the real query (SQLite here,
PostgreSQL when DATABASE_URL says so).

2027-01-09 is a Saturday (Egypt UTC+2); 2027-01-14 a Thursday. Egypt moves to
UTC+3 at 00:00 on Friday 2027-04-30, so Saturday 2027-05-01 18:00 in Cairo is
15:00 UTC — a fixed +2 offset would call it 17:00.
"""

import datetime as dt

import pytest

from matching import candidates
from matching.models import Match
from matching.tests.factories import FRI, SAT, THU, dated, local, make_commitment, make_need, make_volunteer, weekly

pytestmark = pytest.mark.django_db

SATURDAY = weekly(SAT, "09:00", "13:00")  # the default need is Saturday 10:00-12:00


def _overlapping(volunteer):
    make_commitment(volunteer, local("2027-01-09", "11:00"), local("2027-01-09", "14:00"))


def _adjacent(volunteer):
    make_commitment(volunteer, local("2027-01-09", "12:30"), local("2027-01-09", "15:00"))


def _three_hours_that_week(volunteer):
    make_commitment(volunteer, local("2027-01-13", "18:00"), local("2027-01-13", "21:00"))


def _three_hours_the_week_before(volunteer):
    make_commitment(volunteer, local("2027-01-07", "18:00"), local("2027-01-07", "21:00"))


def _declined_before(volunteer, need):
    Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=Match.Status.DECLINED_BY_CHARITY,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        minutes=120,
        proposed_at=need.starts_at - dt.timedelta(days=3),
    )


MIDNIGHT = {"starts": local("2027-01-14", "23:00"), "ends": local("2027-01-15", "01:00")}
SUMMER = {"starts": local("2027-05-01", "18:00"), "ends": local("2027-05-01", "20:00")}

# (name, volunteer, need, setup, expected)
RULES = [
    ("free and interested", {"slots": [SATURDAY]}, {}, None, True),
    ("another region", {"region": "EG-GZ", "slots": [SATURDAY]}, {}, None, False),
    ("another activity", {"activities": ["tutoring"], "slots": [SATURDAY]}, {}, None, False),
    ("free time ends too early", {"slots": [weekly(SAT, "09:00", "11:30")]}, {}, None, False),
    ("free on another day", {"slots": [weekly(FRI, "09:00", "13:00")]}, {}, None, False),
    ("a dated slot on that day", {"slots": [dated("2027-01-09", "10:00", "12:00")]}, {}, None, True),
    ("women only, a woman", {"gender": "female", "slots": [SATURDAY]}, {"gender": "female"}, None, True),
    ("women only, a man", {"gender": "male", "slots": [SATURDAY]}, {"gender": "female"}, None, False),
    ("women only, gender not given", {"slots": [SATURDAY]}, {"gender": "female"}, None, False),
    ("aged 30 or more, born 1990", {"birth_date": "1990-05-01", "slots": [SATURDAY]}, {"min_age": 30}, None, True),
    ("aged 30 or more, born 2000", {"birth_date": "2000-05-01", "slots": [SATURDAY]}, {"min_age": 30}, None, False),
    ("aged 30 or more, no birth date", {"slots": [SATURDAY]}, {"min_age": 30}, None, False),
    ("paused until after the need", {"paused_until": "2027-01-20", "slots": [SATURDAY]}, {}, None, False),
    ("paused until before the need", {"paused_until": "2027-01-05", "slots": [SATURDAY]}, {}, None, True),
    ("a commitment overlapping the window", {"slots": [SATURDAY]}, {}, _overlapping, False),
    ("a commitment within the hour after (soft)", {"slots": [SATURDAY]}, {}, _adjacent, True),
    ("weekly limit reached", {"max_hours_per_week": 4, "slots": [SATURDAY]}, {}, _three_hours_that_week, False),
    ("weekly limit not reached", {"max_hours_per_week": 5, "slots": [SATURDAY]}, {}, _three_hours_that_week, True),
    (
        "last week's hours do not count",
        {"max_hours_per_week": 4, "slots": [SATURDAY]},
        {},
        _three_hours_the_week_before,
        True,
    ),
    (
        "a window covered only by two slots joined across midnight",
        {"slots": [weekly(THU, "22:00", "24:00"), weekly(FRI, "00:00", "02:00")]},
        MIDNIGHT,
        None,
        True,
    ),
    ("only the Thursday half of a midnight window", {"slots": [weekly(THU, "22:00", "24:00")]}, MIDNIGHT, None, False),
    ("Egypt summer time: free 18:00-20:00 local", {"slots": [weekly(SAT, "18:00", "20:00")]}, SUMMER, None, True),
    (
        "Egypt summer time: a fixed +2 offset would say 17:00",
        {"slots": [weekly(SAT, "17:00", "19:00")]},
        SUMMER,
        None,
        False,
    ),
    ("declined for this need before", {"slots": [SATURDAY]}, {}, "declined", False),
]


@pytest.fixture(autouse=True)
def _before_the_dates(monkeypatch):
    """Dated slots may not be in the past: the volunteers' services see 2027-01-01."""
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("volunteers.services.timezone.now", lambda: now)


@pytest.mark.parametrize(
    ("volunteer", "need", "setup", "expected"), [row[1:] for row in RULES], ids=[r[0] for r in RULES]
)
def test_candidate_rule(volunteer, need, setup, expected):
    person = make_volunteer(**volunteer)
    target = make_need(**need)
    if setup == "declined":
        _declined_before(person, target)
    elif setup:
        setup(person)
    proposed = candidates.best(target, limit=50)  # straight from the covering index when it can
    assert (person.pk in {c.volunteer_id for c in proposed}) is expected
    listed = candidates.rank(target, candidates.find(target), limit=50)
    assert (person.pk in {c.volunteer_id for c in listed}) is expected


def test_a_near_volunteer_of_another_region_comes_in_with_a_radius():
    near = make_volunteer(region="EG-GZ", location={"lat": 30.02, "lon": 31.22}, slots=[SATURDAY])
    far = make_volunteer(region="EG-GZ", location={"lat": 29.5, "lon": 30.9}, slots=[SATURDAY])
    need = make_need(latitude=30.05, longitude=31.25, radius_km=10)
    found = {c.volunteer_id: c for c in candidates.rank(need, candidates.find(need), limit=10)}
    assert near.pk in found
    assert far.pk not in found
    assert {"code": "distance", "km": 4} in found[near.pk].reasons


def test_ranking_prefers_skills_then_the_tighter_fit():
    skilled = make_volunteer("skilled", skills=["first_aid"], slots=[weekly(SAT, "08:00", "20:00")])
    tight = make_volunteer("tight", slots=[weekly(SAT, "10:00", "12:00")])
    loose = make_volunteer("loose", slots=[weekly(SAT, "08:00", "20:00")])
    need = make_need(skills=["first_aid"])
    ranked = candidates.rank(need, candidates.find(need), limit=10)
    assert [c.volunteer_id for c in ranked] == [skilled.pk, tight.pk, loose.pk]
    assert ranked[0].score > ranked[1].score > ranked[2].score
    codes = [reason["code"] for reason in ranked[0].reasons]
    assert codes[:2] == ["free", "skill"]


def test_an_adjacent_commitment_lowers_the_score_but_keeps_the_volunteer():
    busy = make_volunteer("busy", slots=[SATURDAY])
    idle = make_volunteer("idle", slots=[SATURDAY])
    _adjacent(busy)
    need = make_need()
    ranked = candidates.rank(need, candidates.find(need), limit=10)
    assert [c.volunteer_id for c in ranked] == [idle.pk, busy.pk]
    assert {"code": "adjacent_commitment"} in ranked[1].reasons


def test_fairness_puts_those_asked_less_lately_first():
    asked = make_volunteer("asked", slots=[SATURDAY])
    fresh = make_volunteer("fresh", slots=[SATURDAY])
    for day in ("2027-01-04", "2027-01-05"):
        make_commitment(asked, local(day, "18:00"), local(day, "19:00"), status=Match.Status.DECLINED_BY_VOLUNTEER)
    need = make_need()
    ranked = candidates.rank(need, candidates.find(need), limit=10)
    assert [c.volunteer_id for c in ranked] == [fresh.pk, asked.pk]


def test_the_usual_need_is_ranked_in_one_query_whatever_the_number_of_candidates(django_assert_num_queries):
    for _ in range(6):
        make_volunteer(slots=[SATURDAY], skills=["first_aid"])
    need = make_need(skills=["first_aid", "driving"])
    need = type(need).objects.select_related("case", "region", "activity_type").get(pk=need.pk)
    with django_assert_num_queries(2):  # the need's skills, the ranking
        ranked = candidates.best(need, limit=10)
    assert len(ranked) == 6
    assert all(reason["code"] != "skill" or reason["slug"] == "first_aid" for c in ranked for reason in c.reasons)
    with django_assert_num_queries(1):
        found = candidates.find(need)
    assert all(free is not None for free in found.values())
    with django_assert_num_queries(2):
        assert len(candidates.rank(need, found, limit=10)) == 6


def test_both_ways_of_ranking_agree(monkeypatch):
    """The covering-index query and the list query rank the same people the same
    way, reasons included, whatever the pool size."""
    for n in range(14):
        slot = weekly(SAT, "09:00", "13:00" if n % 3 else "20:00")
        volunteer = make_volunteer(
            f"v{n}",
            skills=["first_aid"] if n % 2 else [],
            slots=[slot, dated("2027-01-09", "10:00", "12:00")] if n % 4 == 0 else [slot],
            gender="female" if n % 3 else "male",
            location={"lat": 30.0 + n / 100, "lon": 31.2} if n % 5 else None,
        )
        for day in range(n % 4):
            when = f"2027-01-0{day + 3}"
            make_commitment(volunteer, local(when, "18:00"), local(when, "19:00"), status=Match.Status.EXPIRED)
        if n % 5 == 0:
            _adjacent(volunteer)
        if n == 7:
            _overlapping(volunteer)
    for need in (make_need(skills=["first_aid"]), make_need(latitude=30.05, longitude=31.25, gender="female")):
        for pool in (1, 1000):
            monkeypatch.setattr(candidates, "POOL_PER_PROPOSAL", pool)
            from_index = [(c.volunteer_id, c.score, c.reasons) for c in candidates.best(need, limit=5)]
            from_list = [
                (c.volunteer_id, c.score, c.reasons) for c in candidates.rank(need, candidates.find(need), limit=5)
            ]
            assert from_index == from_list
            assert len(from_index) == 5


def test_the_pool_grows_when_its_best_are_all_busy(monkeypatch):
    """Only a pool gets the lookups of their matches; when every volunteer in it
    turns out to be busy, the pool grows until the answer is exact."""
    monkeypatch.setattr(candidates, "POOL_PER_PROPOSAL", 2)
    busy = [make_volunteer(f"busy{n}", skills=["first_aid"], slots=[SATURDAY]) for n in range(3)]
    for volunteer in busy:
        _overlapping(volunteer)
    free = make_volunteer("free", slots=[SATURDAY])
    need = make_need(skills=["first_aid"])
    assert [c.volunteer_id for c in candidates.best(need, limit=1)] == [free.pk]
    assert [c.volunteer_id for c in candidates.rank(need, candidates.find(need), limit=1)] == [free.pk]


def test_the_pool_gives_the_same_ranking_as_scoring_everyone(monkeypatch):
    """Asked lately, adjacent commitments and weekly limits move volunteers below
    their static score; the pooled answer still equals ranking all of them."""
    people = []
    for n in range(12):
        slot = weekly(SAT, "09:00", "13:00" if n % 3 else "20:00")
        volunteer = make_volunteer(f"v{n}", skills=["first_aid"] if n % 2 else [], slots=[slot])
        people.append(volunteer)
        for day in range(n % 4):
            when = f"2027-01-0{day + 3}"
            make_commitment(volunteer, local(when, "18:00"), local(when, "19:00"), status=Match.Status.EXPIRED)
        if n % 5 == 0:
            _adjacent(volunteer)
    need = make_need(skills=["first_aid"])
    found = candidates.find(need)
    monkeypatch.setattr(candidates, "POOL_PER_PROPOSAL", 1)
    pooled = [(c.volunteer_id, c.score) for c in candidates.rank(need, found, limit=4)]
    monkeypatch.setattr(candidates, "POOL_PER_PROPOSAL", 1000)
    everyone = [(c.volunteer_id, c.score) for c in candidates.rank(need, found, limit=4)]
    assert pooled == everyone
    assert len(pooled) == 4

"""The coverage selector against a hand-computed table.

Egypt (Africa/Cairo) is UTC+2 in winter and UTC+3 from Friday 2027-04-30 00:00
to Thursday 2027-10-28 24:00; Riyadh is UTC+3 all year. 2027-01-09 is a Saturday,
2027-01-14 a Thursday.
"""

import datetime as dt

import pytest
from django.db import connection

from core.models import ActivityType, Region
from volunteers.guardians import guardian_confirm, guardian_request, guardian_token
from volunteers.models import VolunteerProfile
from volunteers.selectors import volunteer_ids_available_for
from volunteers.services import availability_slot_add, profile_update
from volunteers.tests.factories import UserFactory

SAT, THU, FRI = 5, 3, 4


@pytest.fixture
def frozen_today(monkeypatch):
    """Dated slots must not be in the past: pin the clock before the table's dates."""
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("volunteers.services.timezone.now", lambda: now)
    monkeypatch.setattr("volunteers.services.timezone.localdate", lambda: now.date())
    return now


def _volunteer(name, region="EG-C", activities=("food_baskets",), slots=(), **changes):
    user = UserFactory(email=f"{name}@example.org")
    profile = profile_update(
        user=user, changes={"region": region, "display_name": name, "activity_types": list(activities), **changes}
    )
    for slot in slots:
        availability_slot_add(volunteer=profile, **slot)
    return profile


def weekly(weekday, start, end):
    return {"weekday": weekday, "start": start, "end": end}


def dated(date, start, end):
    return {"date": date, "start": start, "end": end}


@pytest.fixture
def people(db, frozen_today):
    return {
        "A": _volunteer("a", slots=[weekly(SAT, "09:00", "13:00")]),
        "B": _volunteer("b", slots=[weekly(THU, "22:00", "24:00"), weekly(FRI, "00:00", "02:00")]),
        "C": _volunteer("c", region="SA-01", slots=[weekly(SAT, "09:00", "13:00")]),
        "D": _volunteer("d", activities=("tutoring",), slots=[dated("2027-01-09", "16:00", "20:00")]),
        "E": _volunteer("e", paused_until="2027-01-20", slots=[weekly(SAT, "09:00", "13:00")]),
        "F": _volunteer("f", birth_date="2012-03-01", slots=[weekly(SAT, "09:00", "13:00")]),
        "G": _volunteer("g", slots=[weekly(SAT, "09:00", "11:00"), weekly(SAT, "11:30", "13:00")]),
        "H": _volunteer("h", slots=[dated("2027-01-14", "22:00", "24:00"), weekly(FRI, "00:00", "03:00")]),
        "J": _volunteer("j", region="EG-GZ", slots=[weekly(SAT, "09:00", "13:00")]),
        "K": _volunteer("k", slots=[weekly(SAT, "09:00", "11:00"), weekly(SAT, "11:00", "13:00")]),
        "L": _volunteer("l", region="SA-01", slots=[weekly(THU, "22:00", "24:00"), weekly(FRI, "00:00", "02:00")]),
    }


def u(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


TABLE = [
    # (window start UTC, end UTC, region code or None, activity slug or None, expected)
    # Saturday 09:00-13:00 Cairo; E paused, F a minor without consent, G has a gap,
    # J is in Giza, K's two touching slots were merged into one
    (u(2027, 1, 9, 7), u(2027, 1, 9, 11), "EG-C", None, "AK"),
    (u(2027, 1, 9, 7), u(2027, 1, 9, 11), None, None, "AJK"),
    # the same UTC hours are 10:00-14:00 in Riyadh: C is not free until 14:00
    (u(2027, 1, 9, 7), u(2027, 1, 9, 10), "SA-01", None, "C"),
    # 06:00-10:00 UTC: 08:00-12:00 in Cairo (nobody), 09:00-13:00 in Riyadh (C)
    (u(2027, 1, 9, 6), u(2027, 1, 9, 10), None, None, "C"),
    # after E's pause ends
    (u(2027, 1, 23, 7), u(2027, 1, 23, 11), "EG-C", None, "AEK"),
    # the activity must be among the volunteer's interests
    (u(2027, 1, 9, 7), u(2027, 1, 9, 11), "EG-C", "tutoring", ""),
    (u(2027, 1, 9, 7), u(2027, 1, 9, 11), "EG-C", "food_baskets", "AK"),
    # a dated slot counts on its date only
    (u(2027, 1, 9, 14), u(2027, 1, 9, 18), "EG-C", "tutoring", "D"),
    (u(2027, 1, 16, 14), u(2027, 1, 16, 18), "EG-C", None, ""),
    # Thursday 23:00 to Friday 01:00 Cairo, across midnight: B's two weekly slots,
    # H's dated Thursday slot with its weekly Friday
    (u(2027, 1, 14, 21), u(2027, 1, 14, 23), "EG-C", None, "BH"),
    # until 02:30: beyond B's Friday slot
    (u(2027, 1, 14, 21), u(2027, 1, 15, 0, 30), "EG-C", None, "H"),
    # a week later H's dated Thursday is gone
    (u(2027, 1, 21, 21), u(2027, 1, 21, 23), "EG-C", None, "B"),
    # winter: 19:00-23:00 UTC is 21:00-01:00 in Cairo, before anyone's night starts
    (u(2027, 1, 14, 19), u(2027, 1, 14, 23), "EG-C", None, ""),
    # summer: the same UTC hours are 22:00-02:00 on Cairo's clocks, B's night exactly
    (u(2027, 7, 15, 19), u(2027, 7, 15, 23), "EG-C", None, "B"),
    # the spring-forward night: 20:00 UTC = Thu 22:00 (+2), 22:30 UTC = Fri 01:30 (+3)
    (u(2027, 4, 29, 20), u(2027, 4, 29, 22, 30), "EG-C", None, "B"),
    # one hour later on that night reaches 02:30 on the clock: too late for B
    (u(2027, 4, 29, 20), u(2027, 4, 29, 23, 30), "EG-C", None, ""),
    # the fall-back night: 19:00 UTC = Thu 22:00 (+3), 23:00 UTC = Fri 01:00 (+2)
    (u(2027, 10, 28, 19), u(2027, 10, 28, 23), "EG-C", None, "B"),
    # after fall-back, 20:00-00:00 UTC is 22:00-02:00 again
    (u(2027, 11, 4, 20), u(2027, 11, 5, 0), "EG-C", None, "B"),
    (u(2027, 11, 4, 20), u(2027, 11, 5, 0, 1), "EG-C", None, ""),
    # all regions across midnight: Cairo 23:00-01:00 (B, H), Riyadh 00:00-02:00 Friday (L)
    (u(2027, 1, 14, 21), u(2027, 1, 14, 23), None, None, "BHL"),
    (u(2027, 1, 14, 21), u(2027, 1, 14, 23), "SA-01", None, "L"),
    # Riyadh's Thursday 22:00-24:00 and Friday 00:00-02:00 seen from 19:00-23:00 UTC
    (u(2027, 1, 14, 19), u(2027, 1, 14, 23), None, None, "L"),
    (u(2027, 1, 14, 19), u(2027, 1, 14, 23), None, "tutoring", ""),
]


@pytest.mark.parametrize(("start", "end", "region", "activity", "expected"), TABLE)
def test_the_selector_answers_the_hand_computed_table(people, start, end, region, activity, expected):
    region = Region.objects.get(code=region) if region else None
    activity = ActivityType.objects.get(slug=activity) if activity else None
    found = volunteer_ids_available_for(start, end, region=region, activity_type=activity)
    assert set(found) == {people[name].pk for name in expected}
    # matching uses it as a subquery
    assert set(VolunteerProfile.objects.filter(pk__in=found).values_list("pk", flat=True)) == set(found)


def test_a_minor_is_available_once_a_guardian_consents(people):
    window = (u(2027, 1, 9, 7), u(2027, 1, 9, 11))
    assert people["F"].pk not in set(volunteer_ids_available_for(*window))
    consent = guardian_request(user=people["F"].user, email="parent@example.org")
    guardian_confirm(token=guardian_token(consent))
    assert people["F"].pk in set(volunteer_ids_available_for(*window))


def test_changing_region_moves_the_slots_with_the_profile(people):
    window = (u(2027, 1, 9, 6), u(2027, 1, 9, 10))  # 09:00-13:00 in Riyadh
    riyadh = Region.objects.get(code="SA-01")
    assert set(volunteer_ids_available_for(*window, region=riyadh)) == {people["C"].pk}
    profile_update(user=people["A"].user, changes={"region": "SA-01"})
    assert set(volunteer_ids_available_for(*window, region=riyadh)) == {people["A"].pk, people["C"].pk}


def test_dropping_an_activity_drops_the_volunteer_for_it(people):
    window = (u(2027, 1, 9, 7), u(2027, 1, 9, 11))
    food = ActivityType.objects.get(slug="food_baskets")
    cairo = Region.objects.get(code="EG-C")
    profile_update(user=people["A"].user, changes={"activity_types": ["tutoring"]})
    assert set(volunteer_ids_available_for(*window, region=cairo, activity_type=food)) == {people["K"].pk}


@pytest.mark.parametrize(
    "window",
    [(u(2027, 1, 9, 7), u(2027, 1, 9, 11)), (u(2027, 1, 14, 21), u(2027, 1, 14, 23))],
    ids=["one local day", "across midnight"],
)
def test_the_selector_takes_one_query_however_many_volunteers(db, frozen_today, django_assert_num_queries, window):
    cairo = Region.objects.get(code="EG-C")
    food = ActivityType.objects.get(slug="food_baskets")
    slots = [weekly(SAT, "09:00", "13:00"), weekly(THU, "22:00", "24:00"), weekly(FRI, "00:00", "02:00")]
    for count in (3, 30):
        for n in range(count - (3 if count == 30 else 0)):
            _volunteer(f"v{count}-{n}", slots=slots)
        with django_assert_num_queries(1):
            found = list(volunteer_ids_available_for(*window, region=cairo, activity_type=food))
        assert len(found) == count


@pytest.mark.postgres
def test_the_selector_uses_the_covering_index_on_postgres(people):
    cairo = Region.objects.get(code="EG-C")
    query = volunteer_ids_available_for(u(2027, 1, 9, 7), u(2027, 1, 9, 11), region=cairo)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "slot_cover" in plan

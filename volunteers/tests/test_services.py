import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput, StateConflict
from volunteers.guardians import guardian_confirm, guardian_request, guardian_token
from volunteers.models import AvailabilitySlot, VolunteerProfile
from volunteers.services import (
    MAX_SLOTS,
    availability_slot_add,
    availability_slot_remove,
    availability_slot_update,
    profile_update,
)
from volunteers.tests.factories import UserFactory

SAT, SUN = 5, 6


@pytest.fixture
def profile(volunteer):
    return volunteer.volunteer_profile


def _slots(profile):
    return sorted(
        (s.kind, s.weekday, s.date, s.start, s.end) for s in AvailabilitySlot.objects.filter(volunteer=profile)
    )


def _next(weekday_offset=10):
    return dt.date.today() + dt.timedelta(days=weekday_offset)


# --- profile ---


def test_a_new_profile_stores_the_phone_in_e164_from_arabic_digits(db):
    user = UserFactory()
    profile = profile_update(
        user=user,
        changes={
            "region": "EG-C",
            "display_name": "  Mona   Adel ",
            "phone": "٠١٠٠١٢٣٤٥٦٧",
            "activity_types": ["food_baskets", "iftar"],
        },
    )
    assert profile.phone == "+201001234567"
    assert profile.display_name == "Mona Adel"
    assert profile.activity_mask == 0b11
    assert {a.slug for a in profile.activity_types.all()} == {"food_baskets", "iftar"}


def test_the_skill_bitmask_follows_the_chosen_skills(db):
    user = UserFactory()
    profile = profile_update(
        user=user, changes={"region": "EG-C", "display_name": "Mona", "skills": ["first_aid", "cooking"]}
    )
    assert profile.skill_mask == 1 << 0 | 1 << 2  # positions of first_aid and cooking
    profile = profile_update(user=user, changes={"skills": ["driving"]})
    profile.refresh_from_db()
    assert profile.skill_mask == 1 << 1
    profile = profile_update(user=user, changes={"skills": []})
    profile.refresh_from_db()
    assert profile.skill_mask == 0


@pytest.mark.parametrize(
    ("region", "typed", "stored"),
    [
        ("SA-01", "0501234567", "+966501234567"),
        ("SA-01", "۰۵۰۱۲۳۴۵۶۷", "+966501234567"),
        ("EG-C", "+966 50 123 4567", "+966501234567"),
        ("EG-C", "00201001234567", "+201001234567"),
    ],
)
def test_saudi_and_egyptian_numbers_are_read_in_the_volunteers_country(db, region, typed, stored):
    profile = profile_update(user=UserFactory(), changes={"region": region, "display_name": "X", "phone": typed})
    assert profile.phone == stored


@pytest.mark.parametrize(
    ("changes", "field"), [({"display_name": "Mona"}, "region"), ({"region": "EG-C"}, "display_name")]
)
def test_a_new_profile_needs_a_region_and_a_name_never_taken_from_the_email(db, changes, field):
    with pytest.raises(InvalidInput) as error:
        profile_update(user=UserFactory(), changes=changes)
    assert error.value.field == field
    assert not VolunteerProfile.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region": "EG-XX"}, "region"),
        ({"activity_types": ["food_baskets", "juggling"]}, "activity_types"),
        ({"skills": ["flying"]}, "skills"),
        ({"phone": "+44 20 7946 0958"}, "phone"),
        ({"phone": "0100"}, "phone"),
        ({"whatsapp_number": "12345"}, "whatsapp_number"),
        ({"birth_date": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "birth_date"),
        ({"birth_date": "1990-02-31"}, "birth_date"),
        ({"display_name": "   "}, "display_name"),
        ({"languages": ["xx"]}, "languages"),
        ({"gender": "other"}, "gender"),
        ({"max_hours_per_week": "200"}, "max_hours_per_week"),
        ({"location": {"lat": 100, "lon": 31}}, "location"),
        ({"email": "x@example.org"}, "email"),
    ],
)
def test_bad_profile_input_names_the_field_and_saves_nothing(profile, changes, field):
    before = (profile.region_id, profile.phone, profile.activity_mask, profile.display_name, profile.birth_date)
    with pytest.raises(InvalidInput) as error:
        profile_update(user=profile.user, changes={"display_name": "Changed", **changes})
    assert error.value.field == field
    profile.refresh_from_db()
    assert (profile.region_id, profile.phone, profile.activity_mask, profile.display_name, profile.birth_date) == before
    assert [a.slug for a in profile.activity_types.all()] == ["food_baskets"]


def test_max_hours_accept_arabic_digits(profile):
    assert profile_update(user=profile.user, changes={"max_hours_per_week": "١٢"}).max_hours_per_week == 12


def test_a_minor_is_flagged_and_not_matchable_without_consent(profile):
    born = dt.date.today().replace(year=dt.date.today().year - 15)
    availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="12:00")
    profile = profile_update(user=profile.user, changes={"birth_date": born})
    assert profile.is_minor and not profile.is_matchable
    assert not AvailabilitySlot.objects.get(volunteer=profile).matchable
    with pytest.raises(InvalidInput) as raised:
        profile_update(user=profile.user, changes={"guardian_consent": True})  # no longer a box the minor ticks
    assert raised.value.field == "guardian_consent"
    guardian_confirm(token=guardian_token(guardian_request(user=profile.user, email="parent@example.org")))
    profile.refresh_from_db()
    assert profile.is_matchable
    assert AvailabilitySlot.objects.get(volunteer=profile).matchable


def test_profile_changes_are_copied_onto_the_slots(profile):
    availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="12:00")
    profile_update(
        user=profile.user,
        changes={"region": "SA-02", "activity_types": ["iftar", "tutoring"], "paused_until": "2030-01-01"},
    )
    slot = AvailabilitySlot.objects.get(volunteer=profile)
    assert (slot.region.code, slot.timezone) == ("SA-02", "Asia/Riyadh")
    assert slot.activity_mask == (1 << 1) | (1 << 8)
    assert slot.paused_until == dt.date(2030, 1, 1)


# --- slots ---


def test_a_weekly_slot_is_stored_as_local_minutes(profile):
    slot = availability_slot_add(volunteer=profile, weekday="٥", start="٠٩:٣٠", end="24:00")
    assert (slot.kind, slot.weekday, slot.date, slot.start, slot.end) == ("weekly", SAT, None, 570, 1440)
    assert (slot.region_id, slot.timezone, slot.activity_mask) == (profile.region_id, "Africa/Cairo", 1)


def test_a_dated_slot_stores_its_weekday_too(profile):
    day = _next()
    slot = availability_slot_add(volunteer=profile, date=day.isoformat(), start="16:00", end="20:00")
    assert (slot.kind, slot.weekday, slot.date) == ("dated", day.weekday(), day)


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        ({"weekday": SAT, "start": "12:00", "end": "09:00"}, "end"),
        ({"weekday": SAT, "start": "12:00", "end": "12:00"}, "end"),
        ({"weekday": SAT, "date": "2099-01-01", "start": "09:00", "end": "12:00"}, "weekday"),
        ({"start": "09:00", "end": "12:00"}, "weekday"),
        ({"weekday": 7, "start": "09:00", "end": "12:00"}, "weekday"),
        ({"weekday": -1, "start": "09:00", "end": "12:00"}, "weekday"),
        ({"date": "2020-01-01", "start": "09:00", "end": "12:00"}, "date"),
        ({"date": "tomorrow", "start": "09:00", "end": "12:00"}, "date"),
        ({"weekday": SAT, "start": "06:00", "end": "22:01"}, "end"),
        ({"weekday": SAT, "start": "9am", "end": "12:00"}, "start"),
        ({"weekday": SAT, "start": "09:00", "end": "24:30"}, "end"),
    ],
)
def test_bad_slots_name_the_field_and_save_nothing(profile, slot, field):
    with pytest.raises(InvalidInput) as error:
        availability_slot_add(volunteer=profile, **slot)
    assert error.value.field == field
    assert str(error.value.message)
    assert not AvailabilitySlot.objects.exists()


def test_a_slot_of_exactly_sixteen_hours_is_accepted(profile):
    assert availability_slot_add(volunteer=profile, weekday=SAT, start="06:00", end="22:00").end == 1320


def test_a_dated_slot_for_today_is_accepted(profile):
    today = dt.datetime.now(profile.region.zone).date()
    assert availability_slot_add(volunteer=profile, date=today, start="23:00", end="24:00").date == today


def test_touching_and_overlapping_slots_of_the_same_kind_merge(profile):
    first = availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="11:00")
    availability_slot_add(volunteer=profile, weekday=SAT, start="13:00", end="15:00")
    merged = availability_slot_add(volunteer=profile, weekday=SAT, start="11:00", end="13:30")
    assert merged.pk == first.pk
    assert _slots(profile) == [("weekly", SAT, None, 540, 900)]


def test_slots_of_other_kinds_or_days_stay_apart(profile):
    day = _next()
    availability_slot_add(volunteer=profile, weekday=day.weekday(), start="09:00", end="11:00")
    availability_slot_add(volunteer=profile, date=day, start="10:00", end="12:00")
    availability_slot_add(volunteer=profile, weekday=(day.weekday() + 1) % 7, start="11:00", end="12:00")
    assert len(_slots(profile)) == 3


def test_a_volunteer_may_keep_fifty_slots_and_no_more(profile):
    for n in range(MAX_SLOTS):
        availability_slot_add(
            volunteer=profile, weekday=n % 7, start=f"{n // 7 * 2:02d}:00", end=f"{n // 7 * 2:02d}:30"
        )
    with pytest.raises(InvalidInput, match="50"):
        availability_slot_add(volunteer=profile, weekday=SUN, start="20:00", end="21:00")
    assert AvailabilitySlot.objects.filter(volunteer=profile).count() == MAX_SLOTS
    # merging into an existing slot is still allowed at the limit
    availability_slot_add(volunteer=profile, weekday=0, start="00:30", end="00:45")
    assert AvailabilitySlot.objects.filter(volunteer=profile).count() == MAX_SLOTS


def test_updating_a_slot_keeps_its_id_and_absorbs_the_slots_it_now_touches(profile):
    slot = availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="10:00")
    availability_slot_add(volunteer=profile, weekday=SUN, start="12:00", end="14:00")
    updated = availability_slot_update(slot=slot, weekday=SUN, start="10:00", end="12:00")
    assert updated.pk == slot.pk
    assert _slots(profile) == [("weekly", SUN, None, 600, 840)]


def test_an_update_with_bad_input_leaves_the_slot_as_it_was(profile):
    slot = availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="10:00")
    with pytest.raises(InvalidInput):
        availability_slot_update(slot=slot, weekday=SAT, start="11:00", end="10:00")
    assert _slots(profile) == [("weekly", SAT, None, 540, 600)]


def test_removing_a_slot(profile):
    slot = availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="10:00")
    availability_slot_remove(slot=slot)
    availability_slot_remove(slot=slot)  # twice is harmless
    assert _slots(profile) == []


def test_an_anonymised_volunteer_cannot_add_slots(profile):
    VolunteerProfile.objects.filter(pk=profile.pk).update(anonymised_at=dt.datetime.now(dt.UTC))
    profile.refresh_from_db()
    with pytest.raises(StateConflict):
        availability_slot_add(volunteer=profile, weekday=SAT, start="09:00", end="10:00")


spans = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 95), st.integers(1, 64)).map(
        lambda t: (t[0], t[1] * 15, min(1440, t[1] * 15 + t[2] * 15))
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans)
def test_adding_slots_keeps_exactly_the_covered_minutes_per_day(profile, spans):
    AvailabilitySlot.objects.filter(volunteer=profile).delete()
    for weekday, start, end in spans:
        availability_slot_add(volunteer=profile, weekday=weekday, start=start, end=end)
    stored = AvailabilitySlot.objects.filter(volunteer=profile)
    covered = {(w, m) for w, s, e in spans for m in range(s, e)}
    assert {(slot.weekday, m) for slot in stored for m in range(slot.start, slot.end)} == covered
    by_day = sorted((slot.weekday, slot.start, slot.end) for slot in stored)
    for (day_a, _, end_a), (day_b, start_b, _) in itertools.pairwise(by_day):
        assert day_a != day_b or end_a < start_b, "same-day slots never touch after merging"

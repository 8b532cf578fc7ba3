import datetime as dt

import pytest
from django.core.cache import cache

from attendance import checkin, services
from attendance.limits import TooManyAttempts
from attendance.models import Attendance, AttendanceChange, AttendanceReminder, HoursRecord
from attendance.reliability import smoothed
from attendance.tests.conftest import AFTER, BEFORE, DURING
from attendance.tests.factories import confirmed_match
from core.errors import InvalidInput, NotAllowed, StateConflict
from matching.models import Match
from matching.tests.factories import SAT, make_volunteer, weekly
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _nothing_saved():
    assert not Attendance.objects.exists()
    assert not AttendanceChange.objects.exists()
    assert not HoursRecord.objects.exists()


def test_marking_attended_credits_the_need_and_moves_reliability(match, charity_owner, person):
    availability = make_volunteer("slotted", slots=[weekly(SAT, "09:00", "13:00")])
    match_b = confirmed_match(match.need, availability)
    attendance = services.attendance_mark(match=match_b, user=charity_owner, status="attended", now=AFTER)
    assert attendance.minutes == 120 and attendance.source == "staff"
    record = HoursRecord.objects.get(attendance=attendance)
    assert (record.minutes, record.source, record.date.isoformat()) == (120, "attendance", "2027-01-09")
    availability.refresh_from_db()
    assert (availability.attended_count, availability.attendance_count) == (1, 1)
    assert availability.reliability == pytest.approx(0.6)
    # the slot copies read by matching's covering index follow the profile
    assert list(availability.slots.values_list("reliability", flat=True)) == [pytest.approx(0.6)]
    change = AttendanceChange.objects.get()
    assert (change.old_status, change.new_status, change.actor) == ("", "attended", charity_owner)


def test_a_coordinator_marks_partial_minutes(match, coordinator):
    attendance = services.attendance_mark(match=match, user=coordinator, status="partial", minutes="٤٥", now=DURING)
    assert attendance.minutes == 45
    assert HoursRecord.objects.get().minutes == 45


@pytest.mark.parametrize(
    ("status", "minutes", "field", "message"),
    [
        ("partial", 121, "minutes", "cannot be more than the need's 120 minutes"),
        ("partial", -5, "minutes", "more than zero"),
        ("partial", None, "minutes", "how many minutes"),
        ("partial", "abc", "minutes", "whole number"),
        ("attended", 30, "minutes", "only given for partial"),
        ("maybe", None, "status", "attended, partial or no-show"),
    ],
)
def test_bad_marks_are_refused_and_save_nothing(match, charity_owner, status, minutes, field, message):
    with pytest.raises(InvalidInput) as error:
        services.attendance_mark(match=match, user=charity_owner, status=status, minutes=minutes, now=AFTER)
    assert error.value.field == field and message in str(error.value.message)
    _nothing_saved()


def test_bad_marks_are_worded_in_arabic(match, charity_owner):
    from django.utils import translation

    with translation.override("ar"), pytest.raises(InvalidInput) as error:
        services.attendance_mark(match=match, user=charity_owner, status="partial", minutes=500, now=AFTER)
    assert "الدقائق" in str(error.value.message)


def test_attendance_waits_for_the_need_to_start(match, charity_owner):
    with pytest.raises(StateConflict):
        services.attendance_mark(match=match, user=charity_owner, status="attended", now=BEFORE)
    _nothing_saved()


def test_staff_of_another_charity_cannot_mark(match, other_charity_staff, person):
    with pytest.raises(NotAllowed):
        services.attendance_mark(match=match, user=other_charity_staff, status="attended", now=AFTER)
    with pytest.raises(NotAllowed):
        services.attendance_mark(match=match, user=person.user, status="attended", now=AFTER)
    _nothing_saved()


def test_only_confirmed_volunteers_have_attendance(need, charity_owner):
    invited = confirmed_match(need, make_volunteer("invited"), status=Match.Status.INVITED)
    with pytest.raises(StateConflict):
        services.attendance_mark(match=invited, user=charity_owner, status="attended", now=AFTER)
    _nothing_saved()


def test_a_correction_within_14_days_is_audited_and_a_no_show_removes_the_hours(match, charity_owner, person):
    services.attendance_mark(match=match, user=charity_owner, status="attended", now=AFTER)
    later = AFTER + dt.timedelta(days=13)
    services.attendance_mark(match=match, user=charity_owner, status="no_show", now=later)
    assert not HoursRecord.objects.exists()
    changes = list(AttendanceChange.objects.order_by("id").values_list("old_status", "new_status", "new_minutes"))
    assert changes == [("", "attended", 120), ("attended", "no_show", 0)]
    person.refresh_from_db()
    assert (person.attended_count, person.attendance_count) == (0, 1)
    assert person.reliability == pytest.approx(0.4)


def test_repeating_the_same_mark_writes_nothing_more(match, charity_owner):
    services.attendance_mark(match=match, user=charity_owner, status="attended", now=AFTER)
    services.attendance_mark(match=match, user=charity_owner, status="attended", now=AFTER)
    assert AttendanceChange.objects.count() == 1 and HoursRecord.objects.count() == 1


def test_no_correction_after_14_days(match, charity_owner):
    services.attendance_mark(match=match, user=charity_owner, status="attended", now=AFTER)
    with pytest.raises(StateConflict) as error:
        services.attendance_mark(match=match, user=charity_owner, status="no_show", now=AFTER + dt.timedelta(days=15))
    assert "14 days" in str(error.value.message)
    assert Attendance.objects.get().status == "attended" and AttendanceChange.objects.count() == 1


def test_everyone_at_once(need, charity_owner):
    matches = [confirmed_match(need, make_volunteer(f"v{n}")) for n in range(3)]
    services.attendance_mark(match=matches[0], user=charity_owner, status="no_show", now=AFTER)
    assert services.attendance_mark_all(need=need, user=charity_owner, now=AFTER) == 2
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["attended", "attended", "no_show"]
    assert services.attendance_mark_all(need=need, user=charity_owner, now=AFTER) == 0


def test_everyone_at_once_is_for_staff_and_after_the_start(need, match, charity_owner, other_charity_staff):
    with pytest.raises(NotAllowed):
        services.attendance_mark_all(need=need, user=other_charity_staff, now=AFTER)
    with pytest.raises(StateConflict):
        services.attendance_mark_all(need=need, user=charity_owner, now=BEFORE)
    _nothing_saved()


# --- Reliability -------------------------------------------------------------------------------------


def test_reliability_starts_neutral_and_one_no_show_barely_moves_it():
    assert smoothed(came=0, recorded=0) == 0.5
    assert smoothed(came=9, recorded=10) == pytest.approx(11 / 14, abs=1e-4)
    many = smoothed(came=20, recorded=20)
    one_missed = smoothed(came=19, recorded=20)
    assert many - one_missed < 0.05
    assert smoothed(came=0, recorded=1) == pytest.approx(0.4)


# --- Check-in ------------------------------------------------------------------------------------------


def test_checking_in_with_the_code_records_attendance(match, person):
    code = checkin.current_code(match.need, now=DURING)
    attendance = services.attendance_check_in(need=match.need, user=person.user, code=code, now=DURING)
    assert (attendance.status, attendance.source, attendance.checked_in_at) == ("attended", "check_in", DURING)
    assert HoursRecord.objects.get().minutes == 120
    again = services.attendance_check_in(need=match.need, user=person.user, code=code, now=DURING)
    assert again.pk == attendance.pk and Attendance.objects.count() == 1


def test_a_code_from_the_last_ten_minutes_still_works(match, person):
    code = checkin.current_code(match.need, now=DURING - dt.timedelta(minutes=9))
    assert checkin.code_state(match.need, code, now=DURING) == "valid"


def test_a_wrong_or_expired_code_is_refused(match, person):
    old = checkin.current_code(match.need, now=DURING - dt.timedelta(minutes=45))
    with pytest.raises(InvalidInput) as error:
        services.attendance_check_in(need=match.need, user=person.user, code=old, now=DURING)
    assert error.value.field == "code" and "expired" in str(error.value.message)
    current = checkin.current_code(match.need, now=DURING)
    wrong = f"{(int(current) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidInput) as error:
        services.attendance_check_in(need=match.need, user=person.user, code=wrong, now=DURING)
    assert "not right" in str(error.value.message)
    _nothing_saved()


def test_wrong_codes_are_throttled(match, person):
    cache.clear()
    for _ in range(5):
        with pytest.raises(InvalidInput):
            services.attendance_check_in(need=match.need, user=person.user, code="000000", now=DURING)
    right = checkin.current_code(match.need, now=DURING)
    with pytest.raises(TooManyAttempts):
        services.attendance_check_in(need=match.need, user=person.user, code=right, now=DURING)
    _nothing_saved()


def test_check_in_is_only_on_the_day(match, person):
    for moment in (BEFORE - dt.timedelta(hours=2), AFTER + dt.timedelta(hours=1)):
        with pytest.raises(StateConflict):
            services.attendance_check_in(
                need=match.need, user=person.user, code=checkin.current_code(match.need, now=moment), now=moment
            )
    _nothing_saved()


def test_only_a_confirmed_volunteer_checks_in(match, other_volunteer):
    with pytest.raises(NotAllowed):
        services.attendance_check_in(
            need=match.need, user=other_volunteer, code=checkin.current_code(match.need, now=DURING), now=DURING
        )
    _nothing_saved()


# --- The reminder ----------------------------------------------------------------------------------------


def test_staff_are_reminded_once_a_day_after_the_need(match, charity_owner, coordinator):
    assert services.attendance_remind_due(now=AFTER + dt.timedelta(hours=12)) == 0
    assert services.attendance_remind_due(now=AFTER + dt.timedelta(days=1, hours=1)) == 1
    rows = Notification.objects.filter(kind="attendance_reminder")
    assert {row.recipient for row in rows} == {charity_owner, coordinator}
    assert rows.first().context["unmarked_count"] == 1
    assert services.attendance_remind_due(now=AFTER + dt.timedelta(days=2)) == 0
    assert AttendanceReminder.objects.count() == 1


def test_no_reminder_when_attendance_is_marked(match, charity_owner):
    services.attendance_mark(match=match, user=charity_owner, status="attended", now=AFTER)
    assert services.attendance_remind_due(now=AFTER + dt.timedelta(days=1, hours=1)) == 0
    assert not Notification.objects.filter(kind="attendance_reminder").exists()

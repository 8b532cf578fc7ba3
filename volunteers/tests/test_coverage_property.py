"""The selector against a brute-force oracle: a volunteer is available for a
window exactly when every minute of it, on the region's clock, falls in one of
their weekly slots. Windows are drawn around both of Egypt's 2027 clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from core.models import Region
from volunteers.models import AvailabilitySlot
from volunteers.selectors import volunteer_ids_available_for
from volunteers.services import availability_slot_add

CAIRO = ZoneInfo("Africa/Cairo")
SPRING_GAP = (dt.datetime(2027, 4, 29, 22, tzinfo=dt.UTC), dt.datetime(2027, 4, 29, 23, tzinfo=dt.UTC))
WEEKS = [dt.date(2027, 1, 11), dt.date(2027, 4, 26), dt.date(2027, 7, 12), dt.date(2027, 10, 25)]

starts = st.sampled_from([0, 0, 60, 360, 540, 720, 900, 1080, 1260, 1320, 1380])
lengths = st.sampled_from([60, 120, 180, 240, 360, 480, 720, 960])
slots = st.lists(
    st.tuples(st.integers(0, 6), starts, lengths).map(lambda s: (s[0], s[1], min(1440, s[1] + s[2]))),
    min_size=1,
    max_size=12,
)
windows = st.tuples(st.sampled_from(WEEKS), st.integers(0, 7 * 24 * 4 - 1), st.integers(1, 12)).map(
    lambda w: (
        dt.datetime.combine(w[0], dt.time(), tzinfo=dt.UTC) + dt.timedelta(minutes=15 * w[1]),
        dt.timedelta(minutes=30 * w[2]),
    )
)


def _oracle(spans, start, length) -> bool:
    minute = start
    while minute < start + length:
        local = minute.astimezone(CAIRO)
        of_day = local.hour * 60 + local.minute
        if not any(day == local.weekday() and a <= of_day < b for day, a, b in spans):
            return False
        minute += dt.timedelta(minutes=1)
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=slots, window=windows)
def test_the_selector_agrees_with_minute_by_minute_coverage(volunteer, spans, window):
    start, length = window
    # In the spring-forward gap the wall clock skips 00:00-01:00; the selector asks
    # for those minutes anyway (a stricter answer), which the oracle cannot see.
    assume(not (start < SPRING_GAP[1] and start + length > SPRING_GAP[0]))
    profile = volunteer.volunteer_profile
    AvailabilitySlot.objects.filter(volunteer=profile).delete()
    for weekday, a, b in spans:
        availability_slot_add(volunteer=profile, weekday=weekday, start=a, end=b)
    found = set(volunteer_ids_available_for(start, start + length, region=Region.objects.get(code="EG-C")))
    expected = _oracle(spans, start, length)
    event("available" if expected else "not available")
    assert (profile.pk in found) == expected

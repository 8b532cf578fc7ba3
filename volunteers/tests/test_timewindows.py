import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.timewindows import LocalPiece, local_pieces, merge_intervals, parse_time

UTC = dt.UTC
CAIRO, RIYADH = "Africa/Cairo", "Asia/Riyadh"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("09:30", 570), ("٠٩:٣٠", 570), ("۰۹:۳۰", 570), ("9:05", 545), ("00:00", 0), ("24:00", 1440), ("٢٤:٠٠", 1440)],
)
def test_times_are_read_in_any_digits(text, minutes):
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["24:01", "25:00", "09:60", "9", "nine", "", "-1:00", "09:3"])
def test_impossible_times_are_refused(text):
    with pytest.raises(ValueError):
        parse_time(text)


def w(*args):
    return dt.datetime(*args, tzinfo=UTC)


# Hand-computed: Egypt is UTC+2 in winter, UTC+3 from Friday 2027-04-30 00:00
# (clocks jump to 01:00) to Thursday 2027-10-28 24:00 (clocks go back to 23:00).
# Riyadh is UTC+3 all year.
@pytest.mark.parametrize(
    ("start", "end", "zone", "pieces"),
    [
        # winter Saturday morning in Cairo and Riyadh
        (w(2027, 1, 9, 7), w(2027, 1, 9, 11), CAIRO, [(dt.date(2027, 1, 9), 540, 780)]),
        (w(2027, 1, 9, 7), w(2027, 1, 9, 11), RIYADH, [(dt.date(2027, 1, 9), 600, 840)]),
        # summer: the same UTC hours are an hour later on Cairo's clocks
        (w(2027, 7, 10, 7), w(2027, 7, 10, 11), CAIRO, [(dt.date(2027, 7, 10), 600, 840)]),
        # the spring-forward night: 21:30 UTC = 23:30 (+2); 22:30 UTC = 01:30 Fri (+3)
        (
            w(2027, 4, 29, 21, 30),
            w(2027, 4, 29, 22, 30),
            CAIRO,
            [(dt.date(2027, 4, 29), 1410, 1440), (dt.date(2027, 4, 30), 0, 90)],
        ),
        # the day after spring-forward: 06:00 UTC is 09:00 local
        (w(2027, 4, 30, 6), w(2027, 4, 30, 10), CAIRO, [(dt.date(2027, 4, 30), 540, 780)]),
        # the day before: 06:00 UTC is still 08:00 local
        (w(2027, 4, 29, 6), w(2027, 4, 29, 10), CAIRO, [(dt.date(2027, 4, 29), 480, 720)]),
        # the fall-back night: 20:00 UTC = 23:00 (+3), 22:00 UTC = 00:00 Fri (+2);
        # the repeated 23:00-24:00 is asked for once
        (w(2027, 10, 28, 20), w(2027, 10, 28, 22), CAIRO, [(dt.date(2027, 10, 28), 1380, 1440)]),
        (
            w(2027, 10, 28, 20),
            w(2027, 10, 28, 23),
            CAIRO,
            [(dt.date(2027, 10, 28), 1380, 1440), (dt.date(2027, 10, 29), 0, 60)],
        ),
        # the day after fall-back: 07:00 UTC is 09:00 again
        (w(2027, 10, 29, 7), w(2027, 10, 29, 11), CAIRO, [(dt.date(2027, 10, 29), 540, 780)]),
        # across midnight in Riyadh: Thu 23:00 to Fri 01:00
        (
            w(2027, 1, 14, 20),
            w(2027, 1, 14, 22),
            RIYADH,
            [(dt.date(2027, 1, 14), 1380, 1440), (dt.date(2027, 1, 15), 0, 60)],
        ),
        # ending exactly at local midnight adds no empty piece
        (w(2027, 1, 14, 19), w(2027, 1, 14, 21), RIYADH, [(dt.date(2027, 1, 14), 1320, 1440)]),
        # seconds round outwards
        (w(2027, 1, 9, 7, 0, 30), w(2027, 1, 9, 8, 0, 1), CAIRO, [(dt.date(2027, 1, 9), 540, 601)]),
    ],
)
def test_a_utc_window_becomes_the_local_pieces_it_covers(start, end, zone, pieces):
    assert local_pieces(start, end, zone) == [LocalPiece(*piece) for piece in pieces]


def test_a_window_of_more_than_seven_local_days_is_refused():
    assert len(local_pieces(w(2027, 1, 9, 10), w(2027, 1, 15, 10), CAIRO)) == 7
    with pytest.raises(ValueError):
        local_pieces(w(2027, 1, 9, 10), w(2027, 1, 16, 10), CAIRO)


@pytest.mark.parametrize(
    ("start", "end"),
    [(w(2027, 1, 9, 10), w(2027, 1, 9, 10)), (dt.datetime(2027, 1, 9, 10), dt.datetime(2027, 1, 9, 11))],
)
def test_empty_or_naive_windows_are_refused(start, end):
    with pytest.raises(ValueError):
        local_pieces(start, end, CAIRO)


intervals = st.lists(
    st.tuples(st.integers(0, 1439), st.integers(1, 16 * 60)).map(lambda t: (t[0], min(1440, t[0] + t[1]))),
    max_size=20,
)


def _minutes(spans):
    return {minute for start, end in spans for minute in range(start, end)}


@given(intervals)
def test_merging_keeps_exactly_the_covered_minutes(spans):
    assert _minutes(merge_intervals(spans)) == _minutes(spans)


@given(intervals)
def test_merged_intervals_are_sorted_and_never_touch(spans):
    merged = merge_intervals(spans)
    assert all(start < end for start, end in merged)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in itertools.pairwise(merged))

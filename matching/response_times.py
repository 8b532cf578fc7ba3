"""How fast each charity reviews the volunteers it is proposed, and the nudge
when proposals wait.

The measure (issue 5, "Response time"): over the matches proposed in the last
RESPONSE_TIME_WINDOW_DAYS, the median of

* `reviewed_at - proposed_at` for each match a staff member approved or
  rejected (`reviewed_by` set; invitations the system sent by itself, e.g. when
  a place reopened, are not the charity's work and are left out), and
* for each proposal still unreviewed after MATCH_WAITING_HOURS, its age so far
  (up to the need's start, after which reviewing no longer matters) — a
  censored value, "at least this long". Ignoring proposals therefore raises the
  median instead of hiding it; proposals younger than the reminder threshold
  are left out so a fresh batch does not flatter or hurt anyone.

A charity with fewer than RESPONSE_TIME_MIN_MATCHES such values shows no figure.

The same task also measures the other side, shown to the charity's staff only:
the median time volunteers take to answer its invitations (`answered_at -
invited_at`; an invitation that expired counts with its full time to live).
The figure is computed in the database (PostgreSQL's `percentile_cont`; other
databases, i.e. SQLite in tests, compute the same median in Python) by a
periodic task and cached on `Charity.median_review_hours`, so the public
profile, the dashboard and the API lists read a column and stay at constant
queries, and the charities app never imports matching.
"""

import datetime as dt
import statistics
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Need
from charities.models import Charity, Membership
from matching.models import Match
from notifications.models import Kind
from notifications.services import notify

_PG_MEDIANS = """
SELECT charity_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours), count(*)
FROM (
    SELECT charity_id, EXTRACT(EPOCH FROM (reviewed_at - proposed_at)) / 3600.0 AS hours
    FROM matching_match
    WHERE proposed_at >= %(since)s AND reviewed_by_id IS NOT NULL AND reviewed_at IS NOT NULL
    UNION ALL
    SELECT charity_id, EXTRACT(EPOCH FROM (LEAST(%(now)s, starts_at) - proposed_at)) / 3600.0 AS hours
    FROM matching_match
    WHERE proposed_at >= %(since)s AND status = 'proposed' AND reviewed_at IS NULL AND proposed_at <= %(overdue)s
) AS measured
GROUP BY charity_id
"""


_PG_ANSWER_MEDIANS = """
SELECT charity_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours), count(*)
FROM (
    SELECT charity_id, EXTRACT(EPOCH FROM (answered_at - invited_at)) / 3600.0 AS hours
    FROM matching_match
    WHERE invited_at >= %(since)s AND answered_at IS NOT NULL AND answered_at >= invited_at
    UNION ALL
    SELECT charity_id, EXTRACT(EPOCH FROM (expires_at - invited_at)) / 3600.0 AS hours
    FROM matching_match
    WHERE invited_at >= %(since)s AND status = 'expired' AND answered_at IS NULL AND expires_at IS NOT NULL
) AS measured
GROUP BY charity_id
"""


def _bounds(now: dt.datetime) -> dict:
    return {
        "now": now,
        "since": now - dt.timedelta(days=settings.RESPONSE_TIME_WINDOW_DAYS),
        "overdue": now - dt.timedelta(hours=settings.MATCH_WAITING_HOURS),
    }


def _medians_in_python(bounds: dict) -> dict[int, tuple[float, int]]:
    recent = Match.objects.filter(proposed_at__gte=bounds["since"])
    hours = defaultdict(list)
    reviewed = recent.filter(reviewed_by__isnull=False, reviewed_at__isnull=False)
    for charity_id, proposed, reviewed_at in reviewed.values_list("charity_id", "proposed_at", "reviewed_at"):
        hours[charity_id].append((reviewed_at - proposed).total_seconds() / 3600)
    waiting = recent.filter(status=Match.Status.PROPOSED, reviewed_at__isnull=True, proposed_at__lte=bounds["overdue"])
    for charity_id, proposed, starts_at in waiting.values_list("charity_id", "proposed_at", "starts_at"):
        hours[charity_id].append((min(bounds["now"], starts_at) - proposed).total_seconds() / 3600)
    return {charity_id: (statistics.median(values), len(values)) for charity_id, values in hours.items()}


def _answer_medians_in_python(bounds: dict) -> dict[int, tuple[float, int]]:
    recent = Match.objects.filter(invited_at__gte=bounds["since"])
    hours = defaultdict(list)
    answered = recent.filter(answered_at__isnull=False)
    for charity_id, invited, answered_at in answered.values_list("charity_id", "invited_at", "answered_at"):
        if answered_at >= invited:
            hours[charity_id].append((answered_at - invited).total_seconds() / 3600)
    expired = recent.filter(status=Match.Status.EXPIRED, answered_at__isnull=True, expires_at__isnull=False)
    for charity_id, invited, expires_at in expired.values_list("charity_id", "invited_at", "expires_at"):
        hours[charity_id].append((expires_at - invited).total_seconds() / 3600)
    return {charity_id: (statistics.median(values), len(values)) for charity_id, values in hours.items()}


def _medians(sql: str, in_python, now: dt.datetime | None) -> dict[int, tuple[float, int]]:
    bounds = _bounds(now or timezone.now())
    if connection.vendor != "postgresql":
        return in_python(bounds)
    with connection.cursor() as cursor:
        cursor.execute(sql, bounds)
        return {charity_id: (float(median), count) for charity_id, median, count in cursor.fetchall()}


def review_medians(*, now: dt.datetime | None = None) -> dict[int, tuple[float, int]]:
    """{charity_id: (median hours, number of values)} for every charity with a
    measured match in the window, whatever their number."""
    return _medians(_PG_MEDIANS, _medians_in_python, now)


def answer_medians(*, now: dt.datetime | None = None) -> dict[int, tuple[float, int]]:
    """{charity_id: (median hours volunteers took to answer its invitations, number)}."""
    return _medians(_PG_ANSWER_MEDIANS, _answer_medians_in_python, now)


def charity_response_times_refresh(*, now: dt.datetime | None = None) -> int:
    """Write every charity's cached medians (None below the minimum), in one
    transaction. Returns how many charities show a review time."""
    now = now or timezone.now()
    reviews, answers = review_medians(now=now), answer_medians(now=now)
    minimum = settings.RESPONSE_TIME_MIN_MATCHES
    measured = set(reviews) | set(answers)
    fields = ["median_review_hours", "review_sample_size", "median_answer_hours", "response_time_updated_at"]
    with transaction.atomic():
        Charity.objects.exclude(pk__in=measured).filter(
            Q(median_review_hours__isnull=False) | Q(review_sample_size__gt=0) | Q(median_answer_hours__isnull=False)
        ).update(median_review_hours=None, review_sample_size=0, median_answer_hours=None, response_time_updated_at=now)
        rows = list(Charity.objects.filter(pk__in=measured).only("pk"))
        for charity in rows:
            review, review_count = reviews.get(charity.pk, (None, 0))
            answer, answer_count = answers.get(charity.pk, (None, 0))
            charity.median_review_hours = round(review, 2) if review_count >= minimum else None
            charity.review_sample_size = review_count
            charity.median_answer_hours = round(answer, 2) if answer_count >= minimum else None
            charity.response_time_updated_at = now
        Charity.objects.bulk_update(rows, fields, batch_size=500)
    return sum(1 for charity in rows if charity.median_review_hours is not None)


def match_waiting_remind(*, now: dt.datetime | None = None) -> int:
    """Tell each need's charity staff when volunteers proposed for it have
    waited MATCH_WAITING_HOURS for a review: at most one notification per need
    and (UTC) day, counting the proposals waiting that long. Needs already
    started are skipped; a need whose proposals were all reviewed gets none.
    Safe to run any number of times a day. Returns the number of needs reminded."""
    from matching.services import need_title

    now = now or timezone.now()
    overdue = now - dt.timedelta(hours=settings.MATCH_WAITING_HOURS)
    waiting = dict(
        Match.objects.filter(status=Match.Status.PROPOSED, proposed_at__lte=overdue, starts_at__gt=now)
        .values("need_id")
        .annotate(count=Count("pk"))
        .values_list("need_id", "count")
    )
    if not waiting:
        return 0
    needs = Need.objects.filter(pk__in=list(waiting), case__charity__isnull=False).select_related(
        "case", "activity_type"
    )
    staff = defaultdict(list)
    charity_ids = {need.case.charity_id for need in needs}
    for membership in Membership.objects.filter(charity_id__in=charity_ids).select_related("user"):
        staff[membership.charity_id].append(membership.user)
    reminded = 0
    for need in needs:
        with transaction.atomic():
            rows = notify(
                kind=Kind.MATCH_WAITING,
                event_key=f"need:{need.pk}:waiting:{now:%Y%m%d}",
                context={
                    "need_id": need.pk,
                    "need_title": need_title(need),
                    "case_title": need.case.title,
                    "waiting_count": waiting[need.pk],
                    "url": f"/matching/needs/{need.pk}/review/",
                },
                recipients=staff[need.case.charity_id],
                charity_id=need.case.charity_id,
            )
        reminded += bool(rows)
    return reminded

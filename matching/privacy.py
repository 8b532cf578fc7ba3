"""Matching's part of a person's export and erasure (see `volunteers.privacy`)."""

from django.conf import settings

from matching.calendar import calendar_feed_anonymise, feed_url
from matching.models import CalendarFeed, Match


def _iso(value):
    return value.isoformat() if value else None


def matches_export(user) -> list[dict]:
    rows = Match.objects.filter(volunteer__user=user).select_related("need__case", "need__activity_type", "charity")
    return [
        {
            "id": match.pk,
            "status": match.status,
            "source": match.source,
            "case": match.need.case.title,
            "need": match.need.description or str(match.need.activity_type.name),
            "charity": match.charity.name if match.charity_id else None,
            "starts_at": _iso(match.starts_at),
            "ends_at": _iso(match.ends_at),
            "score": match.score,
            "reasons": match.reasons,
            "proposed_at": _iso(match.proposed_at),
            "invited_at": _iso(match.invited_at),
            "answered_at": _iso(match.answered_at),
            "cancelled_at": _iso(match.cancelled_at),
        }
        for match in rows.order_by("starts_at", "pk")
    ]


def calendar_feed_export(user) -> dict | None:
    feed = CalendarFeed.objects.filter(volunteer__user=user).first()
    if feed is None:
        return None
    return {"url": feed_url(feed, base_url=settings.SITE_URL), "created_at": _iso(feed.created_at)}


def matches_anonymise(user) -> None:
    """The reasons describe the person (their free time, how far they live):
    the match rows stay for the charity's counts, the reasons go."""
    Match.objects.filter(volunteer__user=user).update(reasons=[])


def register() -> None:
    from core.privacy import anonymiser_register, export_section_register

    export_section_register("matches", matches_export)
    export_section_register("calendar_feed", calendar_feed_export)
    anonymiser_register(calendar_feed_anonymise)
    anonymiser_register(matches_anonymise)

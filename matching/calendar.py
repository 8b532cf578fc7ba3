"""Commitments in a phone's calendar: the private feed and one-event downloads.

A volunteer may have one feed (`CalendarFeed`): a random token in a URL outside
the language prefix (`/calendar/<token>.ics`), so a phone subscribes once and
polls it without signing in. Creating a new link replaces the token, so the old
one stops working at once; revoking deletes it; deleting the account deletes it
(an anonymiser registered by `MatchingConfig.ready`).

The feed holds confirmed commitments that ended at most `FEED_PAST_DAYS` ago;
cancelled ones simply drop out, which is how subscribed calendars learn of it
(they replace the whole feed on every poll). Times carry the TZID of the need's
region with its VTIMEZONE, so Egypt's summer time is the calendar's business and
the event shows at the right wall-clock time wherever the phone is. UIDs are
stable per match, so a re-poll or a second download updates the same event.

Only public facts go out: the case title and public story's place (the region;
never `private_details` or exact coordinates), and the charity's contact only
once the volunteer has confirmed, the rule `selectors.contact_visible` keeps.

This module writes (`calendar_feed_*` services), reads (the `_get_`/`_list_`
selectors) and renders; it lives apart from `services.py` because nothing else
in matching depends on it.
"""

import datetime as dt
import re
import secrets

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.errors import NotAllowed
from matching import selectors
from matching.models import CalendarFeed, Match
from matching.services import need_title
from volunteers.models import VolunteerProfile

FEED_PAST_DAYS = 90
PRODID = "-//Volunteer Bank//Commitments//AR"
UID_DOMAIN = "volunteerbank"
CONTENT_TYPE = "text/calendar; charset=utf-8"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")  # what token_urlsafe(32) makes; NUL and the like never reach SQL


def _new_token() -> str:
    return secrets.token_urlsafe(32)


# --- services -------------------------------------------------------------


def _profile_of(user) -> VolunteerProfile:
    profile = VolunteerProfile.objects.filter(user=user, anonymised_at__isnull=True).first()
    if profile is None or not user.is_active:
        raise NotAllowed(_("Only volunteers have a calendar of commitments."))
    return profile


def calendar_feed_create(*, user) -> CalendarFeed:
    """Give the volunteer a feed with a fresh token, replacing any earlier one
    (whose link then answers 404). Raises NotAllowed for someone without a
    volunteer profile. Nothing is scheduled."""
    profile = _profile_of(user)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update(no_key=True).get_or_create(
            volunteer=profile, defaults={"token": _new_token(), "created_at": timezone.now()}
        )
        if not _created:
            feed.token, feed.created_at = _new_token(), timezone.now()
            feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_revoke(*, user) -> None:
    """Delete the volunteer's feed, if any; its link answers 404 from now on. Repeating it changes nothing."""
    CalendarFeed.objects.filter(volunteer__user=user).delete()


def calendar_feed_anonymise(user) -> None:
    """Account deletion: the feed goes with the account."""
    calendar_feed_revoke(user=user)


# --- selectors --------------------------------------------------------------


def calendar_feed_for_user(user) -> CalendarFeed | None:
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(volunteer__user=user).first()


def calendar_feed_get_by_token(token: str) -> CalendarFeed:
    """The live feed for a token, or 404 (unknown, rotated, revoked, or its account deleted)."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("volunteer__user")
        .filter(token=token, volunteer__anonymised_at__isnull=True, volunteer__user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def commitment_list_for_feed(feed: CalendarFeed) -> list[Match]:
    """The confirmed commitments a feed shows, soonest first: two queries however many."""
    since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
    matches = list(
        Match.objects.filter(volunteer=feed.volunteer, status=Match.Status.CONFIRMED, ends_at__gte=since)
        .select_related("need__case__charity", "need__region", "need__activity_type", "reviewed_by")
        .order_by("starts_at", "id")
    )
    _attach_contacts(matches)
    return matches


def _attach_contacts(matches: list[Match]) -> None:
    """`match.contact` for each confirmed match, as `selectors.charity_contacts`
    words it, with every need's contact person read in one query."""
    people = selectors.contact_people([m.need for m in matches if selectors.contact_visible(m)])
    for match in matches:
        charity = match.need.case.charity
        if not selectors.contact_visible(match) or charity is None:
            match.contact = None
            continue
        match.contact = selectors.charity_contacts(match, person=people.get(match.need_id))


# --- rendering --------------------------------------------------------------


def feed_url(feed: CalendarFeed, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("calendar-feed", args=[feed.token])


def webcal_url(url: str) -> str:
    return "webcal://" + url.split("://", 1)[-1]


def _description(match: Match, case_url: str) -> str:
    need, case = match.need, match.need.case
    lines = [case.title, need_title(need)]
    if case.charity_id:
        lines.append(_("Organisation: %(name)s") % {"name": case.charity.name})
    contact = getattr(match, "contact", None)
    if contact:
        if contact["email"]:
            lines.append(_("Email: %(email)s") % {"email": contact["email"]})
        if contact["whatsapp"]:
            lines.append(_("WhatsApp: %(number)s") % {"number": contact["whatsapp"]})
        if contact["website"]:
            lines.append(contact["website"])
        lines.append(_("Ask the organisation for the exact meeting place."))
    else:
        lines.append(_("You have not accepted this invitation yet."))
    lines.append(case_url)
    return "\n".join(lines)


def _event(match: Match, *, base_url: str) -> Event:
    need, case = match.need, match.need.case
    zone = need.region.zone
    case_url = base_url.rstrip("/") + reverse("cases:detail", args=[case.pk])
    event = Event()
    event.add("uid", f"match-{match.pk}@{UID_DOMAIN}")
    event.add("dtstamp", match.answered_at or match.invited_at or match.proposed_at)
    event.add("sequence", 0)
    event.add("summary", f"{need_title(need)} · {case.title}")
    event.add("dtstart", need.starts_at.astimezone(zone))
    event.add("dtend", need.ends_at.astimezone(zone))
    place = {"region": need.region.name, "country": need.region.get_country_display()}
    event.add("location", _("%(region)s, %(country)s") % place)
    if case.public_latitude is not None and case.public_longitude is not None:
        event.add("geo", (case.public_latitude, case.public_longitude))
    event.add("description", _description(match, case_url))
    event.add("url", case_url)
    confirmed = match.status == Match.Status.CONFIRMED
    event.add("status", "CONFIRMED" if confirmed else "TENTATIVE")
    event.add("transp", "OPAQUE")
    return event


def _calendar(matches, *, base_url: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for match in matches:
        calendar.add_component(_event(match, base_url=base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_render(feed: CalendarFeed, *, base_url: str) -> bytes:
    """The feed as iCalendar bytes, in the volunteer's own language (User.language)."""
    with translation.override(feed.volunteer.user.language or "ar"):
        matches = commitment_list_for_feed(feed)
        return _calendar(matches, base_url=base_url, name=_("Volunteer Bank: my commitments"))


def match_render(user, pk, *, base_url: str) -> bytes:
    """One invitation or commitment of the person's own as a one-event calendar,
    in the active language; anyone else's (or a closed one) is a 404."""
    match = selectors.match_get_for_volunteer(user, pk)
    if match.status not in (Match.Status.INVITED, Match.Status.CONFIRMED):
        raise Http404
    _attach_contacts([match])
    return _calendar([match], base_url=base_url, name=_("Volunteer Bank"))

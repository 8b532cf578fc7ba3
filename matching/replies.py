"""Answering an invitation by replying on WhatsApp or SMS.

`notifications.inbound` reads the reply and calls `invitation_answer` (registered
in `MatchingConfig.ready`; notifications never imports matching). It answers
through `match_accept` / `match_decline`, the services behind the web page and
the API, so the locks, the full-need rule and the charity's notification are
the same. The text returned is sent back on the same channel."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import StateConflict
from matching.models import Match
from matching.services import match_accept, match_decline, need_title


def _invitation(*, user, match_id: int | None, now: dt.datetime) -> Match | None:
    """The invitation a reply is about: the one its button names, else the most
    recent still open, else the most recent at all (to say why it is closed)."""
    invited = Match.objects.select_related("need__activity_type").filter(volunteer__user=user, invited_at__isnull=False)
    if match_id is not None:
        return invited.filter(pk=match_id).first()
    open_ = invited.filter(status=Match.Status.INVITED, expires_at__gt=now).order_by("-invited_at", "-pk").first()
    return open_ or invited.order_by("-invited_at", "-pk").first()


def invitation_answer(*, user, accept: bool, match_id: int | None = None, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    match = _invitation(user=user, match_id=match_id, now=now)
    if match is None:
        return _("You have no invitation to answer right now.")
    title = need_title(match.need)
    try:
        if accept:
            match_accept(match=match, user=user, now=now)
        else:
            match_decline(match=match, user=user, now=now)
    except StateConflict as exc:  # expired, already answered, full, or a clash with another commitment
        return f"{title}: {exc.message}"
    if accept:
        return _("Confirmed: %(need)s. Thank you! The details are on your dashboard.") % {"need": title}
    return _("Declined: %(need)s. Thank you for telling us.") % {"need": title}

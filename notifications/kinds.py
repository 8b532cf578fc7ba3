"""What each kind of notification means, who may turn it off, and the context
its caller passes to `notify()`.

Every context is JSON: ids, strings, ISO 8601 datetimes in UTC. Times are shown
in the zone named by `timezone` (a region's zone, e.g. "Africa/Cairo"); when it
is missing, the recipient's own zone. `url` is a path ("/cases/12/") or an
absolute URL; paths get SITE_URL and the recipient's language prefix.

| kind | to | context keys |
|---|---|---|
| match_invited | volunteer | need_title, case_title, charity_name, need_starts_at, need_ends_at, timezone, url |
| match_confirmed | charity staff | volunteer_name, need_title, case_title, need_starts_at, timezone, url |
| match_declined | charity staff | volunteer_name, need_title, case_title, url |
| match_expired | volunteer | need_title, case_title, url |
| match_cancelled | volunteer or staff | need_title, case_title, need_starts_at, timezone, cancelled_by, reason, url |
| matches_digest | charity staff | need_title, case_title, match_count, url (use `notify_digest`) |
| match_waiting | charity staff | need_title, case_title, waiting_count, url |
| need_reminder | volunteer | need_title, case_title, need_starts_at, timezone, location_text, url (`notify_reminder`) |
| need_time_changed | volunteer | need_title, case_title, old_starts_at, need_starts_at, need_ends_at, timezone, url |
| case_update | followers, matched volunteers | case_title, update_text, url |
| case_outcome | everyone who helped | case_title, outcome_text, url |
| case_handover | both staffs, told volunteers | case_title, from_charity_name, to_charity_name, accepted, url |
| report_status | reporter (address) | tracking_code, status (approved, rejected, duplicate), reason, url |
| report_claimable | charity staff | region_name, summary, url |
| charity_status | charity owner | charity_name, status (verified, rejected), reason, url |
| staff_invited | invited person | charity_name, inviter_name, url |
| moderation_summary | moderators | pending_count, oldest_pending_at, url |
| attendance_reminder | charity staff | need_title, case_title, need_starts_at, timezone, unmarked_count, url |
| hours_requested | charity staff | volunteer_name, minutes, date, url |
| hours_decided | volunteer | charity_name, status (approved, declined), reason, minutes, url |
| account_email | anyone | subject, body, html (rendered by django-allauth) |
| phone_code | the person proving a number | sealed_code (`notifications.phones`), recorded on that channel only |
| channel_reply | who wrote to us on WhatsApp or SMS | text (already in their language) |

Channels: email, in-app and push (the installed app) for every kind; SMS when chosen;
WhatsApp for the kinds with an approved template, on by default for what a volunteer
must act on soon. SMS and WhatsApp go only to a verified number.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from notifications.models import Channel, Kind

# WhatsApp is offered only for kinds with an approved template (notifications/whatsapp.py):
# outside the 24-hour window nothing else may be sent there.
ALL = frozenset(Channel.values) - {Channel.WHATSAPP}
WITH_WHATSAPP = frozenset(Channel.values)
EMAIL_AND_APP = frozenset({Channel.EMAIL, Channel.IN_APP, Channel.PUSH})
# What a volunteer must act on soon reaches their verified WhatsApp unless they say otherwise.
URGENT_FOR_VOLUNTEERS = EMAIL_AND_APP | {Channel.WHATSAPP}
PHONES = frozenset({Channel.WHATSAPP, Channel.SMS})


@dataclass(frozen=True)
class KindSpec:
    title: str
    # Urgent kinds go out during quiet hours: they change what someone does soon.
    urgent: bool = False
    # Channels on when the person has said nothing.
    default_on: frozenset = EMAIL_AND_APP
    # Channels a person may choose; account messages cannot be turned off.
    channels: frozenset = ALL
    required: bool = False


KINDS: dict[str, KindSpec] = {
    Kind.ACCOUNT_EMAIL: KindSpec(
        _("Your account"),
        urgent=True,
        default_on=frozenset({Channel.EMAIL}),
        channels=frozenset({Channel.EMAIL}),
        required=True,
    ),
    Kind.MATCH_INVITED: KindSpec(
        _("You are invited to volunteer: %(need_title)s"), default_on=URGENT_FOR_VOLUNTEERS, channels=WITH_WHATSAPP
    ),
    Kind.MATCH_CONFIRMED: KindSpec(_("%(volunteer_name)s confirmed: %(need_title)s")),
    Kind.MATCH_DECLINED: KindSpec(_("%(volunteer_name)s declined: %(need_title)s")),
    Kind.MATCH_EXPIRED: KindSpec(_("Your invitation expired: %(need_title)s"), default_on=frozenset({Channel.IN_APP})),
    Kind.MATCH_CANCELLED: KindSpec(
        _("Cancelled: %(need_title)s"), urgent=True, default_on=URGENT_FOR_VOLUNTEERS, channels=WITH_WHATSAPP
    ),
    Kind.MATCHES_DIGEST: KindSpec(_("New volunteers to review: %(need_title)s")),
    Kind.MATCH_WAITING: KindSpec(_("Volunteers have waited a day for your review: %(need_title)s")),
    Kind.NEED_REMINDER: KindSpec(
        _("Reminder: %(need_title)s tomorrow"), default_on=URGENT_FOR_VOLUNTEERS, channels=WITH_WHATSAPP
    ),
    Kind.NEED_TIME_CHANGED: KindSpec(
        _("New time for %(need_title)s"), urgent=True, default_on=URGENT_FOR_VOLUNTEERS, channels=WITH_WHATSAPP
    ),
    Kind.CASE_UPDATE: KindSpec(_("News from %(case_title)s")),
    Kind.CASE_OUTCOME: KindSpec(_("What your help achieved: %(case_title)s"), channels=WITH_WHATSAPP),
    Kind.CASE_HANDOVER: KindSpec(_("%(case_title)s: a handover between organisations")),
    Kind.REPORT_STATUS: KindSpec(_("Your report %(tracking_code)s was reviewed")),
    Kind.REPORT_CLAIMABLE: KindSpec(_("A reported case in %(region_name)s needs a charity")),
    Kind.CHARITY_STATUS: KindSpec(_("Verification of %(charity_name)s")),
    Kind.STAFF_INVITED: KindSpec(_("Join %(charity_name)s on Volunteer Bank")),
    Kind.MODERATION_SUMMARY: KindSpec(
        ngettext_lazy(
            "Moderation queue: %(pending_count)s report waiting",
            "Moderation queue: %(pending_count)s reports waiting",
            "pending_count",
        )
    ),
    # Sent on the channel being proved or answered, whatever the preferences say.
    Kind.PHONE_CODE: KindSpec(
        _("Your verification code"), urgent=True, default_on=PHONES, channels=PHONES, required=True
    ),
    Kind.CHANNEL_REPLY: KindSpec(_("Our answer"), urgent=True, default_on=PHONES, channels=PHONES, required=True),
    Kind.ATTENDANCE_REMINDER: KindSpec(_("Who came? Mark attendance for %(need_title)s")),
    Kind.HOURS_REQUESTED: KindSpec(_("%(volunteer_name)s asks you to attest volunteer hours")),
    Kind.HOURS_DECIDED: KindSpec(_("Your hours request to %(charity_name)s was answered")),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


# Titles that name a volunteer agree with their gender in Arabic ("أكّدت منى مشاركتها");
# the context's `volunteer_gender` is "female", "male" or "unknown" (neutral wording).
GENDERED_TITLES = {
    Kind.MATCH_CONFIRMED: {
        "female": pgettext_lazy("female", "%(volunteer_name)s confirmed: %(need_title)s"),
        "male": pgettext_lazy("male", "%(volunteer_name)s confirmed: %(need_title)s"),
        "unknown": pgettext_lazy("unknown", "%(volunteer_name)s confirmed: %(need_title)s"),
    },
    Kind.MATCH_DECLINED: {
        "female": pgettext_lazy("female", "%(volunteer_name)s declined: %(need_title)s"),
        "male": pgettext_lazy("male", "%(volunteer_name)s declined: %(need_title)s"),
        "unknown": pgettext_lazy("unknown", "%(volunteer_name)s declined: %(need_title)s"),
    },
}


def title_for(notification) -> str:
    """The subject line and the in-app headline, in the active language."""
    if notification.kind == Kind.ACCOUNT_EMAIL:
        return notification.context.get("subject", "") or str(KINDS[Kind.ACCOUNT_EMAIL].title)
    title = KINDS[notification.kind].title
    if notification.kind in GENDERED_TITLES:
        gender = notification.context.get("volunteer_gender") or "unknown"
        title = GENDERED_TITLES[notification.kind].get(gender, GENDERED_TITLES[notification.kind]["unknown"])
    # a title with a count is an ngettext_lazy keyed by that count (Arabic has six forms)
    return str(title % _Blank(notification.context))


def default_enabled(kind: str, channel: str) -> bool:
    return channel in KINDS[kind].default_on


def is_choosable(kind: str, channel: str) -> bool:
    spec = KINDS[kind]
    return channel in spec.channels and not spec.required

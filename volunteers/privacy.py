"""A person's right to see and to erase what we store about them (Saudi PDPL,
Egypt's Law 151/2020).

The export is a list of sections, each a function of the user returning
JSON-ready data; the deletion is a list of anonymisers. Other apps add theirs
(`export_section_register("matches", ...)`, `anonymiser_register(...)`) from
their AppConfig.ready(), so this module never imports them. `SECTIONS` is what
the privacy page and docs/api.md promise; a test holds the export to it.

Deletion runs every anonymiser (each empties its app's rows that belong to the
person), then `core.erasure.erase_everywhere` replaces the person's email and
phone in every text and JSON column, and their name wherever a JSON value is
that name (other people's notification contexts, webhook payloads, digests).
"""

import datetime as dt
import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.erasure import Identifiers, erase_everywhere
from core.errors import NotAllowed
from core.privacy import ANONYMISERS, EXPORT_SECTIONS, anonymiser_register, export_section_register
from notifications.models import EmailOptOut, InboundMessage, Kind, Notification, PhoneVerification, PushSubscription
from volunteers.models import AvailabilitySlot, GuardianConsent, VolunteerProfile


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _account(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _profile(user) -> dict | None:
    profile = (
        VolunteerProfile.objects.select_related("region")
        .prefetch_related("activity_types", "skills")
        .filter(user=user)
        .first()
    )
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "phone": profile.phone,
        "sms_number": profile.sms_number,
        "whatsapp_number": profile.whatsapp_number,
        "region": profile.region.code,
        "location": ({"lat": profile.latitude, "lon": profile.longitude} if profile.latitude is not None else None),
        "activity_types": [a.slug for a in profile.activity_types.all()],
        "skills": [s.slug for s in profile.skills.all()],
        "languages": profile.languages,
        "gender": profile.gender,
        "birth_date": _iso(profile.birth_date),
        "guardian_consented_at": _iso(profile.guardian_consented_at),
        "max_hours_per_week": profile.max_hours_per_week,
        "paused_until": _iso(profile.paused_until),
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
    }


def _guardian(user) -> dict | None:
    consent = GuardianConsent.objects.filter(volunteer__user=user).first()
    if consent is None:
        return None
    return {
        "email": consent.email,
        "status": consent.status,
        "requested_at": _iso(consent.requested_at),
        "confirmed_at": _iso(consent.confirmed_at),
        "withdrawn_at": _iso(consent.withdrawn_at),
    }


def _availability(user) -> list[dict]:
    return [
        {
            "kind": slot.kind,
            "weekday": slot.weekday if slot.date is None else None,
            "date": _iso(slot.date),
            "start": slot.start_text,
            "end": slot.end_text,
            "timezone": slot.timezone,
        }
        for slot in AvailabilitySlot.objects.filter(volunteer__user=user).order_by("kind", "date", "weekday", "start")
    ]


def _notifications(user) -> list[dict]:
    rows = Notification.objects.filter(Q(recipient=user) | Q(address__iexact=user.email)).order_by("created_at", "pk")
    return [
        {
            "kind": row.kind,
            "channel": row.channel,
            "status": row.status,
            # an account email's body holds live links (password reset): the subject is enough
            "context": {"subject": row.context.get("subject", "")} if row.kind == Kind.ACCOUNT_EMAIL else row.context,
            "created_at": _iso(row.created_at),
            "sent_at": _iso(row.sent_at),
            "read_at": _iso(row.read_at),
        }
        for row in rows
    ]


# Every section the export promises (the privacy page lists them); other apps register theirs.
SECTIONS = {
    "account": _("your account: email, names, language, dates"),
    "volunteer_profile": _("your volunteer profile"),
    "guardian": _("your guardian's consent"),
    "availability": _("your free time"),
    "notifications": _("messages we sent you"),
    "matches": _("invitations and commitments"),
    "reports_filed": _("cases you reported"),
    "follows": _("cases you follow"),
    "memberships": _("organisations you work for"),
    "calendar_feed": _("your calendar link"),
    "hours": _("your volunteer hours and certificates"),
    "verified_phones": _("your verified phone numbers"),
}


def _phones(user) -> list[dict]:
    return [
        {"channel": row.channel, "verified_number": row.verified_number, "verified_at": _iso(row.verified_at)}
        for row in PhoneVerification.objects.filter(user=user).exclude(verified_number="")
    ]


for _name, _section in (
    ("account", _account),
    ("volunteer_profile", _profile),
    ("guardian", _guardian),
    ("availability", _availability),
    ("notifications", _notifications),
    ("verified_phones", _phones),
):
    export_section_register(_name, _section)


def account_export(*, user) -> dict:
    """Everything stored about `user`, as JSON-ready data, one key per section."""
    return {"exported_at": timezone.now().isoformat(), **{name: section(user) for name, section in EXPORT_SECTIONS}}


def _anonymise_volunteer(user) -> None:
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        return
    profile.slots.all().delete()
    profile.activity_types.clear()
    profile.skills.clear()
    guardian = GuardianConsent.objects.filter(volunteer=profile).first()
    if guardian is not None:
        # The link mailed to the guardian names the minor: its row goes with the consent.
        Notification.objects.filter(kind=Kind.ACCOUNT_EMAIL, address__iexact=guardian.email).update(
            address="", context={}
        )
        guardian.delete()
    VolunteerProfile.objects.filter(pk=profile.pk).update(
        display_name="",
        phone="",
        sms_number="",
        whatsapp_number="",
        latitude=None,
        longitude=None,
        activity_mask=0,
        skill_mask=0,
        languages=[],
        gender="",
        birth_date=None,
        guardian_consented_at=None,
        max_hours_per_week=None,
        paused_until=None,
        anonymised_at=timezone.now(),
    )


def _anonymise_notifications(user) -> None:
    mine = Notification.objects.filter(Q(recipient=user) | Q(address__iexact=user.email))
    # A row sent to the bare address keys it by the address's digest, which anyone
    # holding the address could recompute: it gets a key of its own id instead.
    mine.filter(recipient__isnull=True).update(idempotency_key=Concat(Value("erased:"), Cast("pk", CharField())))
    mine.update(address="", context={})
    EmailOptOut.objects.filter(address__iexact=user.email).delete()
    # Proved numbers, browsers and what the person wrote to us on WhatsApp or SMS go too.
    PhoneVerification.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    InboundMessage.objects.filter(user=user).update(sender="", text="")


anonymiser_register(_anonymise_volunteer)
anonymiser_register(_anonymise_notifications)
__all__ = ["account_delete", "account_export", "anonymiser_register", "export_section_register"]


def recently_signed_in(request) -> bool:
    """Whether the session behind this request (the app's session token, or the
    browser's) signed in or reauthenticated (allauth's
    `/_allauth/app/v1/auth/reauthenticate`) within ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    from allauth.account import app_settings as allauth_settings
    from allauth.account.internal.flows.login import get_authentication_records
    from django.contrib.sessions.backends.base import SessionBase

    session = request.auth if isinstance(getattr(request, "auth", None), SessionBase) else request.session
    holder = type("SessionHolder", (), {"session": session})()
    records = get_authentication_records(holder, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < allauth_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_check(request, *, password: str | None) -> None:
    """Deleting an account asks who is there: the password again, or (the API) a
    session that signed in moments ago. Raises NotAllowed saying which."""
    if password:
        if not request.user.check_password(password):
            raise NotAllowed(_("The password is not right."), field="password")
        return
    if not recently_signed_in(request):
        raise NotAllowed(_("Enter your password again (or sign in again) to delete your account."), field="password")


def _identifiers(user) -> Identifiers:
    """Read before anything is emptied: what the final sweep looks for."""
    found = Identifiers()
    found.add_email(user.email)
    found.add_name(user.get_full_name())
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is not None:
        found.add_name(profile.display_name)
        for phone in (profile.phone, profile.sms_number, profile.whatsapp_number):
            found.add_phone(phone)
    return found


def account_delete(*, user) -> None:
    """Erase a person while keeping the counts others rely on: the rows stay
    (a profile, its notifications, whatever other apps keep), emptied of names,
    contact details and free text; free time is deleted; the account can no
    longer sign in (email replaced, password unusable, inactive). Runs every
    registered anonymiser, then the sweep of every text and JSON column
    (`core.erasure`), in one transaction; repeating it changes nothing."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = get_user_model().objects.select_for_update(no_key=True).get(pk=user.pk)
        identifiers = _identifiers(user)
        for anonymiser in ANONYMISERS:
            anonymiser(user)
        EmailAddress.objects.filter(user=user).delete()
        user.email = user.username = f"deleted-{user.pk}@deleted.invalid"
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save(
            update_fields=[
                "email",
                "username",
                "first_name",
                "last_name",
                "is_active",
                "is_staff",
                "is_superuser",
                "password",
            ]
        )
        erase_everywhere(identifiers)

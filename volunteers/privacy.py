"""A person's right to see and to erase what we store about them.

The export is a list of sections, each a function of the user returning
JSON-ready data; the deletion is a list of anonymisers. Other apps add theirs
(`export_section_register("matches", ...)`, `anonymiser_register(...)`) from
their AppConfig.ready(), so this module never imports them.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import InboundMessage, Kind, Notification, PhoneVerification, PushSubscription
from volunteers.models import AvailabilitySlot, VolunteerProfile

ExportSection = Callable[[Any], Any]
Anonymiser = Callable[[Any], None]


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
        "guardian_consent": profile.guardian_consent,
        "max_hours_per_week": profile.max_hours_per_week,
        "paused_until": _iso(profile.paused_until),
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
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


def _phones(user) -> list[dict]:
    return [
        {"channel": row.channel, "verified_number": row.verified_number, "verified_at": _iso(row.verified_at)}
        for row in PhoneVerification.objects.filter(user=user).exclude(verified_number="")
    ]


EXPORT_SECTIONS: list[tuple[str, ExportSection]] = [
    ("account", _account),
    ("volunteer_profile", _profile),
    ("availability", _availability),
    ("notifications", _notifications),
    ("verified_phones", _phones),
]


def export_section_register(name: str, section: ExportSection) -> None:
    """Add a section to every export (idempotent by name)."""
    EXPORT_SECTIONS[:] = [(n, s) for n, s in EXPORT_SECTIONS if n != name]
    EXPORT_SECTIONS.append((name, section))


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
        guardian_consent=False,
        max_hours_per_week=None,
        paused_until=None,
        anonymised_at=timezone.now(),
    )


def _anonymise_notifications(user) -> None:
    Notification.objects.filter(Q(recipient=user) | Q(address__iexact=user.email)).update(address="", context={})
    # Proved numbers, browsers and what the person wrote to us on WhatsApp or SMS go too.
    PhoneVerification.objects.filter(user=user).delete()
    PushSubscription.objects.filter(user=user).delete()
    InboundMessage.objects.filter(user=user).update(sender="", text="")


ANONYMISERS: list[Anonymiser] = [_anonymise_volunteer, _anonymise_notifications]


def anonymiser_register(anonymiser: Anonymiser) -> None:
    if anonymiser not in ANONYMISERS:
        ANONYMISERS.append(anonymiser)


def account_delete(*, user) -> None:
    """Erase a person while keeping the counts others rely on: the rows stay
    (a profile, its notifications, whatever other apps keep), emptied of names,
    contact details and free text; free time is deleted; the account can no
    longer sign in (email replaced, password unusable, inactive). Runs every
    registered anonymiser in one transaction; repeating it changes nothing."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
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

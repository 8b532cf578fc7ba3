"""A guardian's consent for a volunteer under 18.

A box the minor ticks is not consent. The minor names a parent's or guardian's
email (`guardian_request`); the guardian gets a signed link
(`django.core.signing`, valid `GUARDIAN_LINK_DAYS`) to a page, in Arabic or
English, that says what the child will do and how to withdraw; the guardian
confirms with a POST (mail scanners follow GET links). Withdrawing uses the same
link and never expires, so a guardian can always take consent back. Until a
guardian confirms, the minor's slots are not matchable and every matching path
(the ranking's index and list paths, an offer, an accept) refuses them.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import InvalidInput, StateConflict
from notifications.models import Kind
from notifications.services import key_digest, notification_record
from volunteers.models import GuardianConsent, VolunteerProfile, adult_born_by

SALT = "volunteers.guardian"


class LinkInvalid(Exception):
    """The link was altered, replaced by a newer request, or (to confirm) expired."""


def link_max_age() -> int:
    return settings.GUARDIAN_LINK_DAYS * 24 * 3600


def guardian_token(consent: GuardianConsent) -> str:
    return signing.dumps({"c": consent.pk, "n": consent.nonce}, salt=SALT)


def guardian_url(consent: GuardianConsent) -> str:
    with translation.override(consent.language):
        path = reverse("volunteers:guardian-answer", args=[guardian_token(consent)])
    return settings.SITE_URL.rstrip("/") + path


def guardian_consent_for_token(token: str, *, to_confirm: bool) -> GuardianConsent:
    """The consent a link stands for. Confirming needs a link younger than
    GUARDIAN_LINK_DAYS; withdrawing accepts any link that is still the latest."""
    try:
        data = signing.loads(token, salt=SALT, max_age=link_max_age() if to_confirm else None)
    except signing.SignatureExpired:
        raise LinkInvalid(_("This link has expired. Ask the volunteer to send a new one.")) from None
    except signing.BadSignature:
        raise LinkInvalid(_("This link is not valid.")) from None
    consent = (
        GuardianConsent.objects.select_related("volunteer__user", "volunteer__region")
        .filter(pk=data.get("c") if isinstance(data, dict) else None)
        .first()
    )
    if consent is None or not secrets.compare_digest(consent.nonce, str(data.get("n", ""))):
        raise LinkInvalid(_("This link is no longer valid: a newer one was sent."))
    return consent


def _send(consent: GuardianConsent, profile: VolunteerProfile) -> None:
    """The email goes through the outbox as an account message: it holds a live
    link, so its body is blanked once sent and never shown in the admin."""
    with translation.override(consent.language):
        context = {"name": profile.display_name, "url": guardian_url(consent), "days": settings.GUARDIAN_LINK_DAYS}
        subject = " ".join(render_to_string("volunteers/email/guardian_subject.txt", context).split())
        body = render_to_string("volunteers/email/guardian_message.txt", context)
    notification_record(
        kind=Kind.ACCOUNT_EMAIL,
        event_key=f"guardian:{consent.pk}:{key_digest(consent.nonce)}",
        context={"subject": subject, "body": body, "html": None},
        address=consent.email,
        language=consent.language,
    )


def _set_matchable(profile: VolunteerProfile, consented_at) -> None:
    profile.guardian_consented_at = consented_at
    profile.save(update_fields=["guardian_consented_at", "updated_at"])
    profile.slots.update(matchable=profile.is_matchable)


def guardian_request(*, user, email: str, language: str | None = None) -> GuardianConsent:
    """A minor names their guardian's email: any earlier answer is replaced (a
    new address must consent afresh), the minor stops being matchable until the
    new guardian confirms, and the guardian is sent a signed link. Raises
    InvalidInput (`email`) for a bad address or the minor's own, and
    StateConflict when the person is not a minor or has no profile."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except Exception:
        raise InvalidInput(_("Enter a valid email address."), field="email") from None
    if email == user.email.lower():
        raise InvalidInput(_("Give a parent's or guardian's email, not your own."), field="email")
    now = timezone.now()
    with transaction.atomic():
        profile = (
            VolunteerProfile.objects.select_for_update(no_key=True, of=("self",))
            .select_related("user")
            .filter(user=user)
            .first()
        )
        if profile is None or profile.anonymised_at:
            raise StateConflict(_("Create your volunteer profile first."))
        if not profile.is_minor:
            raise StateConflict(_("Only volunteers under 18 need a guardian's consent."))
        consent = GuardianConsent.objects.filter(volunteer=profile).first() or GuardianConsent(volunteer=profile)
        consent.email = email
        consent.nonce = secrets.token_hex(16)
        consent.language = (language or translation.get_language() or "ar")[:2]
        consent.requested_at, consent.confirmed_at, consent.withdrawn_at = now, None, None
        consent.save()
        _set_matchable(profile, None)
        _send(consent, profile)
    return consent


def guardian_confirm(*, token: str) -> GuardianConsent:
    """The guardian agrees: consent is recorded with its time and the minor's
    slots become matchable. Repeating it keeps the first time. Raises LinkInvalid."""
    consent = guardian_consent_for_token(token, to_confirm=True)
    with transaction.atomic():
        profile = (
            VolunteerProfile.objects.select_for_update(no_key=True, of=("self",))
            .select_related("user")
            .get(pk=consent.volunteer_id)
        )
        consent = GuardianConsent.objects.select_for_update(no_key=True).get(pk=consent.pk)
        if consent.withdrawn_at:
            raise StateConflict(_("You withdrew this consent. Ask the volunteer to send a new link."))
        if consent.confirmed_at is None:
            consent.confirmed_at = timezone.now()
            consent.save(update_fields=["confirmed_at"])
            _set_matchable(profile, consent.confirmed_at)
    return consent


def guardian_withdraw(*, token: str) -> GuardianConsent:
    """The guardian takes consent back: the minor is no longer matchable (open
    invitations can no longer be accepted). Idempotent. Raises LinkInvalid."""
    consent = guardian_consent_for_token(token, to_confirm=False)
    with transaction.atomic():
        profile = (
            VolunteerProfile.objects.select_for_update(no_key=True, of=("self",))
            .select_related("user")
            .get(pk=consent.volunteer_id)
        )
        consent = GuardianConsent.objects.select_for_update(no_key=True).get(pk=consent.pk)
        if consent.withdrawn_at is None:
            consent.withdrawn_at = timezone.now()
            consent.save(update_fields=["withdrawn_at"])
            _set_matchable(profile, None)
    return consent


def volunteer_adults_refresh(*, today=None) -> int:
    """Slots of volunteers who have turned 18 become matchable (the daily task):
    the flag on the slots is a copy of a rule that depends on the date. Returns
    how many profiles changed."""
    today = today or timezone.localdate()
    profiles = VolunteerProfile.objects.filter(
        anonymised_at__isnull=True,
        user__is_active=True,
        birth_date__lte=adult_born_by(today),
        slots__matchable=False,
    ).distinct()
    changed = 0
    for profile in profiles.select_related("user"):
        with transaction.atomic():
            if profile.is_matchable:
                profile.slots.filter(matchable=False).update(matchable=True)
                changed += 1
    return changed

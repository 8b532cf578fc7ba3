"""Writes about charities: registration, staff invitations.

Verification and rejection are moderation actions and live with the moderation
queue (`cases.services.moderation`), which keeps the audit log.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from charities.images import image_clean
from charities.models import Charity, Membership, StaffInvitation
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.models import ActivityType, Region
from core.text import ascii_digits
from notifications.models import Kind
from notifications.services import notify


def charity_register(
    *,
    user,
    name_ar: str,
    country: str,
    license_number: str,
    regions: list[Region],
    activity_types: list[ActivityType] = (),
    name_en: str = "",
    description: str = "",
    logo=None,
    facebook_url: str = "",
    x_url: str = "",
    whatsapp: str = "",
    website: str = "",
) -> Charity:
    """Register an organisation as pending, with the caller as its owner.
    Raises InvalidInput for a missing name or licence, regions outside the country,
    or a licence number already registered in that country."""
    name_ar, license_number = name_ar.strip(), ascii_digits(license_number.strip())
    if not name_ar:
        raise InvalidInput(_("Enter the organisation's name."), field="name")
    if not license_number:
        raise InvalidInput(_("Enter the licence number."), field="license_number")
    if not regions:
        raise InvalidInput(_("Choose at least one region you serve."), field="regions")
    if any(region.country != country for region in regions):
        raise InvalidInput(_("Every region served must be in the organisation's country."), field="regions")
    if Charity.objects.filter(country=country, license_number=license_number).exists():
        raise InvalidInput(_("An organisation with this licence number is already registered."), field="license_number")
    logo_file = image_clean(logo, field="logo") if logo else None
    with transaction.atomic():
        charity = Charity(
            name_ar=name_ar,
            name_en=name_en.strip(),
            country=country,
            license_number=license_number,
            description=description.strip(),
            facebook_url=facebook_url,
            x_url=x_url,
            whatsapp=ascii_digits(whatsapp).strip(),
            website=website,
        )
        if logo_file:
            charity.logo.save(logo_file.name, logo_file, save=False)
        charity.save()
        charity.regions.set(regions)
        charity.activity_types.set(activity_types)
        Membership.objects.create(charity=charity, user=user, role=Membership.Role.OWNER)
    return charity


def charity_logo_set(*, charity: Charity, user, logo) -> Charity:
    """Replace the organisation's logo (the API's multipart step after
    `charity_register`). Only its staff (NotAllowed); InvalidInput naming `logo` for no
    file or one that is not an image."""
    if not Membership.objects.filter(charity=charity, user=user).exists():
        raise NotAllowed(_("Only this organisation's staff may do this."))
    if not logo:
        raise InvalidInput(_("Attach the logo."), field="logo")
    logo_file = image_clean(logo, field="logo")
    with transaction.atomic():
        charity.logo.save(logo_file.name, logo_file, save=False)
        charity.save(update_fields=["logo"])
    return charity


def staff_invite(
    *, charity: Charity, invited_by, email: str, role: str = Membership.Role.COORDINATOR
) -> StaffInvitation:
    """The owner invites someone by email; the invitation is mailed through the outbox.
    Raises NotAllowed unless `invited_by` owns the charity, InvalidInput for someone already on staff."""
    if not Membership.objects.filter(charity=charity, user=invited_by, role=Membership.Role.OWNER).exists():
        raise NotAllowed(_("Only the organisation's owner invites staff."))
    email = email.strip().lower()
    if not email:
        raise InvalidInput(_("Enter an email address."), field="email")
    if Membership.objects.filter(charity=charity, user__email__iexact=email).exists():
        raise InvalidInput(_("This person is already on the staff."), field="email")
    with transaction.atomic():
        invitation = StaffInvitation.objects.create(charity=charity, email=email, role=role, invited_by=invited_by)
        notify(
            kind=Kind.STAFF_INVITED,
            event_key=f"invitation:{invitation.pk}",
            context={
                "charity_id": charity.pk,
                "charity_name": charity.name_ar,
                "inviter_name": invited_by.get_full_name() or invited_by.email,
                "url": f"/charities/invitations/{invitation.token}/",
            },
            address=email,
        )
    return invitation


def staff_invitation_accept(*, invitation: StaffInvitation, user) -> Membership:
    """Join the charity. Only the invited email may accept, once."""
    if user.email.lower() != invitation.email.lower():
        raise NotAllowed(_("This invitation was sent to another email address."))
    with transaction.atomic():
        claimed = StaffInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not claimed:
            raise StateConflict(_("This invitation was already used."))
        membership, _created = Membership.objects.get_or_create(
            charity=invitation.charity, user=user, defaults={"role": invitation.role}
        )
    return membership

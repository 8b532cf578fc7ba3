"""Charities' part of a person's export and erasure (see `volunteers.privacy`)."""

from charities.models import StaffInvitation
from charities.selectors import staff_memberships


def memberships_export(user) -> list[dict]:
    rows = staff_memberships(user).select_related("charity").order_by("created_at")
    return [
        {"charity_id": m.charity_id, "charity": m.charity.name, "role": m.role, "since": m.created_at.isoformat()}
        for m in rows
    ]


def invitations_anonymise(user) -> None:
    """Invitations sent to the person's email are theirs: they go."""
    if user.email:
        StaffInvitation.objects.filter(email__iexact=user.email).delete()


def register() -> None:
    from core.privacy import anonymiser_register, export_section_register

    export_section_register("memberships", memberships_export)
    anonymiser_register(invitations_anonymise)

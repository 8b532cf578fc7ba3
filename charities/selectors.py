"""Reads about charities, and who may act for one."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from charities.models import Charity, Membership, StaffInvitation
from core.models import Region


def charity_list_verified() -> QuerySet[Charity]:
    return Charity.objects.filter(status=Charity.Status.VERIFIED).prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("code")), "activity_types"
    )


def charity_get_public(pk) -> Charity:
    """A verified charity's public profile; pending or rejected ones are not public."""
    try:
        return charity_list_verified().get(pk=pk)
    except (Charity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def charity_list_for_user(user) -> QuerySet[Charity]:
    """The charities a person works for (any status), owners first."""
    if not user.is_authenticated:
        return Charity.objects.none()
    return Charity.objects.filter(memberships__user=user).order_by("memberships__role", "name_ar")


def charity_get_for_staff(user, pk, *, owner_only: bool = False) -> Charity:
    """A charity the person works for (404 for anyone else)."""
    memberships = Membership.objects.filter(user=user) if user.is_authenticated else Membership.objects.none()
    if owner_only:
        memberships = memberships.filter(role=Membership.Role.OWNER)
    try:
        return Charity.objects.get(pk=pk, memberships__in=memberships)
    except (Charity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_role(user, charity: Charity) -> str | None:
    if not user.is_authenticated or charity is None:
        return None
    return Membership.objects.filter(user=user, charity=charity).values_list("role", flat=True).first()


def is_staff_of(user, charity: Charity | None) -> bool:
    return membership_role(user, charity) is not None


def staff_list(charity: Charity) -> QuerySet[Membership]:
    return charity.memberships.select_related("user").order_by("role", "created_at")


def invitation_get_by_token(token: str) -> StaffInvitation:
    try:
        return StaffInvitation.objects.select_related("charity").get(token=token, accepted_at__isnull=True)
    except StaffInvitation.DoesNotExist:
        raise Http404 from None


def membership_get_for_owner(owner, charity_pk, user_pk) -> Membership:
    """A staff membership of a charity `owner` owns (404 for anyone else, or no such member)."""
    charity = charity_get_for_staff(owner, charity_pk, owner_only=True)
    try:
        return Membership.objects.select_related("user").get(charity=charity, user_id=user_pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

"""Reads about charities, and who may act for one."""

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from charities.models import Charity, Membership, StaffInvitation
from core.models import Region

PUBLIC_CASE_STATUSES = ("open", "in_progress", "resolved")  # cases.Case.PUBLIC_STATUSES


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


def charity_public_cases(charity: Charity, *, limit: int = 30) -> list:
    """A verified charity's latest public cases for its profile, newest first, each with
    `need_count` for its card: two queries however many cases it has (the partial index
    `case_charity_public` gives the page). Cases are reached by name and reverse relation:
    charities never imports the cases app, which builds on it."""
    cases = list(
        charity.cases.filter(status__in=PUBLIC_CASE_STATUSES)
        .select_related("region")
        .order_by("-published_at", "-id")[:limit]
    )
    need_model = apps.get_model("cases", "Need")
    counts = dict(
        need_model.objects.filter(case_id__in=[case.pk for case in cases])
        .order_by()
        .values_list("case_id")
        .annotate(n=Count("id"))
    )
    for case in cases:
        case.charity = charity
        case.need_count = counts.get(case.pk, 0)
    return cases


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

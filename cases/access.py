"""Who may do what to cases and reports: the one place these rules live."""

from django.db.models import QuerySet

from cases.models import Case, ModeratorRegion
from charities import selectors as charity_selectors
from charities.models import Charity
from core.models import Region

MODERATE_PERMISSION = "cases.moderate"


def is_moderator(user) -> bool:
    """Superusers, and staff users granted the moderation permission."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(MODERATE_PERMISSION))


def moderator_regions(user) -> QuerySet[Region] | None:
    """The regions a moderator works in, or None for everywhere: superusers and
    moderators flagged `moderates_everywhere`. Everywhere is never implied: a
    moderator with no regions and no flag moderates nothing."""
    if user.is_superuser or getattr(user, "moderates_everywhere", False):
        return None
    return Region.objects.filter(pk__in=ModeratorRegion.objects.filter(user=user).values("region_id"))


def moderates_regions(user, region_ids) -> bool:
    """Whether a moderator works in every one of `region_ids` (a charity serving
    Cairo and Giza needs a moderator of both); an empty list needs everywhere."""
    if not is_moderator(user):
        return False
    regions = moderator_regions(user)
    if regions is None:
        return True
    wanted = set(region_ids)
    return bool(wanted) and wanted <= set(regions.values_list("pk", flat=True))


def moderates_region(user, region_id: int) -> bool:
    return moderates_regions(user, [region_id])


def staff_charity_ids(user) -> QuerySet:
    """The charities the person works for, as a subquery (`charities.selectors` decides)."""
    return charity_selectors.staff_charity_ids(user)


def can_manage_case(user, case: Case) -> bool:
    """Staff of the case's charity."""
    return charity_selectors.is_staff_of(user, case.charity_id)


def can_see_private(user, case: Case) -> bool:
    return can_manage_case(user, case) or moderates_region(user, case.region_id)


def can_claim_in_region(charity: Charity, region_id: int) -> bool:
    return charity.is_verified and charity.regions.filter(pk=region_id).exists()

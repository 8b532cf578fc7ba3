"""Reads about charities, and who may act for one."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from charities.models import Charity, Membership, StaffInvitation
from core import public_cache
from core.errors import NotAllowed
from core.models import Region

PUBLIC_CASE_STATUSES = ("open", "in_progress", "resolved")  # cases.Case.PUBLIC_STATUSES
CASE_CARD_TEMPLATE, CASE_CARD_FRAGMENT = "cases/_case_card.html", "case-card"  # as cases.cards names them


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


def _public_cases(charity: Charity):
    return charity.cases.filter(status__in=PUBLIC_CASE_STATUSES)


def _with_need_counts(charity: Charity, cases) -> list:
    """The cases, each with its charity and `need_count` for its card (one query), counted
    as `cases.selectors.case_cards` counts them: needs still to come, not called off."""
    cases = list(cases)
    need_model = apps.get_model("cases", "Need")
    counts = dict(
        need_model.objects.filter(
            case_id__in=[case.pk for case in cases], cancelled_at__isnull=True, ends_at__gt=timezone.now()
        )
        .order_by()
        .values_list("case_id")
        .annotate(n=Count("id"))
    )
    for case in cases:
        case.charity = charity
        case.need_count = counts.get(case.pk, 0)
    return cases


def charity_public_cases(charity: Charity, *, limit: int = 30) -> list:
    """A verified charity's latest public cases for its profile, newest first, each with
    `need_count` for its card: two queries however many cases it has (the partial index
    `case_charity_public` gives the page). Cases are reached by name and reverse relation:
    charities never imports the cases app, which builds on it."""
    return _with_need_counts(
        charity, _public_cases(charity).select_related("region").order_by("-published_at", "-id")[:limit]
    )


def _cards_render(cases) -> dict:
    """Each case's card, as `cases.cards.cards_render` renders it (the same fragment)."""
    template, cases_url = get_template(CASE_CARD_TEMPLATE), reverse("cases:list")
    return {case.pk: template.render({"case": case, "cases_url": cases_url}) for case in cases}


def _safe(cards) -> list:
    return [mark_safe(card) for card in cards]  # noqa: S308 (our own template's output, stored as rendered)


def charity_public_case_cards(charity: Charity, *, limit: int = 30) -> list[str]:
    """The cards of `charity_public_cases`, shared with the lists' (`cases.cards`): one
    query for the page's ids, the stored cards in one MGET, the missing ones loaded and
    rendered together. With fragments off, the rows are read and rendered as they are."""
    if not public_cache.fragments_on():
        return _safe(_cards_render(charity_public_cases(charity, limit=limit)).values())
    ids = _public_cases(charity).order_by("-published_at", "-id").values_list("pk", flat=True)[:limit]
    items = [(pk, public_cache.case_card_scopes(pk, charity.pk)) for pk in ids]

    def build(pks):
        cases = _public_cases(charity).filter(pk__in=pks).select_related("region")
        return _cards_render(_with_need_counts(charity, cases))

    return _safe(public_cache.fragments(CASE_CARD_FRAGMENT, items, build))


def charity_list_for_user(user) -> QuerySet[Charity]:
    """The charities a person works for (any status), owners first."""
    if not user.is_authenticated:
        return Charity.objects.none()
    return Charity.objects.filter(memberships__user=user).order_by("memberships__role", "name_ar")


# --- Who is on a charity's staff: the one chokepoint ----------------------------------------------
# Every "is this person on this charity's staff (with this role)" question in every app is
# answered here, so a rule such as "an expired membership no longer counts" changes in one place.


def staff_memberships(user, *, role: str | None = None) -> QuerySet[Membership]:
    """The person's memberships (of one role, when given); none for an anonymous visitor."""
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    memberships = Membership.objects.filter(user=user)
    return memberships.filter(role=role) if role else memberships


def staff_charity_ids(user, *, role: str | None = None) -> QuerySet:
    """The ids of the charities the person works for, as a subquery (`charity_id__in=`)."""
    return staff_memberships(user, role=role).values("charity_id")


def is_staff_of(user, charity: "Charity | int | None", *, role: str | None = None) -> bool:
    """Is the person on the charity's staff (as an owner, with `role=Membership.Role.OWNER`)?"""
    if charity is None or user is None or not user.is_authenticated:
        return False  # no query built for anonymous visitors, most readers of the public pages
    charity_id = charity if isinstance(charity, int) else charity.pk
    return staff_memberships(user, role=role).filter(charity_id=charity_id).exists()


def staff_require(user, charity: "Charity | int | None", *, role: str | None = None, message: str = "") -> None:
    """NotAllowed (403) unless the person is on the charity's staff (with that role)."""
    if not is_staff_of(user, charity, role=role):
        raise NotAllowed(message or _("Only this organisation's staff may do this."))


def staff_users(charity_id: int | None, *, role: str | None = None) -> QuerySet:
    """A charity's staff (of one role, when given) as users, a query `notify` reads once."""
    if role:
        return get_user_model().objects.filter(
            charity_memberships__charity_id=charity_id, charity_memberships__role=role
        )
    return get_user_model().objects.filter(charity_memberships__charity_id=charity_id)


def charity_get_for_staff(user, pk, *, owner_only: bool = False) -> Charity:
    """A charity the person works for (404 for anyone else)."""
    memberships = staff_memberships(user, role=Membership.Role.OWNER if owner_only else None)
    try:
        return Charity.objects.get(pk=pk, memberships__in=memberships)
    except (Charity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_role(user, charity: Charity) -> str | None:
    if charity is None:
        return None
    return staff_memberships(user).filter(charity=charity).values_list("role", flat=True).first()


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

"""Reads about cases, needs, updates and reports, with their access rules."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases import access, search
from cases.location import distance_km
from cases.models import AuditEntry, Case, CaseFollow, CaseHandover, CaseUpdate, Need, NeedSeries, Report
from cases.models.reports import tracking_code_normalize
from charities.models import Charity
from core.models import ActivityType, Region, Skill

NEARBY_KM = 1.0
OPEN_STATUSES = (Case.Status.OPEN, Case.Status.IN_PROGRESS)


def public_filter() -> Q:
    """What anyone may see: a public status, and no charity yet or a verified one."""
    return Q(status__in=Case.PUBLIC_STATUSES) & (Q(charity__isnull=True) | Q(charity__status=Charity.Status.VERIFIED))


def case_list_public(*, region: str = "", activity_type: str = "", q: str = "", statuses=None) -> QuerySet[Case]:
    """Open and in-progress cases of verified charities (and approved reports awaiting a charity),
    most urgent then newest first; resolved ones stay reachable on their page and the charity's.
    Filters: region code, activity type slug (of the case or any of its needs), free text.

    Cost does not grow with the table: the order is the partial index `case_listing`
    (`case_listing_region` with a region), so a page reads its own rows; an activity type is
    an EXISTS per row, not a join and DISTINCT; a search ranks at most `SEARCH_CANDIDATES`
    cases found through the text indexes (cases/search.py). Per-card figures come from
    `case_cards` for the page alone. Count with `core.paging.CappedPaginator`."""
    cases = Case.objects.filter(public_filter(), status__in=statuses or OPEN_STATUSES)
    # Codes become ids first, so the planner sees `region_id = 7` and walks its index.
    if region:
        region_id = Region.objects.filter(code=region).values_list("pk", flat=True).first()
        cases = cases.filter(region_id=region_id) if region_id else cases.none()
    if activity_type:
        type_id = ActivityType.objects.filter(slug=activity_type).values_list("pk", flat=True).first()
        of_a_need = Need.objects.filter(case_id=OuterRef("pk"), activity_type_id=type_id)
        cases = cases.filter(Q(activity_type_id=type_id) | Exists(of_a_need)) if type_id else cases.none()
    order = ("-urgency", "-published_at", "-id")
    if search.is_query(q):
        listed = set(statuses or OPEN_STATUSES) <= set(OPEN_STATUSES)
        cases = search.search_ranked(cases, q, candidates=settings.SEARCH_CANDIDATES, listed=listed)
        order = ("-search_rank", *order)
    return cases.select_related("charity", "region", "activity_type").order_by(*order)


def case_cards(cases) -> list[Case]:
    """The page's cases with what their cards show (`need_count`: needs still to come and
    not called off, so a weekly series' past days do not pile up), in one query for the
    page however long the list behind it. A need that ends bumps nothing: its card
    counts it until the cache's lifetime ends (PUBLIC_FRAGMENT_SECONDS)."""
    cases = list(cases)
    counts = dict(
        Need.objects.filter(
            case_id__in=[case.pk for case in cases], cancelled_at__isnull=True, ends_at__gt=timezone.now()
        )
        .order_by()
        .values_list("case_id")
        .annotate(n=Count("id"))
    )
    for case in cases:
        case.need_count = counts.get(case.pk, 0)
    return cases


def case_get_public(pk, *, user) -> Case:
    """A case as a visitor sees it: public ones for everyone; drafts and closed ones
    only for its charity's staff and moderators; 404 otherwise."""
    try:
        case = Case.objects.select_related("charity", "region", "activity_type").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if case.is_public or access.can_see_private(user, case):
        return case
    raise Http404


def case_get_for_staff(user, pk, *, for_update: bool = False) -> Case:
    """A case the person's charity owns (404 for anyone else, staff of other charities included)."""
    cases = Case.objects.select_related("charity", "region")
    if for_update:
        cases = cases.select_for_update(no_key=True, of=("self",))
    try:
        case = cases.get(pk=pk, charity_id__in=access.staff_charity_ids(user))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return case


def case_needs(case: Case) -> QuerySet[Need]:
    return case.needs.select_related("activity_type", "series").prefetch_related(
        Prefetch("skills", Skill.objects.all())
    )


def case_need_groups(case: Case) -> list[dict]:
    """The case's needs as the page shows them: a need alone, or a repeating need's
    days together (`series`, `needs`, `next`: the first day to come, not cancelled)."""
    needs = list(case_needs(case).select_related("series__activity_type"))
    groups, by_series = [], {}
    now = timezone.now()
    for need in needs:
        if need.series_id is None:
            groups.append({"series": None, "needs": [need], "next": need})
            continue
        group = by_series.get(need.series_id)
        if group is None:
            group = by_series[need.series_id] = {"series": need.series, "needs": [], "next": None}
            groups.append(group)
        group["needs"].append(need)
        if group["next"] is None and need.cancelled_at is None and need.starts_at > now:
            group["next"] = need
    return groups


def case_updates(case: Case) -> QuerySet[CaseUpdate]:
    return case.updates.prefetch_related("photos")


def case_update_get(case: Case, update_id) -> CaseUpdate:
    """One update of the case (404 for an update of another case)."""
    try:
        return case.updates.select_related("case").get(pk=update_id)
    except CaseUpdate.DoesNotExist:
        raise Http404 from None


def case_is_followed(case: Case, user) -> bool:
    return user.is_authenticated and CaseFollow.objects.filter(case=case, user=user).exists()


def case_list_for_charity(charity: Charity) -> QuerySet[Case]:
    return (
        charity.cases.select_related("region")
        .annotate(need_count=Count("needs", distinct=True), follower_count=Count("follows", distinct=True))
        .order_by("status", "-created_at")
    )


def case_list_claimable(charity: Charity) -> QuerySet[Case]:
    """Approved reports without a charity, in the regions the charity serves (nothing until it is verified)."""
    if not charity.is_verified:
        return Case.objects.none()
    return (
        Case.objects.filter(charity__isnull=True, status=Case.Status.OPEN, region__in=charity.regions.all())
        .select_related("region")
        .order_by("-urgency", "-published_at")
    )


def handover_list_incoming(charity: Charity) -> QuerySet[CaseHandover]:
    return CaseHandover.objects.filter(from_charity=charity, status=CaseHandover.Status.PENDING).select_related(
        "case", "to_charity"
    )


def report_find_by_code(code: str) -> Report | None:
    """The report a typed code means however it was typed (see `tracking_code_normalize`), or None."""
    normalized = tracking_code_normalize(code)
    return Report.objects.select_related("case", "region").filter(tracking_code=normalized).first()


def report_get_by_code(code: str) -> Report:
    report = report_find_by_code(code)
    if report is None:
        raise Http404
    return report


def _moderated(queryset: QuerySet, user, region_field: str = "region") -> QuerySet:
    if not access.is_moderator(user):
        return queryset.none()
    regions = access.moderator_regions(user)
    return queryset if regions is None else queryset.filter(**{f"{region_field}__in": regions})


def report_list_queue(user) -> QuerySet[Report]:
    """Pending reports a moderator may work, most urgent then oldest first."""
    reports = Report.objects.filter(status=Report.Status.PENDING_REVIEW)
    return (
        _moderated(reports, user)
        .annotate(likely_duplicate=_likely_duplicate())
        .select_related("region", "activity_type", "locked_by")
        .prefetch_related("photos")
        .order_by("-urgency", "created_at", "id")
    )


def report_queue_stats(user) -> dict:
    """How many reports wait in the moderator's regions and since when (one query):
    `{"pending_count": int, "oldest_pending_at": datetime | None}`."""
    reports = _moderated(Report.objects.filter(status=Report.Status.PENDING_REVIEW), user)
    return reports.aggregate(pending_count=Count("pk"), oldest_pending_at=Min("created_at"))


def moderator_list() -> QuerySet:
    """Everyone `access.is_moderator` accepts: active superusers, and active staff
    granted `cases.moderate` directly or through a group."""
    app_label, codename = access.MODERATE_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    granted = Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | (Q(is_staff=True) & granted)).distinct().order_by("pk")


def _likely_duplicate():
    """One SQL expression per queue row: another report in the region with the same phone,
    or (on PostgreSQL) a similar text. Kept in SQL so the queue's query count stays flat."""
    others = Report.objects.filter(region_id=OuterRef("region_id")).exclude(pk=OuterRef("pk"))
    others = others.exclude(status=Report.Status.REJECTED)
    same_phone = Exists(others.exclude(contact_phone="").filter(contact_phone=OuterRef("contact_phone")))
    similar = search.alike_exists(others, OuterRef("search_text"))
    return same_phone | similar if similar is not None else same_phone


def report_get_for_moderator(user, pk, *, for_update: bool = False) -> Report:
    reports = _moderated(Report.objects.select_related("region", "activity_type", "locked_by", "case"), user)
    if for_update:
        reports = reports.select_for_update(no_key=True, of=("self",))
    try:
        return reports.get(pk=pk)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _charities_moderated(user) -> QuerySet[Charity]:
    """Charities every region of which the moderator works in (verification
    vouches for the whole organisation, so one overlapping region is not enough)."""
    if not access.is_moderator(user):
        return Charity.objects.none()
    regions = access.moderator_regions(user)
    if regions is None:
        return Charity.objects.all()
    outside = Region.objects.exclude(pk__in=regions)
    return Charity.objects.filter(regions__in=regions).exclude(regions__in=outside).distinct()


def charity_list_pending(user) -> QuerySet[Charity]:
    charities = _charities_moderated(user).filter(status=Charity.Status.PENDING)
    return charities.prefetch_related("regions").order_by("created_at")


def charity_get_for_moderator(user, pk) -> Charity:
    """A charity every region of which the moderator works in (404 otherwise)."""
    if not access.is_moderator(user):
        raise Http404
    try:
        return _charities_moderated(user).get(pk=pk)
    except (Charity.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def audit_list(user) -> QuerySet[AuditEntry]:
    """The audit log of the moderator's regions: an entry shows when everything
    it names (report, case, charity) is within them."""
    if not access.is_moderator(user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "report", "charity", "case")
    regions = access.moderator_regions(user)
    if regions is None:
        return entries
    return entries.filter(
        Q(report__isnull=True) | Q(report__region__in=regions),
        Q(case__isnull=True) | Q(case__region__in=regions),
        Q(charity__isnull=True) | Q(charity__in=_charities_moderated(user)),
    ).exclude(report__isnull=True, case__isnull=True, charity__isnull=True)


@dataclass
class Duplicate:
    kind: str  # "report" or "case"
    obj: object
    reasons: list[str] = field(default_factory=list)


def report_duplicates(report: Report, *, limit: int = 5) -> list[Duplicate]:
    """Likely duplicates of a report in its region: the same phone, coordinates within 1 km,
    or similar Arabic-normalised text (trigram similarity on PostgreSQL)."""
    from django.utils.translation import gettext as _

    found: dict[tuple[str, int], Duplicate] = {}

    def add(kind, obj, reason):
        found.setdefault((kind, obj.pk), Duplicate(kind, obj)).reasons.append(reason)

    reports = (
        Report.objects.filter(region_id=report.region_id).exclude(pk=report.pk).exclude(status=Report.Status.REJECTED)
    )
    cases = Case.objects.filter(region_id=report.region_id).exclude(status=Case.Status.DRAFT)
    if report.case_id:
        cases = cases.exclude(pk=report.case_id)
    if report.contact_phone:
        for other in reports.filter(contact_phone=report.contact_phone)[:limit]:
            add("report", other, _("same phone number"))
    if report.latitude is not None and report.longitude is not None:
        box = {
            "latitude__range": (report.latitude - 0.01, report.latitude + 0.01),
            "longitude__range": (report.longitude - 0.012, report.longitude + 0.012),
        }
        for kind, rows in (("report", reports.filter(**box)[:50]), ("case", cases.filter(**box)[:50])):
            for other in rows:
                if distance_km((report.latitude, report.longitude), (other.latitude, other.longitude)) <= NEARBY_KM:
                    add(kind, other, _("less than 1 km away"))
    for kind, rows in (("report", reports), ("case", cases)):
        for other in search.alike(rows, report.search_text, limit=limit):
            add(kind, other, _("similar description"))
    return list(found.values())[:limit]


def lock_is_held(report: Report, user) -> bool:
    return report.locked_by_id == user.pk and report.locked_until is not None and report.locked_until > timezone.now()


def need_get_for_staff(user, pk) -> Need:
    try:
        return Need.objects.select_related("case__charity").get(
            pk=pk, case__charity_id__in=access.staff_charity_ids(user)
        )
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def series_get_for_staff(user, pk) -> NeedSeries:
    try:
        return NeedSeries.objects.select_related("case__charity", "region").get(
            pk=pk, case__charity_id__in=access.staff_charity_ids(user)
        )
    except (NeedSeries.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def handover_get_for_staff(user, pk) -> CaseHandover:
    """A handover request addressed to one of the person's charities."""
    try:
        return CaseHandover.objects.select_related("case").get(
            pk=pk, from_charity_id__in=access.staff_charity_ids(user)
        )
    except (CaseHandover.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_for_duplicate(pk) -> Case | None:
    """The case a moderator names as the original of a duplicate report (None if there is none)."""
    return Case.objects.exclude(status=Case.Status.DRAFT).filter(pk=pk).first() if pk else None


def case_reports_private(case: Case):
    """The approved reports a case came from: the reporter's own words, for the
    case's charity and moderators only (callers check `access.can_see_private`)."""
    return Report.objects.filter(case=case, status=Report.Status.APPROVED).order_by("created_at")

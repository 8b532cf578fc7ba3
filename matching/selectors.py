"""Reads about matches, with who may see them: the one place access is decided.

A charity's staff see the matches of their charity's needs; a volunteer sees
their own invitations and commitments. Anything else is a 404, so nobody learns
that someone else's match exists. Contact details travel only with a
confirmed match (`contact_visible`).
"""

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Need
from charities.models import Charity, Membership
from charities.selectors import charity_get_for_staff, is_staff_of, staff_charity_ids
from core import prepared
from core.models import Skill
from matching.models import Match

VOLUNTEER_STATUSES = (Match.Status.INVITED, Match.Status.CONFIRMED)


def _with_people(matches: QuerySet[Match]) -> QuerySet[Match]:
    return matches.select_related(
        "need__case__charity", "need__activity_type", "need__region", "volunteer__region", "volunteer__user"
    ).prefetch_related(Prefetch("volunteer__skills", Skill.objects.order_by("position")))


def statuses_from(raw: str) -> list[str]:
    """`?status=proposed,invited` → the known statuses named (unknown ones ignored)."""
    return [status for status in (raw or "").replace(" ", "").split(",") if status in Match.Status.values]


def match_list_for_charity(user, charity_pk, *, statuses=()) -> tuple[Charity, QuerySet[Match]]:
    """The matches of a charity its staff review, best first (404 for outsiders)."""
    charity = charity_get_for_staff(user, charity_pk)
    matches = Match.objects.filter(charity=charity)
    if statuses:
        matches = matches.filter(status__in=statuses)
    return charity, _with_people(matches).order_by("-score", "id")


def match_list_for_need(user, need: Need) -> QuerySet[Match]:
    """Every match of one need, for its charity's review section, best first."""
    if not is_staff_of(user, need.case.charity_id):
        raise Http404
    return _with_people(need.matches.all()).order_by("-score", "id")


def match_get_for_staff(user, pk) -> Match:
    """A match of a need of one of the person's charities, or 404."""
    try:
        return _with_people(Match.objects.filter(charity_id__in=staff_charity_ids(user))).get(pk=pk)
    except (Match.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def match_get_for_volunteer(user, pk) -> Match:
    """The person's own invitation or commitment (someone else's is a 404)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return _with_people(Match.objects.filter(volunteer__user=user).exclude(status=Match.Status.PROPOSED)).get(pk=pk)
    except (Match.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def match_list_for_volunteer(user, *, statuses=VOLUNTEER_STATUSES) -> QuerySet[Match]:
    """The person's invitations and commitments, soonest first. A proposal the
    charity has not approved yet stays invisible to the volunteer."""
    if not user.is_authenticated:
        return Match.objects.none()
    matches = Match.objects.filter(volunteer__user=user, status__in=statuses)
    return _with_people(matches).order_by("starts_at", "id")


def need_list_for_review(user, charity: Charity) -> QuerySet[Need]:
    """The charity's needs still worth reviewing: open cases, not started."""
    return (
        Need.objects.filter(
            case__charity=charity,
            case__status__in=(Case.Status.OPEN, Case.Status.IN_PROGRESS),
            ends_at__gt=timezone.now(),
        )
        .select_related("case", "activity_type", "region")
        .order_by("starts_at", "id")
    )


def need_get_open(pk) -> Need:
    """A need of a public case, for volunteers offering help (404 otherwise)."""
    try:
        need = Need.objects.select_related("case__charity", "region", "activity_type").get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not need.case.is_public:
        raise Http404
    return need


def contact_visible(match: Match) -> bool:
    """Contact details cross only once the volunteer has confirmed."""
    return match.status == Match.Status.CONFIRMED


def contact_people(needs) -> dict[int, object]:
    """{need id: the person confirmed volunteers contact}, in one query: the need's
    coordinator while they are on the charity's staff, else its first owner (never
    "whoever sorts first", never someone who has left)."""
    charity_ids = {need.case.charity_id for need in needs if need.case.charity_id}
    staff, owners = {}, {}
    memberships = (
        Membership.objects.filter(charity_id__in=charity_ids).select_related("user").order_by("created_at", "id")
        if charity_ids
        else []
    )
    for membership in memberships:
        staff[(membership.charity_id, membership.user_id)] = membership.user
        if membership.role == Membership.Role.OWNER:
            owners.setdefault(membership.charity_id, membership.user)
    people = {}
    for need in needs:
        charity_id = need.case.charity_id
        people[need.pk] = staff.get((charity_id, need.coordinator_id)) or owners.get(charity_id)
    return people


def charity_contacts(match: Match, person=...) -> dict:
    """What a confirmed volunteer sees of the charity: the need's coordinator
    (`contact_people`) and the charity's public WhatsApp and site."""
    charity = match.need.case.charity
    if person is ...:
        person = contact_people([match.need]).get(match.need.pk)
    return {
        "name": charity.name,
        "email": person.email if person else "",
        "whatsapp": charity.whatsapp,
        "website": charity.website,
    }


_NEED_COUNTS_SQL = """
SELECT COALESCE(SUM(CASE WHEN status IN (%(proposed)s, %(invited)s) THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN status = %(proposed)s THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN status = %(invited)s AND waitlisted_at IS NOT NULL THEN 1 ELSE 0 END), 0)
FROM matching_match WHERE need_id = %(need_id)s
"""


def need_match_counts(need_id: int) -> dict[str, int]:
    """A need's open matches (proposed or invited), proposals waiting for review
    and volunteers waiting for a place, in one pass over its index. Plain SQL:
    every matching run asks, and the ORM's aggregate cost more to build than to run."""
    params = {"proposed": Match.Status.PROPOSED, "invited": Match.Status.INVITED, "need_id": need_id}
    with connection.cursor() as cursor:
        prepared.execute(cursor, _NEED_COUNTS_SQL, params)
        open_, proposed, waitlisted = cursor.fetchone()
    return {"open": int(open_), "proposed": int(proposed), "waitlisted": int(waitlisted)}

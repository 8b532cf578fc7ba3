"""A case's life: creation by a charity's staff, edits, lifecycle, claim and handover."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access, common_words, hooks, location, search
from cases.models import AuditEntry, Case, CaseFollow, CaseHandover, CasePhoto, CaseStatusChange, Need, Urgency
from charities.images import image_clean, images_clean, photo_limit_message
from charities.models import Charity, Membership
from charities.selectors import staff_require, staff_users
from core import public_cache, rollups
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.models import ActivityType, Region
from notifications.models import Kind
from notifications.services import notify

MAX_PHOTOS = 5  # in one request
MAX_CASE_PHOTOS = 20


def _unverified_message(charity: Charity) -> str:
    if charity.status == Charity.Status.REJECTED:
        return _("Your organisation's registration was rejected, so it cannot publish cases: %(reason)s") % {
            "reason": charity.rejection_reason
        }
    return _("Your organisation is not verified yet, so it cannot publish cases. A moderator will review it soon.")


def _require_staff(user, charity: Charity | None) -> None:
    staff_require(user, charity)


def _set_location(case: Case, latitude, longitude) -> None:
    if latitude is None and longitude is None:
        case.latitude = case.longitude = case.public_latitude = case.public_longitude = None
        return
    if not location.validate(latitude, longitude):
        raise InvalidInput(_("Enter a valid latitude and longitude."), field="location")
    if (case.latitude, case.longitude) != (latitude, longitude):
        case.latitude, case.longitude = latitude, longitude
        case.public_latitude, case.public_longitude = location.blur(latitude, longitude)


def _record_status(case: Case, from_status: str, user, note: str = "") -> None:
    CaseStatusChange.objects.create(
        case=case, from_status=from_status, to_status=case.status, changed_by=user, note=note[:300]
    )


def case_create(
    *,
    user,
    charity: Charity,
    title: str,
    story: str,
    region: Region,
    activity_type: ActivityType | None = None,
    urgency: int = Urgency.NORMAL,
    private_details: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    cover_photo=None,
    photos=(),
    publish: bool = True,
) -> Case:
    """A charity's staff create a case, published at once or kept as a draft.
    Raises NotAllowed for anyone else, or for publishing while the charity is not
    verified (the message says why); InvalidInput for a missing title or story,
    a region the charity does not serve, bad coordinates or photos."""
    _require_staff(user, charity)
    if publish and not charity.is_verified:
        raise NotAllowed(_unverified_message(charity))
    title, story = title.strip(), story.strip()
    if not title:
        raise InvalidInput(_("Give the case a title."), field="title")
    if not story:
        raise InvalidInput(_("Tell the case's story."), field="description")
    if not charity.regions.filter(pk=region.pk).exists():
        raise InvalidInput(_("Your organisation does not serve this region."), field="region")
    cover = image_clean(cover_photo, field="cover_photo") if cover_photo else None
    extra = images_clean(photos, limit=MAX_PHOTOS)
    now = timezone.now()
    case = Case(
        charity=charity,
        title=title,
        story=story,
        region=region,
        activity_type=activity_type,
        urgency=urgency,
        private_details=private_details.strip(),
        status=Case.Status.OPEN if publish else Case.Status.DRAFT,
        published_at=now if publish else None,
        created_by=user,
        search_text=search.search_text(title, story),
    )
    _set_location(case, latitude, longitude)
    with transaction.atomic():
        if cover:
            case.cover_photo.save(cover.name, cover, save=False)
        case.save()
        common_words.case_saved(case)
        for photo in extra:
            CasePhoto(case=case).image.save(photo.name, photo)
        _record_status(case, "", user)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)
    return case


def case_photos_add(*, case: Case, user, photos=(), cover_photo=None) -> Case:
    """Add photos to a case, or replace its cover (the API's multipart step after
    `case_create`). Only its charity's staff (NotAllowed); InvalidInput naming the field
    for no file, more than MAX_CASE_PHOTOS in all, or a file that is not an image."""
    _require_staff(user, case.charity)
    photos = [p for p in photos if p]
    if not photos and not cover_photo:
        raise InvalidInput(_("Attach at least one photo."), field="photos")
    if case.photos.count() + len(photos) > MAX_CASE_PHOTOS:
        raise InvalidInput(photo_limit_message(MAX_CASE_PHOTOS), field="photos")
    cover = image_clean(cover_photo, field="cover_photo") if cover_photo else None
    extra = images_clean(photos, limit=MAX_PHOTOS)
    with transaction.atomic():
        if cover:
            case.cover_photo.save(cover.name, cover, save=False)
            case.save(update_fields=["cover_photo"])
        for photo in extra:
            CasePhoto(case=case).image.save(photo.name, photo)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)  # its cover is on its card
    return case


def case_edit(
    *,
    case: Case,
    user,
    title: str | None = None,
    story: str | None = None,
    private_details: str | None = None,
    urgency: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Case:
    """Change a case's text, urgency or place. Only its charity's staff; closed cases are frozen."""
    _require_staff(user, case.charity)
    if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        raise StateConflict(_("This case is finished and can no longer be edited."))
    changed = []
    for name, value in (("title", title), ("story", story), ("private_details", private_details)):
        if value is not None:
            value = value.strip()
            if name != "private_details" and not value:
                raise InvalidInput(_("This field cannot be empty."), field="description" if name == "story" else name)
            setattr(case, name, value)
            changed.append(name)
    if urgency is not None:
        case.urgency = urgency
        changed.append("urgency")
    if latitude is not None or longitude is not None:
        _set_location(case, latitude, longitude)
        changed += ["latitude", "longitude", "public_latitude", "public_longitude"]
    case.search_text = search.search_text(case.title, case.story)
    with transaction.atomic():
        case.save(update_fields=[*changed, "search_text", "updated_at"])
        common_words.case_saved(case)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)
    return case


def case_status_change(*, case: Case, user, to_status: str, note: str = "", as_platform: bool = False) -> Case:
    """Move a case along draft → open → in progress → resolved or closed, recording the change.
    Publishing needs a verified charity. Resolving or closing a published case tells
    its followers (volunteers included) what it achieved, and what it no longer
    needs is withdrawn in the same transaction (`hooks.CASE_FINISHED`: matching
    cancels open invitations and proposals and commitments not yet started, withdraws
    their reminders and tells the invited and confirmed volunteers). The case and its
    needs are locked first (the order of `matching.locks`). `as_platform=True` is the
    admin's action (the admin checks the permission; the transitions still apply)."""
    if not as_platform:
        _require_staff(user, case.charity)
    if to_status not in Case.TRANSITIONS.get(case.status, set()):
        raise StateConflict(
            _("A case that is %(from)s cannot become %(to)s.")
            % {
                "from": case.get_status_display(),
                "to": Case.Status(to_status).label if to_status in Case.Status else to_status,
            },
            field="status",
        )
    if to_status == Case.Status.OPEN and not case.charity.is_verified:
        raise NotAllowed(_unverified_message(case.charity))
    with transaction.atomic():
        locked, _needs = case_lock(case.pk)
        if to_status not in Case.TRANSITIONS.get(locked.status, set()):
            raise StateConflict(_("This case changed in the meantime: reload it and try again."), field="status")
        from_status = case.status = locked.status  # the caller's object stays the one returned
        case.status = to_status
        fields = ["status", "updated_at"]
        if to_status == Case.Status.OPEN and case.published_at is None:
            case.published_at = timezone.now()
            fields.append("published_at")
        case.save(update_fields=fields)
        common_words.case_saved(case)
        _record_status(case, from_status, user, note)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)
        if to_status in (Case.Status.RESOLVED, Case.Status.CLOSED):
            # Matching withdraws open invitations and proposals, future commitments and their reminders.
            hooks.run(hooks.CASE_FINISHED, case=case, user=user, now=timezone.now())
            rollups.charity_figures_changed(case.charity_id)
            if from_status != Case.Status.DRAFT:
                _tell_outcome(case, user, note)
    return case


def _tell_outcome(case: Case, user, note: str) -> None:
    """A case ends (resolved or closed, each final): everyone following it — those who
    followed and the volunteers confirmed for it, whom matching made followers —
    hears what it achieved: the closing note, else the latest achievement posted.
    One event per case, since a case ends once."""
    outcome = note.strip() or (
        case.updates.filter(is_achievement=True).order_by("-created_at", "-id").values_list("text", flat=True).first()
        or ""
    )
    followers = [f.user for f in CaseFollow.objects.filter(case=case).exclude(user=user).select_related("user")]
    notify(
        kind=Kind.CASE_OUTCOME,
        event_key=f"case:{case.pk}:outcome",
        context={
            "case_id": case.pk,
            "case_title": case.title,
            "status": case.status,
            "outcome_text": outcome[:1000],
            "url": f"/cases/{case.pk}/",
        },
        recipients=followers,
        charity_id=case.charity_id,
    )


def case_claim(*, case: Case, charity: Charity, user) -> Case:
    """A verified charity serving the case's region takes an approved report's case.
    Raises NotAllowed for non-staff, unverified charities or other regions;
    StateConflict when the case already has a charity (the second claim loses)."""
    _require_staff(user, charity)
    if not charity.is_verified:
        raise NotAllowed(_unverified_message(charity))
    if not access.can_claim_in_region(charity, case.region_id):
        raise NotAllowed(_("Your organisation does not serve this case's region."))
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case.pk, charity__isnull=True, status=Case.Status.OPEN).update(
            charity=charity, updated_at=timezone.now()
        )
        if not claimed:
            raise StateConflict(_("This case already belongs to an organisation."))
        case.refresh_from_db()
        CaseStatusChange.objects.create(
            case=case, from_status=case.status, to_status=case.status, changed_by=user, note=f"claimed by {charity.pk}"
        )
        public_cache.bump_case(case_id=case.pk, charity_id=charity.pk)
    return case


def case_handover_request(*, case: Case, charity: Charity, user, message: str = "") -> CaseHandover:
    """Another verified charity serving the region asks for the case; the holding
    charity's owners are told at once (and decide with `case_handover_decide`)."""
    _require_staff(user, charity)
    if case.charity_id is None:
        raise StateConflict(_("This case has no organisation yet: claim it instead."))
    if case.charity_id == charity.pk:
        raise StateConflict(_("This case already belongs to your organisation."))
    if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        raise StateConflict(_("This case is finished: it can no longer change hands."))
    if not access.can_claim_in_region(charity, case.region_id):
        raise NotAllowed(_("Your organisation does not serve this case's region."))
    if CaseHandover.objects.filter(case=case, to_charity=charity, status=CaseHandover.Status.PENDING).exists():
        raise StateConflict(_("You have already asked for this case."))
    with transaction.atomic():
        handover = CaseHandover.objects.create(
            case=case, from_charity=case.charity, to_charity=charity, requested_by=user, message=message.strip()[:500]
        )
        notify(  # the holder's owners decide; they hear of the request at once
            kind=Kind.CASE_HANDOVER,
            event_key=f"handover:{handover.pk}:requested",
            context={
                "case_id": case.pk,
                "handover_id": handover.pk,
                "case_title": case.title,
                "from_charity_name": case.charity.name_ar,
                "to_charity_name": charity.name_ar,
                "message": handover.message,
                "requested": True,
                "url": f"/dashboard/?charity={case.charity_id}",
            },
            recipients=staff_users(case.charity_id, role=Membership.Role.OWNER),
            charity_id=case.charity_id,
        )
    return handover


def case_lock(case_id: int) -> tuple[Case, list[Need]]:
    """The case, then its needs by id: the start of the lock order of `matching.locks`
    (volunteer, case, need, match). FOR NO KEY UPDATE, so rows that merely point at
    the case or a need (a new match, a follow) are never blocked by it."""
    case = Case.objects.select_for_update(no_key=True, of=("self",)).select_related("charity").get(pk=case_id)
    needs = list(Need.objects.select_for_update(no_key=True).filter(case_id=case_id).order_by("pk"))
    return case, needs


def _tell_handover(handover: CaseHandover, *, accepted: bool) -> None:
    """Both charities' staff (and their webhooks) hear how a request was decided."""
    context = {
        "case_id": handover.case_id,
        "handover_id": handover.pk,
        "case_title": handover.case.title,
        "from_charity_name": handover.from_charity.name_ar,
        "to_charity_name": handover.to_charity.name_ar,
        "accepted": accepted,
        "url": f"/cases/{handover.case_id}/",
    }
    for charity_id in (handover.from_charity_id, handover.to_charity_id):
        notify(
            kind=Kind.CASE_HANDOVER,
            event_key=f"handover:{handover.pk}:{'accepted' if accepted else 'declined'}",
            context=context,
            recipients=staff_users(charity_id),
            charity_id=charity_id,
        )


def case_handover_decide(*, handover: CaseHandover, user, accept: bool) -> CaseHandover:
    """The owner of the charity holding the case accepts (the case moves) or declines.

    Accepting moves everything that hangs off the case in one transaction: the
    case's charity, then whatever other apps connected to `hooks.CASE_HANDED_OVER`
    (matching moves its matches' copy of the charity, the waiting digests and the
    volunteers' reminders, and tells the invited and confirmed volunteers). Both
    charities are told either way; an accepted move is written to the audit log.
    Locks the case and its needs first (the order of `matching.locks`), so an
    approve or accept running at the same moment either finishes before the move
    or sees the new charity. NotAllowed for anyone but the holder's owner;
    StateConflict (409) when already decided, when the case changed hands, or when
    the asking charity may no longer take it."""
    staff_require(
        user,
        handover.from_charity_id,
        role=Membership.Role.OWNER,
        message=_("Only the owner of the organisation holding the case decides."),
    )
    now = timezone.now()
    with transaction.atomic():
        case, _needs = case_lock(handover.case_id)
        handover = (
            CaseHandover.objects.select_for_update(no_key=True, of=("self",))
            .select_related("from_charity", "to_charity", "case")
            .get(pk=handover.pk)
        )
        if handover.status != CaseHandover.Status.PENDING:
            raise StateConflict(_("This request was already decided."))
        if accept:
            if case.charity_id != handover.from_charity_id:
                raise StateConflict(_("This case changed hands in the meantime."))
            if not access.can_claim_in_region(handover.to_charity, case.region_id):
                raise StateConflict(_("The organisation asking can no longer take this case."))
        handover.status = CaseHandover.Status.ACCEPTED if accept else CaseHandover.Status.DECLINED
        handover.decided_by, handover.decided_at = user, now
        handover.save(update_fields=["status", "decided_by", "decided_at"])
        if accept:
            case.charity = handover.to_charity
            case.save(update_fields=["charity", "updated_at"])
            handover.case = case
            CaseStatusChange.objects.create(
                case=case,
                from_status=case.status,
                to_status=case.status,
                changed_by=user,
                note=f"handed over from {handover.from_charity_id} to {handover.to_charity_id}",
            )
            AuditEntry.objects.create(
                actor=user,
                action=AuditEntry.Action.CASE_HANDED_OVER,
                case=case,
                charity=handover.to_charity,
                note=f"from #{handover.from_charity_id} to #{handover.to_charity_id}",
            )
            hooks.run(
                hooks.CASE_HANDED_OVER,
                case=case,
                handover_id=handover.pk,
                from_charity_id=handover.from_charity_id,
                to_charity_id=handover.to_charity_id,
                user=user,
                now=now,
            )
            public_cache.bump_case(case_id=handover.case_id, charity_id=handover.from_charity_id)
            public_cache.bump(public_cache.charity_scope(handover.to_charity_id))
        _tell_handover(handover, accepted=accept)
    return handover

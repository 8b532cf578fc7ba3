"""A case's timeline and its followers."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseFollow, CaseUpdate, CaseUpdatePhoto
from charities.images import images_clean, photo_limit_message
from charities.selectors import staff_require
from core import public_cache
from core.errors import InvalidInput, StateConflict
from notifications.models import Kind
from notifications.services import notify

MAX_UPDATE_PHOTOS = 5


def case_update_post(*, case: Case, user, text: str, photos=(), is_achievement: bool = False) -> CaseUpdate:
    """Post progress on a case's timeline and tell everyone following it (followers and the
    volunteers confirmed for it, whom matching adds as followers), except the author.
    Only the case's charity staff; drafts have no public timeline yet."""
    staff_require(user, case.charity_id)
    if case.status == Case.Status.DRAFT:
        raise StateConflict(_("Publish the case before posting updates."))
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write what happened."), field="text")
    images = images_clean(photos)
    with transaction.atomic():
        update = CaseUpdate.objects.create(case=case, author=user, text=text, is_achievement=is_achievement)
        for image in images:
            CaseUpdatePhoto(update=update).image.save(image.name, image)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)
        recipients = [
            follow.user for follow in CaseFollow.objects.filter(case=case).exclude(user=user).select_related("user")
        ]
        notify(
            kind=Kind.CASE_UPDATE,
            event_key=f"case-update:{update.pk}",
            context={
                "case_id": case.pk,
                "update_id": update.pk,
                "case_title": case.title,
                "update_text": text[:500],
                "url": f"/cases/{case.pk}/",
            },
            recipients=recipients,
            charity_id=case.charity_id,
        )
    return update


def case_update_photos_add(*, update: CaseUpdate, user, photos) -> CaseUpdate:
    """Attach photos to a posted update (the API's multipart step after
    `case_update_post`). Only the case's charity staff (NotAllowed); InvalidInput naming
    `photos` for none, more than 5 on the update in all, or a file that is not an image."""
    case = update.case
    staff_require(user, case.charity_id)
    photos = [p for p in photos if p]
    if not photos:
        raise InvalidInput(_("Attach at least one photo."), field="photos")
    if update.photos.count() + len(photos) > MAX_UPDATE_PHOTOS:
        raise InvalidInput(photo_limit_message(MAX_UPDATE_PHOTOS), field="photos")
    images = images_clean(photos, limit=MAX_UPDATE_PHOTOS)
    with transaction.atomic():
        for image in images:
            CaseUpdatePhoto(update=update).image.save(image.name, image)
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)
    return update


def case_follow(*, case: Case, user, reason: str = CaseFollow.Reason.FOLLOWED) -> tuple[CaseFollow, bool]:
    """Follow a public case's updates. Following twice changes nothing; returns (follow, created).
    Matching calls it with reason=VOLUNTEERED when a volunteer is confirmed."""
    if not case.is_public:
        raise StateConflict(_("This case is not public."))
    try:
        with transaction.atomic():
            return CaseFollow.objects.get_or_create(case=case, user=user, defaults={"reason": reason})
    except IntegrityError:
        return CaseFollow.objects.get(case=case, user=user), False


def case_unfollow(*, case: Case, user) -> bool:
    """Stop following; True when there was something to stop."""
    with transaction.atomic():
        deleted, _count = CaseFollow.objects.filter(case=case, user=user).delete()
    return bool(deleted)

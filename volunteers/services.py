"""Writes for volunteers: the profile and free time.

Every change goes through here, from the web pages, the API and the demo data
alike. Each function validates first and writes in one transaction, so bad
input raises `core.errors.InvalidInput` naming the field and saves nothing.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.errors import InputProblems, InvalidInput, StateConflict
from core.models import ActivityType, Region, Skill
from core.queue import enqueue_named_on_commit
from core.text import ascii_digits
from volunteers.models import AvailabilitySlot, Gender, Language, SlotKind, VolunteerProfile, activity_bit
from volunteers.phones import phone_normalize
from volunteers.timewindows import merge_intervals, parse_time

MAX_SLOTS = 50
MAX_SLOT_MINUTES = 16 * 60
PROFILE_FIELDS = frozenset(
    {
        "display_name",
        "phone",
        "sms_number",
        "whatsapp_number",
        "region",
        "location",
        "activity_types",
        "skills",
        "languages",
        "gender",
        "birth_date",
        "max_hours_per_week",
        "paused_until",
    }
)
_COPIED_TO_SLOTS = (
    "region_id",
    "timezone",
    "activity_mask",
    "paused_until",
    "matchable",
    "skill_mask",
    "gender",
    "birth_date",
    "reliability",
)


def mask_for(items: Iterable[ActivityType | Skill]) -> int:
    mask = 0
    for item in items:
        mask |= activity_bit(item)
    return mask


def _queue_matching(profile: VolunteerProfile) -> None:
    """After commit, match this volunteer against open needs. Volunteers must not
    import matching, so its task is named; a lost message only delays matching
    until its periodic sweep."""
    enqueue_named_on_commit("matching.tasks.match_volunteer_task", profile.pk)


def _slot_copies(profile: VolunteerProfile) -> dict:
    return {
        "region_id": profile.region_id,
        "timezone": profile.region.timezone,
        "activity_mask": profile.activity_mask,
        "paused_until": profile.paused_until,
        "matchable": profile.is_matchable,
        "skill_mask": profile.skill_mask,
        "gender": profile.gender,
        "birth_date": profile.birth_date,
        "reliability": profile.reliability,
    }


def _date(value, *, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        parsed = parse_date(ascii_digits(str(value)).strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), field=field)
    return parsed


def _region(code) -> Region:
    if isinstance(code, Region):
        return code
    region = Region.objects.filter(code=str(code or "").strip().upper()).first()
    if region is None:
        raise InvalidInput(_("Unknown region: %(code)s.") % {"code": code}, field="region")
    return region


def _taxonomy(model, slugs, *, field: str) -> list:
    if slugs is None:
        slugs = []
    if isinstance(slugs, str) or not isinstance(slugs, Iterable):
        raise InvalidInput(_("Give a list."), field=field)
    slugs = [getattr(s, "slug", s) for s in slugs]
    found = {item.slug: item for item in model.objects.filter(slug__in=slugs, is_active=True)}
    unknown = [str(slug) for slug in slugs if slug not in found]
    if unknown:
        raise InvalidInput(_("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}, field=field)
    return list(found.values())


def _profile_values(profile: VolunteerProfile, changes: Mapping[str, Any]) -> tuple[dict, dict]:
    """Validate `changes`; return (field values, many-to-many values). Every field is
    checked before raising, so the person sees all their mistakes at once."""
    problems = InputProblems()
    for field in sorted(set(changes) - PROFILE_FIELDS):
        problems.add(_("This field cannot be changed."), field=field)
    values, many = {}, {}
    if "display_name" in changes:
        name = " ".join(str(changes["display_name"] or "").split())
        if not name:
            problems.add(_("Enter the name charities will see."), field="display_name")
        elif len(name) > 80:
            problems.add(_("Keep the name under 80 characters."), field="display_name")
        else:
            values["display_name"] = name
    if "region" in changes:
        region = problems.check(_region, changes["region"])
        if region is not None:
            values["region"] = region
    country = (values.get("region") or getattr(profile, "region", None) or Region(country="EG")).country
    for field in ("phone", "sms_number", "whatsapp_number"):
        if field in changes:
            raw = str(changes[field] or "").strip()
            try:
                values[field] = phone_normalize(raw, default_country=country) if raw else ""
            except ValueError:
                problems.add(_("Enter a valid Egyptian (+20) or Saudi (+966) phone number."), field=field)
    if "location" in changes:
        values.update(problems.check(_location, changes["location"], default={}))
    if "activity_types" in changes:
        chosen = problems.check(_taxonomy, ActivityType, changes["activity_types"], field="activity_types")
        if chosen is not None:
            many["activity_types"] = chosen
            values["activity_mask"] = mask_for(chosen)
    if "skills" in changes:
        chosen = problems.check(_taxonomy, Skill, changes["skills"], field="skills")
        if chosen is not None:
            many["skills"] = chosen
            values["skill_mask"] = mask_for(chosen)
    if "languages" in changes:
        languages = changes["languages"] or []
        if isinstance(languages, str) or not all(code in Language.values for code in languages):
            problems.add(
                _("Choose languages from: %(codes)s.") % {"codes": ", ".join(Language.values)}, field="languages"
            )
        else:
            values["languages"] = list(dict.fromkeys(languages))
    if "gender" in changes:
        gender = changes["gender"] or ""
        if gender and gender not in Gender.values:
            problems.add(_("Choose female, male or leave it empty."), field="gender")
        else:
            values["gender"] = gender
    if "birth_date" in changes:
        born = problems.check(_date, changes["birth_date"], field="birth_date")
        if born and born > timezone.localdate():
            problems.add(_("A birth date cannot be in the future."), field="birth_date")
        else:
            values["birth_date"] = born
    if "max_hours_per_week" in changes:
        values["max_hours_per_week"] = problems.check(_hours, changes["max_hours_per_week"])
    if "paused_until" in changes:
        values["paused_until"] = problems.check(_date, changes["paused_until"], field="paused_until")
    problems.raise_if_any()
    return values, many


def _location(location) -> dict:
    if location in (None, ""):
        return {"latitude": None, "longitude": None}
    try:
        lat, lon = float(ascii_digits(str(location["lat"]))), float(ascii_digits(str(location["lon"])))
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(_("Give the location as {lat, lon}."), field="location") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("This location is not on Earth."), field="location")
    return {"latitude": lat, "longitude": lon}


def _hours(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        hours = int(ascii_digits(str(value)).strip())
    except ValueError:
        hours = -1
    if not 1 <= hours <= 168:
        raise InvalidInput(_("Enter a number of hours from 1 to 168."), field="max_hours_per_week")
    return hours


def profile_validate(*, user, changes: Mapping[str, Any]) -> None:
    """Check `changes` as `profile_update` would, saving nothing: a form whose own
    checks failed still shows the service's errors for the other fields in the same page."""
    profile = VolunteerProfile.objects.select_related("region").filter(user=user).first()
    _profile_values(profile or VolunteerProfile(user=user), changes)


def profile_update(*, user, changes: Mapping[str, Any]) -> VolunteerProfile:
    """Create the user's volunteer profile or change the fields named in
    `changes` (keys of PROFILE_FIELDS; `region` is a code, taxonomies are lists
    of slugs, phones any Egyptian or Saudi form, digits in any script).

    Keeps the activity and skill bitmasks equal to the chosen taxonomies and copies
    region, time zone, bitmask, pause and matchability onto the slots in the
    same transaction. A new profile needs a region and a display name (never
    derived from the email, which stays private). Raises InvalidInput naming the field.
    """
    with transaction.atomic():
        profile = (
            VolunteerProfile.objects.select_for_update(no_key=True).select_related("region").filter(user=user).first()
        )
        if profile is not None and profile.anonymised_at:
            raise StateConflict(_("This account has been deleted."))
        creating = profile is None
        if creating:
            profile = VolunteerProfile(user=user)
            if "region" not in changes:
                raise InvalidInput(_("Choose your region."), field="region")
            if "display_name" not in changes:
                raise InvalidInput(_("Enter the name charities will see."), field="display_name")
        values, many = _profile_values(profile, changes)
        before = None if creating else _slot_copies(profile)
        for field, value in values.items():
            setattr(profile, field, value)
        if creating:
            profile.save()
        elif values:
            profile.save(update_fields=[*{"region_id" if f == "region" else f for f in values}, "updated_at"])
        for field, items in many.items():
            getattr(profile, field).set(items)
        after = _slot_copies(profile)
        if before is not None and after != before:
            profile.slots.update(**{field: after[field] for field in _COPIED_TO_SLOTS})
            _queue_matching(profile)
    return profile


def _slot_values(profile: VolunteerProfile, *, weekday, date, start, end) -> dict:
    has_weekday, has_date = weekday not in (None, ""), date not in (None, "")
    if has_weekday == has_date:
        message = _("Give a weekday or a date, not both.") if has_weekday else _("Give a weekday or a date.")
        raise InvalidInput(message, field="weekday")
    values = {}
    if has_weekday:
        try:
            weekday = int(ascii_digits(str(weekday)).strip())
        except ValueError:
            weekday = -1
        if not 0 <= weekday <= 6:
            raise InvalidInput(_("The weekday must be from 0 (Monday) to 6 (Sunday)."), field="weekday")
        values.update(kind=SlotKind.WEEKLY, weekday=weekday, date=None)
    else:
        day = _date(date, field="date")
        if day < timezone.now().astimezone(profile.region.zone).date():
            raise InvalidInput(_("This date has passed."), field="date")
        values.update(kind=SlotKind.DATED, weekday=day.weekday(), date=day)
    for field, raw in (("start", start), ("end", end)):
        try:
            values[field] = parse_time(raw)
        except (ValueError, TypeError):
            raise InvalidInput(_("Enter a time as HH:MM, from 00:00 to 24:00."), field=field) from None
    if values["end"] <= values["start"]:
        raise InvalidInput(_("The end must be after the start."), field="end")
    if values["end"] - values["start"] > MAX_SLOT_MINUTES:
        raise InvalidInput(_("A slot may last 16 hours at most."), field="end")
    return values


def _slot_place(profile: VolunteerProfile, slot: AvailabilitySlot | None, values: dict) -> AvailabilitySlot:
    """Save `values` into `slot` (or a new slot), merged with the same-kind slots
    it touches or overlaps on the same day; the merged ones are deleted."""
    same_day = profile.slots.filter(kind=values["kind"], weekday=values["weekday"], date=values["date"])
    if slot is not None:
        same_day = same_day.exclude(pk=slot.pk)
    touching = list(same_day.filter(start__lte=values["end"], end__gte=values["start"]).order_by("pk"))
    [(start, end)] = merge_intervals([(values["start"], values["end"]), *((s.start, s.end) for s in touching)])
    keep = slot or (touching[0] if touching else None)
    merged_away = [s.pk for s in touching if s is not keep]
    total = profile.slots.count() - len(merged_away) + (1 if keep is None else 0)
    if total > MAX_SLOTS:
        raise InvalidInput(_("You can keep up to %(max)d slots; remove some first.") % {"max": MAX_SLOTS})
    if merged_away:
        AvailabilitySlot.objects.filter(pk__in=merged_away).delete()
    keep = keep or AvailabilitySlot(volunteer=profile)
    for field, value in {**values, "start": start, "end": end, **_slot_copies(profile)}.items():
        setattr(keep, field, value)
    keep.save()
    return keep


def _locked_profile(volunteer: VolunteerProfile) -> VolunteerProfile:
    # Locking the profile serialises a volunteer's slot changes, so the merge
    # and the 50-slot limit see every committed slot.
    return VolunteerProfile.objects.select_for_update(no_key=True).select_related("region", "user").get(pk=volunteer.pk)


def availability_slot_add(*, volunteer: VolunteerProfile, weekday=None, date=None, start, end) -> AvailabilitySlot:
    """Add free time: a weekly slot (weekday 0=Monday..6=Sunday) or a dated one,
    times "HH:MM" local to the volunteer's region, end up to "24:00". Touching or
    overlapping slots of the same kind that day are merged into one, which is
    returned. Raises InvalidInput (field named) on bad input or beyond MAX_SLOTS."""
    if volunteer.anonymised_at:
        raise StateConflict(_("This account has been deleted."))
    with transaction.atomic():
        profile = _locked_profile(volunteer)
        values = _slot_values(profile, weekday=weekday, date=date, start=start, end=end)
        _queue_matching(profile)
        return _slot_place(profile, None, values)


def availability_slot_update(*, slot: AvailabilitySlot, weekday=None, date=None, start, end) -> AvailabilitySlot:
    """Replace a slot's day and times, with the same rules and merging as adding;
    the slot keeps its id and the neighbours it now touches merge into it."""
    with transaction.atomic():
        profile = _locked_profile(slot.volunteer)
        values = _slot_values(profile, weekday=weekday, date=date, start=start, end=end)
        slot = AvailabilitySlot.objects.get(pk=slot.pk)
        _queue_matching(profile)
        return _slot_place(profile, slot, values)


def availability_slot_remove(*, slot: AvailabilitySlot) -> None:
    with transaction.atomic():
        AvailabilitySlot.objects.filter(pk=slot.pk).delete()


def volunteer_onboard(*, user, changes: Mapping[str, Any], first_slot: Mapping[str, Any] | None) -> VolunteerProfile:
    """The sign-up flow's one step: create the profile and, when given, the
    first weekly slot, together or not at all."""
    with transaction.atomic():
        profile = profile_update(user=user, changes=changes)
        if first_slot:
            availability_slot_add(volunteer=profile, **first_slot)
    return profile

"""Why a volunteer was proposed: stored as data, worded in the reader's language.

A match keeps a list of small dicts (`{"code": "skill", "name_ar": ..., "name_en": ...}`),
never sentences, so the same match reads "has first aid" in English and
"لديه مهارة الإسعافات الأولية" in Arabic, and rewording a reason needs no migration.
"""

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext, pgettext

from volunteers.models import SlotKind
from volunteers.timewindows import format_time

OFFERED = {"code": "offered"}


def _weekday_name(weekday: int) -> str:
    names = [
        pgettext("plural weekday", "Mondays"),
        pgettext("plural weekday", "Tuesdays"),
        pgettext("plural weekday", "Wednesdays"),
        pgettext("plural weekday", "Thursdays"),
        pgettext("plural weekday", "Fridays"),
        pgettext("plural weekday", "Saturdays"),
        pgettext("plural weekday", "Sundays"),
    ]
    return names[weekday]


def build(*, slot=None, skills=(), km=None, region=None, asked=0, adjacent=False, came=0, recorded=0) -> list[dict]:
    reasons = []
    if slot is not None:
        free = {"code": "free", "start": format_time(slot.start), "end": format_time(slot.end)}
        if slot.kind == SlotKind.DATED:
            free["date"] = slot.date.isoformat()
        else:
            free["weekday"] = slot.weekday
        reasons.append(free)
    reasons.extend({"code": "skill", "slug": s.slug, "name_ar": s.name_ar, "name_en": s.name_en} for s in skills)
    if km is not None:
        reasons.append({"code": "distance", "km": max(1, round(km))})
    elif region is not None:
        reasons.append({"code": "region", "name_ar": region.name_ar, "name_en": region.name_en})
    if not asked:
        reasons.append({"code": "not_asked_lately"})
    if recorded:
        reasons.append({"code": "reliability", "came": came, "recorded": recorded})
    if adjacent:
        reasons.append({"code": "adjacent_commitment"})
    return reasons


def _name(reason: dict) -> str:
    english = (get_language() or "ar").startswith("en")
    return (reason.get("name_en") if english else reason.get("name_ar")) or reason.get("name_ar", "")


def render(reason: dict) -> str:
    """One reason as a short phrase in the active language."""
    code = reason.get("code")
    if code == "free":
        # Isolated left-to-right, so "09:00–13:00" does not read "13:00–09:00" in Arabic.
        times = {"start": f"\u2066{reason['start']}", "end": f"{reason['end']}\u2069"}
        if "date" in reason:
            day = formats.date_format(dt.date.fromisoformat(reason["date"]), "DATE_FORMAT")
            return gettext("free on %(day)s %(start)s–%(end)s") % {"day": day, **times}
        return gettext("free %(days)s %(start)s–%(end)s") % {"days": _weekday_name(reason["weekday"]), **times}
    if code == "skill":
        return gettext("has %(skill)s") % {"skill": _name(reason)}
    if code == "distance":
        return gettext("%(km)s km away") % {"km": reason["km"]}
    if code == "region":
        return gettext("lives in %(region)s") % {"region": _name(reason)}
    if code == "not_asked_lately":
        return gettext("not asked in the last 30 days")
    if code == "reliability":
        return ngettext("came %(came)s of %(count)s time", "came %(came)s of %(count)s times", reason["recorded"]) % {
            "came": reason["came"],
            "count": reason["recorded"],
        }
    if code == "adjacent_commitment":
        return gettext("has another commitment within an hour")
    if code == "offered":
        return gettext("offered to help")
    return ""


def render_all(reasons: list[dict]) -> list[str]:
    return [text for text in (render(reason) for reason in reasons or []) if text]

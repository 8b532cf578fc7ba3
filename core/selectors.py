import time

from django.db.models import QuerySet
from django.utils.translation import get_language

from core.models import ActivityType, Region, Skill

# Reference rows change in the admin a few times a year, while the public case filter shows
# them on every request: each process keeps the (value, name) choices this long per language.
CHOICES_SECONDS = 60
_choices: dict[tuple, tuple[float, list]] = {}


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def activity_type_list() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_active=True)


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.filter(is_active=True)


def _choices_kept(kind: str, build) -> list[tuple[str, str]]:
    key, now = (kind, get_language()), time.monotonic()
    kept = _choices.get(key)
    if kept is None or kept[0] <= now:
        kept = _choices[key] = (now + CHOICES_SECONDS, build())
    return kept[1]


def region_choices() -> list[tuple[str, str]]:
    """Every region as (ISO code, name in the active language), at most a minute old."""
    return _choices_kept("regions", lambda: [(region.code, region.name) for region in region_list()])


def activity_type_choices() -> list[tuple[str, str]]:
    """Active activity types as (slug, name in the active language), at most a minute old."""
    return _choices_kept("activity_types", lambda: [(kind.slug, kind.name) for kind in activity_type_list()])


def choices_forget() -> None:
    """Drop the kept choices (tests that add reference rows; a process that must see an edit now)."""
    _choices.clear()

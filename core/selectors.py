from django.db.models import QuerySet

from core.models import ActivityType, Region, Skill


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def activity_type_list() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_active=True)


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.filter(is_active=True)

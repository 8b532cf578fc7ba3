"""Template filters for dates: `{{ need.starts_at|local_time:region.timezone }}`,
`{{ day|hijri }}` and `{{ day|dual_date }}`. Registered as builtins in settings."""

from django import template

from core import calendars

register = template.Library()


@register.filter
def hijri(value):
    return calendars.hijri_date(value) if value else ""


@register.filter
def dual_date(value):
    return calendars.dual_date(value) if value else ""


@register.filter
def local_time(value, timezone):
    return calendars.local_datetime(value, timezone) if value and timezone else value


@register.simple_tag
def today_dual_date():
    from django.utils import timezone

    return calendars.dual_date(timezone.localdate())

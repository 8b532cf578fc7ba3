"""Template filters for dates: `{{ need.starts_at|local_time:region.timezone }}`,
`{{ day|hijri }}` and `{{ day|dual_date }}`. Registered as builtins in settings."""

from django import template
from django.utils.html import format_html

from core import calendars

register = template.Library()


@register.filter
def hijri(value):
    return calendars.hijri_date(value) if value else ""


def _dual_date_html(value):
    """The Hijri part in one unbreakable span, so "هـ)" never wraps onto a line alone."""
    gregorian, hijri = calendars.dual_date_parts(value)
    if not hijri:
        return gregorian
    return format_html('{} <span class="text-nowrap">({})</span>', gregorian, hijri)


@register.filter
def dual_date(value):
    return _dual_date_html(value) if value else ""


@register.filter
def local_time(value, timezone):
    return calendars.local_datetime(value, timezone) if value and timezone else value


@register.simple_tag
def today_dual_date():
    from django.utils import timezone

    return _dual_date_html(timezone.localdate())


@register.filter
def ago(value):
    """`{{ moment|ago }}`: "منذ 5 دقائق", with Arabic's plural forms (not humanize's)."""
    return calendars.time_ago(value) if value else ""


@register.filter
def duration_until(value):
    """`{{ deadline|duration_until }}`: "يومين", "يوم، 23 ساعة" (for "answer within …"): two
    units, so a 48-hour invitation a minute old does not say "within a day"."""
    from django.utils import timezone

    return calendars.duration_words(value - timezone.now(), parts=2) if value else ""


@register.filter
def duration_since(value):
    """`{{ moment|duration_since }}`: how long ago, without "ago" ("has waited 3 hours")."""
    from django.utils import timezone

    return calendars.duration_words(timezone.now() - value) if value else ""

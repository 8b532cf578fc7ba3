import datetime as dt

from django import template
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from volunteers.timewindows import MINUTES_PER_DAY

register = template.Library()


@register.filter
def slot_time(minutes: int) -> str:
    """Minutes after midnight in the active language's clock ('9:30 ص', '9:30 a.m.')."""
    if minutes >= MINUTES_PER_DAY:
        return _("midnight")
    return formats.time_format(dt.time(minutes // 60, minutes % 60), "TIME_FORMAT")


@register.filter
def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[int(weekday)])

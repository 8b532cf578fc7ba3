"""`{{ minutes|hours }}`: "3 hours and 20 minutes", with Arabic's plural forms."""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


def hours_phrase(minutes) -> str:
    hours, rest = divmod(int(minutes or 0), 60)
    hours_text = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes_text = ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest}
    if not rest:
        return hours_text
    if not hours:
        return minutes_text
    return gettext("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": minutes_text}


@register.filter
def hours(minutes) -> str:
    return hours_phrase(minutes)

"""`{{ match.reasons|reason_texts }}`: a match's stored reasons in the active language."""

from django import template

from matching import reasons

register = template.Library()


@register.filter
def reason_texts(value):
    return reasons.render_all(value)

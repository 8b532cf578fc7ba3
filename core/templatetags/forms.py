"""Helpers for `templates/forms/`: where a field's error summary link points."""

from django import template

register = template.Library()


@register.filter
def field_anchor(field) -> str:
    """The id a summary link should jump to: the input, or a group's first choice."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


@register.filter
def error_count(form) -> int:
    return sum(len(errors) for errors in form.errors.values())

"""Helpers for `templates/forms/`: where a field's error summary link points."""

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def field_anchor(field) -> str:
    """The id a summary link should jump to: the input, or a group's first choice."""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")


@register.filter
def with_colon(label) -> str:
    """A label before its error: "Region:", but "What is needed?" keeps its question mark
    alone and "They agree." loses its full stop, so no ".:" or "؟:" appears."""
    label = str(label).strip().removesuffix(".")
    return label if label.endswith(("?", "؟", ":")) else f"{label}:"


@register.filter
def error_count(form) -> int:
    return sum(len(errors) for errors in form.errors.values())


@register.filter
def is_location_end(field) -> bool:
    """The longitude of a pair marked by `core.forms.location_pair`: the tools go after it."""
    return field.field.widget.attrs.get("data-location") == "lon"


@register.simple_tag
def map_tiles() -> dict:
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}

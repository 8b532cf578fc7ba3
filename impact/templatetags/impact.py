"""`{% charity_impact charity.pk %}`: a charity's headline on its public profile (one query)."""

from django import template

from impact import figures, selectors

register = template.Library()


@register.inclusion_tag("impact/_headline.html")
def charity_impact(charity_id) -> dict:
    return figures.public_headline(selectors.charity_headline(charity_id))

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """The current page in another language (/ar/cases/1/ -> /en/cases/1/)."""
    request = context["request"]
    url = translate_url(request.get_full_path(), language)
    return url

"""Template helpers of matching.

`{{ match.reasons|reason_texts }}`: a match's stored reasons in the active language.
`{% volunteer_matches %}`: the signed-in volunteer's invitations and commitments,
rendered in place (the volunteer dashboard's section; two queries at most).
"""

from django import template

from matching import reasons
from matching.views import volunteer_context

register = template.Library()


@register.filter
def reason_texts(value):
    return reasons.render_all(value)


@register.inclusion_tag("matching/_volunteer_matches.html", takes_context=True)
def volunteer_matches(context):
    request = context["request"]
    return {
        **volunteer_context(request),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }

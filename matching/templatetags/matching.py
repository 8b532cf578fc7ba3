"""Template helpers of matching.

`{{ match.reasons|reason_texts }}`: a match's stored reasons in the active language.
`{% volunteer_matches %}`: the signed-in volunteer's invitations and commitments,
rendered in place (the volunteer dashboard's section; two queries at most).
`{% calendar_feed_section %}`: the volunteer's calendar link with copy, subscribe,
new-link and revoke buttons (one query).
"""

from django import template

from matching import calendar, reasons
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


@register.inclusion_tag("matching/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context):
    request = context["request"]
    feed = calendar.calendar_feed_for_user(request.user)
    url = calendar.feed_url(feed, base_url=request.build_absolute_uri("/")) if feed else ""
    return {
        "feed": feed,
        "feed_url": url,
        "webcal_url": calendar.webcal_url(url) if url else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }

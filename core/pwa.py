"""The installable web app: a manifest per language, the service worker and the offline page.

The service worker is served from the site root so its scope covers /ar/ and /en/.
It caches the shell (offline pages, CSS, JS, icons) on install; pages are fetched
network-first and the last HTML copy is kept in a cache of its own, so a volunteer's
dashboard with upcoming commitments stays readable offline; a page never visited falls
back to the offline page. Signing in or out empties the pages cache (static/js/pwa.js),
so nobody reads the previous person's pages offline on a shared phone.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#198754"
ICON_SIZES = (72, 96, 128, 144, 152, 192, 384, 512)
# Bump when the shell changes, so clients drop the old cache.
CACHE_VERSION = "vb-shell-v3"
# Visited pages, network first; static/js/pwa.js empties it on sign-in and sign-out.
PAGES_CACHE = "vb-pages"
# Never kept offline, whoever opens them (paths after the /ar/ or /en/ prefix, or from the
# root): staff, charity, moderation and admin pages, and the account pages. A page that
# shows staff-only details at a public address (the case page, for its charity) is sent
# with Cache-Control: no-store, which the worker also obeys.
NEVER_CACHE = (
    "/api/",
    "/_allauth/",
    "/calendar/",
    "/admin/",
    "/moderation/",
    "/dashboard/",
    "/charities/",
    "/matching/charities/",
    "/matching/needs/",
    "/cases/new/",
    "/needs/",
    "/handovers/",
    "/accounts/",
    "/volunteer/privacy/",
)


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    language = get_language()
    icons = [
        {"src": static(f"img/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ]
    icons += [
        {
            "src": static(f"img/icons/maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    body = {
        "id": f"/{language}/",
        "name": _("Volunteer Bank"),
        "short_name": _("Volunteers"),
        "description": _("Volunteers register their free time; charities publish cases and needs; we match them."),
        "lang": language,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    shell = [
        "/ar/offline/",
        "/en/offline/",
        static("vendor/bootstrap-5.3.9/bootstrap.rtl.min.css"),
        static("vendor/bootstrap-5.3.9/bootstrap.min.css"),
        static("vendor/bootstrap-5.3.9/bootstrap.bundle.min.js"),
        static("css/site.css"),
        static("img/icons/icon-192.png"),
    ]
    context = {
        "shell": json.dumps(shell),
        "cache_version": CACHE_VERSION,
        "pages_cache": PAGES_CACHE,
        "never_cache": json.dumps(NEVER_CACHE),
    }
    script = render(request, "core/sw.js", context).content
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    return render(request, "core/offline.html")

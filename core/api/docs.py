"""The API documentation pages, served entirely from our static files.

Swagger UI runs from drf-spectacular-sidecar with its start-up script fetched as a
file (the "split" view), and Redoc from the sidecar without Google Fonts (our
templates in templates/drf_spectacular/). Under the site's CSP only styles are
relaxed here: both write style attributes and Redoc injects <style> elements; Redoc's
search runs in a worker made from a blob. Scripts stay 'self' only.
"""

import functools
from pathlib import Path

import drf_spectacular_sidecar
from csp.decorators import csp_update
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class SwaggerDocs(SpectacularSwaggerSplitView):
    pass


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class RedocDocs(SpectacularRedocView):
    pass


# Redoc's sidebar credit loads its logo from Redocly's CDN, whatever the options: the
# bundle is served with that one address swapped for an empty inline image, so the
# page makes no request outside the site (and reports no CSP violation).
REDOC_BUNDLE = Path(drf_spectacular_sidecar.__file__).parent / "static/drf_spectacular_sidecar/redoc/bundles"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = "data:image/svg+xml,%3Csvg%20xmlns=%27http://www.w3.org/2000/svg%27/%3E"


@functools.cache
def _redoc_bundle() -> bytes:
    return (REDOC_BUNDLE / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO.encode(), EMPTY_IMAGE.encode())


@require_GET
@cache_control(max_age=86400, public=True)
def redoc_bundle(request):
    return HttpResponse(_redoc_bundle(), content_type="application/javascript")

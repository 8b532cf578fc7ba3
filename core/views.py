from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from django.views.defaults import server_error as django_server_error

from core import health


@require_GET
@never_cache
def health_view(request):
    database = health.database_state()
    body = {
        "status": "ok" if database == "ok" else "down",
        "database": database,
        "broker": health.broker_state(),
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)


def not_found(request, exception=None):
    """JSON for API paths (a phone expects the API's error shape), the page otherwise."""
    if request.path.startswith(("/api/", "/_allauth/")):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(("/api/", "/_allauth/")):
        return JsonResponse({"detail": _("Something went wrong on our side; please try again.")}, status=500)
    return django_server_error(request)

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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

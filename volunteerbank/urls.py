from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from cases.views import public as case_pages
from core import pwa
from core import views as core_views
from core.api import views as core_api_views
from matching import views as matching_pages

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("volunteers.api.urls")),  # before accounts: its me/ adds DELETE to accounts' GET
    path("", include("accounts.api.urls")),
    path("", include("charities.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("matching.api.urls")),
]

urlpatterns = [
    path("health/", core_views.health_view, name="health"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    # Outside the language prefix: a phone subscribes once; the feed speaks the volunteer's language.
    path("calendar/<str:token>.ics", matching_pages.calendar_feed, name="calendar-feed"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", core_api_views.SchemaApi.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("_allauth/", include("allauth.headless.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", case_pages.home, name="home"),
    path("", include("cases.urls")),
    path("", include("charities.urls")),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("matching/", include("matching.urls")),
    path("volunteer/", include("volunteers.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"

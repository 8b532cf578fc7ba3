from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_pages
from attendance import views as attendance_pages
from cases.views import public as case_pages
from core import pwa
from core import views as core_views
from core.api import views as core_api_views
from core.api.docs import RedocDocs, SwaggerDocs, redoc_bundle
from matching import views as matching_pages

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("volunteers.api.urls")),  # before accounts: its me/ adds DELETE to accounts' GET
    path("", include("accounts.api.urls")),
    path("", include("charities.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("matching.api.urls")),
    path("", include("attendance.api.urls")),
    path("", include("impact.api.urls")),
]

urlpatterns = [
    path("health/", core_views.health_view, name="health"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    # Outside the language prefix: a phone subscribes once; the feed speaks the volunteer's language.
    path("calendar/<str:token>.ics", matching_pages.calendar_feed, name="calendar-feed"),
    # Outside the language prefix: the link printed on a certificate and carried by its QR.
    path("certificates/<str:code>.pdf", attendance_pages.certificate_pdf, name="certificate-pdf"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    # Messaging providers call these (WhatsApp, SMS); outside the language prefix.
    path("webhooks/", include("notifications.inbound_urls")),
    path("api/schema/", core_api_views.SchemaApi.as_view(), name="schema"),
    path("api/docs/", SwaggerDocs.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocDocs.as_view(url_name="schema"), name="redoc"),
    path("api/redoc/dist/bundles/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
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
    path("admin/login/", account_pages.admin_login, name="admin-login"),  # before the admin's own
    path("attendance/", include("attendance.urls")),
    path("", include("impact.urls")),
    path("verify/", attendance_pages.verify_form, name="verify-form"),
    path("verify/<str:code>/", attendance_pages.verify, name="verify"),
    path("verify/<str:code>/revoke/", attendance_pages.revoke, name="verify-revoke"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"

from django.urls import path

from volunteers.api import views

urlpatterns = [
    path("me/", views.MeDeleteApi.as_view(), name="me-account"),
    path("me/export/", views.MeExportApi.as_view(), name="me-export"),
    path("me/guardian/", views.GuardianApi.as_view(), name="me-guardian"),
    path("me/profile/", views.ProfileApi.as_view(), name="me-profile"),
    path("me/availability/", views.AvailabilityListApi.as_view(), name="me-availability"),
    path("me/availability/<int:pk>/", views.AvailabilityDetailApi.as_view(), name="me-availability-detail"),
]

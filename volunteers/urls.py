from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("profile/", views.profile_edit, name="profile"),
    path("slots/", views.slot_panel, name="slot-panel"),
    path("slots/add/", views.slot_create, name="slot-create"),
    path("slots/<int:pk>/edit/", views.slot_edit, name="slot-edit"),
    path("slots/<int:pk>/delete/", views.slot_delete, name="slot-delete"),
    path("guardian/", views.guardian_request, name="guardian-request"),
    path("guardian/<str:token>/", views.guardian_answer, name="guardian-answer"),
    path("privacy/", views.privacy_page, name="privacy"),
    path("privacy/export/", views.privacy_export, name="privacy-export"),
    path("privacy/delete/", views.privacy_delete, name="privacy-delete"),
]

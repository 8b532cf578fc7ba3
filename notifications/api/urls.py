from django.urls import path

from notifications.api import views

urlpatterns = [
    path("me/notifications/", views.NotificationListApi.as_view(), name="notification-list"),
    path("me/notifications/read-all/", views.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("me/notifications/<int:pk>/read/", views.NotificationReadApi.as_view(), name="notification-read"),
    path(
        "me/notification-preferences/",
        views.NotificationPreferencesApi.as_view(),
        name="notification-preferences",
    ),
    path("me/phone-verifications/", views.PhoneVerificationApi.as_view(), name="phone-verification"),
    path(
        "me/phone-verifications/confirm/",
        views.PhoneVerificationConfirmApi.as_view(),
        name="phone-verification-confirm",
    ),
    path("me/push-subscriptions/", views.PushSubscriptionApi.as_view(), name="push-subscriptions"),
]

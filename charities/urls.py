from django.urls import path, re_path

from charities import views

app_name = "charities"

urlpatterns = [
    path("charities/register/", views.charity_register, name="register"),
    path("charities/<int:pk>/", views.charity_detail, name="detail"),
    path("charities/<int:pk>/staff/", views.staff_invite, name="invite"),
    path("charities/<int:pk>/staff/<int:user_pk>/remove/", views.staff_remove, name="staff-remove"),
    path("charities/<int:pk>/webhooks/", views.webhook_list, name="webhooks"),
    re_path(
        r"^charities/(?P<pk>[0-9]+)/webhooks/(?P<endpoint_pk>[0-9]+)/(?P<action>rotate|pause|resume|delete)/$",
        views.webhook_action,
        name="webhook-action",
    ),
    path("charities/invitations/<str:token>/", views.invitation_accept, name="invitation"),
]

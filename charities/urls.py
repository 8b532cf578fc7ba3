from django.urls import path

from charities import views

app_name = "charities"

urlpatterns = [
    path("charities/register/", views.charity_register, name="register"),
    path("charities/<int:pk>/", views.charity_detail, name="detail"),
    path("charities/<int:pk>/staff/", views.staff_invite, name="invite"),
    path("charities/invitations/<str:token>/", views.invitation_accept, name="invitation"),
]

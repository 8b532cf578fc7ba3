from django.urls import path

from charities.api import views

urlpatterns = [
    path("charities/", views.CharityListCreateApi.as_view(), name="charity-list"),
    path("charities/mine/", views.CharityMineApi.as_view(), name="charity-mine"),
    path("charities/<int:pk>/", views.CharityDetailApi.as_view(), name="charity-detail"),
    path("charities/<int:pk>/invitations/", views.StaffInviteApi.as_view(), name="charity-invite"),
    path("charities/<int:pk>/logo/", views.CharityLogoApi.as_view(), name="charity-logo"),
]

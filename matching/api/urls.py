from django.urls import path

from matching.api import views

urlpatterns = [
    path("charities/<int:pk>/matches/", views.CharityMatchListApi.as_view(), name="charity-matches"),
    path("matches/<int:pk>/approve/", views.MatchApproveApi.as_view(), name="match-approve"),
    path("matches/<int:pk>/reject/", views.MatchRejectApi.as_view(), name="match-reject"),
    path("matches/<int:pk>/accept/", views.MatchAcceptApi.as_view(), name="match-accept"),
    path("matches/<int:pk>/accept-series/", views.MatchAcceptSeriesApi.as_view(), name="match-accept-series"),
    path("matches/<int:pk>/decline/", views.MatchDeclineApi.as_view(), name="match-decline"),
    path("matches/<int:pk>/cancel/", views.MatchCancelApi.as_view(), name="match-cancel"),
    path("matches/<int:pk>/calendar.ics", views.MatchCalendarApi.as_view(), name="match-calendar"),
    path("me/matches/", views.MyMatchListApi.as_view(), name="my-matches"),
    path("me/calendar/", views.MyCalendarApi.as_view(), name="my-calendar"),
    path("needs/<int:pk>/offer/", views.NeedOfferApi.as_view(), name="need-offer"),
]

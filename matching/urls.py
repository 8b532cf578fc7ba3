from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("charities/<int:pk>/", views.charity_review, name="charity_review"),
    path("needs/<int:pk>/review/", views.need_review, name="need_review"),
    path("needs/<int:pk>/offer/", views.offer, name="offer"),
    path("me/", views.my_matches, name="my_matches"),
    path("matches/<int:pk>/calendar.ics", views.match_calendar, name="match_calendar"),
    path("matches/<int:pk>/<str:action>/", views.answer, name="answer"),
    path("calendar/", views.calendar_feed_manage, name="calendar_manage"),
]

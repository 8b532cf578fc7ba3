from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("needs/<int:pk>/", views.need_attendance, name="need"),
    path("needs/<int:pk>/mark-all/", views.mark_all, name="mark_all"),
    path("needs/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("matches/<int:pk>/mark/", views.mark, name="mark"),
    path("hours/", views.my_hours, name="my_hours"),
    path("hours/request/", views.hours_request, name="hours_request"),
    path("certificates/", views.certificate_issue, name="certificate_issue"),
    path("charities/", views.my_charities_hours, name="my_charities"),
    path("charities/<int:pk>/hours/", views.charity_hours, name="charity_hours"),
    path("charities/<int:pk>/hours.<str:kind>", views.hours_export, name="hours_export"),
    path("hours-requests/<int:pk>/<str:action>/", views.hours_request_decide, name="hours_request_decide"),
]

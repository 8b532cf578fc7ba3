from django.urls import path

from attendance.api import views

urlpatterns = [
    path("matches/<int:pk>/attendance/", views.MatchAttendanceApi.as_view(), name="match-attendance"),
    path("needs/<int:pk>/attendance/", views.NeedAttendanceApi.as_view(), name="need-attendance"),
    path("needs/<int:pk>/check-in/", views.NeedCheckInApi.as_view(), name="need-check-in"),
    path("me/hours/", views.MyHoursApi.as_view(), name="my-hours"),
    path("me/hours/requests/", views.MyHoursRequestsApi.as_view(), name="my-hours-requests"),
    path("hours-requests/<int:pk>/approve/", views.HoursRequestApproveApi.as_view(), name="hours-request-approve"),
    path("hours-requests/<int:pk>/decline/", views.HoursRequestDeclineApi.as_view(), name="hours-request-decline"),
    path("charities/<int:pk>/hours-requests/", views.CharityHoursRequestsApi.as_view(), name="charity-hours-requests"),
    path("charities/<int:pk>/hours.csv", views.CharityHoursCsvApi.as_view(), name="charity-hours-csv"),
    path("charities/<int:pk>/hours.xlsx", views.CharityHoursXlsxApi.as_view(), name="charity-hours-xlsx"),
    path("me/certificates/", views.MyCertificatesApi.as_view(), name="my-certificates"),
    path("certificates/<str:code>/", views.CertificateApi.as_view(), name="certificate"),
    path("certificates/<str:code>/revoke/", views.CertificateRevokeApi.as_view(), name="certificate-revoke"),
]

from django.urls import path

from cases.api import moderation, views

urlpatterns = [
    path("cases/", views.CaseListCreateApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/status/", views.CaseStatusApi.as_view(), name="case-status"),
    path("cases/<int:pk>/claim/", views.CaseClaimApi.as_view(), name="case-claim"),
    path("cases/<int:pk>/photos/", views.CasePhotosApi.as_view(), name="case-photos"),
    path("cases/<int:pk>/updates/", views.CaseUpdateListCreateApi.as_view(), name="case-updates"),
    path(
        "cases/<int:pk>/updates/<int:update_id>/photos/",
        views.CaseUpdatePhotosApi.as_view(),
        name="case-update-photos",
    ),
    path("cases/<int:pk>/follow/", views.CaseFollowApi.as_view(), name="case-follow"),
    path("cases/<int:pk>/needs/", views.NeedListCreateApi.as_view(), name="case-needs"),
    path("needs/<int:pk>/", views.NeedDetailApi.as_view(), name="need-detail"),
    path("needs/<int:pk>/cancel/", views.NeedCancelApi.as_view(), name="need-cancel"),
    path("series/<int:pk>/", views.SeriesDetailApi.as_view(), name="series-detail"),
    path("reports/", views.ReportCreateApi.as_view(), name="report-create"),
    path("reports/<str:code>/", views.ReportStatusApi.as_view(), name="report-status"),
    path("reports/<str:code>/photos/", views.ReportPhotosApi.as_view(), name="report-photos"),
    path("moderation/reports/", moderation.ReportQueueApi.as_view(), name="moderation-reports"),
    path("moderation/reports/stats/", moderation.ReportQueueStatsApi.as_view(), name="moderation-report-stats"),
    path("moderation/reports/<int:pk>/", moderation.ReportReviewApi.as_view(), name="moderation-report"),
    path(
        "moderation/reports/<int:pk>/approve/", moderation.ReportApproveApi.as_view(), name="moderation-report-approve"
    ),
    path("moderation/reports/<int:pk>/reject/", moderation.ReportRejectApi.as_view(), name="moderation-report-reject"),
    path(
        "moderation/reports/<int:pk>/duplicate/",
        moderation.ReportDuplicateApi.as_view(),
        name="moderation-report-duplicate",
    ),
    path("moderation/charities/", moderation.CharityQueueApi.as_view(), name="moderation-charities"),
    path(
        "moderation/charities/<int:pk>/verify/", moderation.CharityVerifyApi.as_view(), name="moderation-charity-verify"
    ),
    path(
        "moderation/charities/<int:pk>/reject/", moderation.CharityRejectApi.as_view(), name="moderation-charity-reject"
    ),
]

from django.urls import path

from cases.views import manage, moderation, public, reports

app_name = "cases"

urlpatterns = [
    path("cases/", public.case_list, name="list"),
    path("cases/new/", manage.case_create, name="create"),
    path("cases/<int:pk>/", public.case_detail, name="detail"),
    path("cases/<int:pk>/edit/", manage.case_edit, name="edit"),
    path("cases/<int:pk>/follow/", public.case_follow_toggle, name="follow"),
    path("cases/<int:pk>/status/", public.case_status, name="status"),
    path("cases/<int:pk>/updates/", public.case_update_create, name="update-create"),
    path("cases/<int:pk>/needs/new/", manage.need_create, name="need-create"),
    path("cases/<int:pk>/needs/preview/", manage.need_preview, name="need-preview"),
    path("needs/<int:pk>/cancel/", manage.need_cancel, name="need-cancel"),
    path("needs/<int:pk>/edit/", manage.need_edit, name="need-edit"),
    path("cases/<int:pk>/claim/", manage.case_claim, name="claim"),
    path("cases/<int:pk>/handover/", manage.handover_request, name="handover-request"),
    path("handovers/<int:pk>/", manage.handover_decide, name="handover-decide"),
    path("dashboard/", manage.dashboard, name="dashboard"),
    path("report/", reports.report_create, name="report"),
    path("report/track/", reports.report_track, name="report-track"),
    path("report/<str:code>/", reports.report_status, name="report-status"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/audit/", moderation.audit_log, name="audit"),
    path("moderation/reports/<int:pk>/", moderation.report_review, name="moderation-report"),
    path(
        "moderation/reports/<int:pk>/<str:action>/",
        moderation.report_decide,
        name="moderation-report-decide",
    ),
    path("moderation/charities/<int:pk>/", moderation.charity_review, name="moderation-charity"),
    path(
        "moderation/charities/<int:pk>/<str:action>/",
        moderation.charity_decide,
        name="moderation-charity-decide",
    ),
]

"""Writes about cases, needs, updates, reports and moderation: one function per change."""

from cases.services.cases import (
    case_claim,
    case_create,
    case_edit,
    case_handover_decide,
    case_handover_request,
    case_photos_add,
    case_status_change,
)
from cases.services.moderation import (
    charity_reject,
    charity_verify,
    report_approve,
    report_duplicate,
    report_lock,
    report_reject,
)
from cases.services.needs import need_create, need_update
from cases.services.reports import report_photos_add, report_submit
from cases.services.series import need_cancel, series_create, series_extend_all, series_preview, series_update
from cases.services.updates import case_follow, case_unfollow, case_update_photos_add, case_update_post

__all__ = [
    "case_claim",
    "case_create",
    "case_edit",
    "case_follow",
    "case_handover_decide",
    "case_handover_request",
    "case_photos_add",
    "case_status_change",
    "case_unfollow",
    "case_update_photos_add",
    "case_update_post",
    "charity_reject",
    "charity_verify",
    "need_cancel",
    "need_create",
    "need_update",
    "report_approve",
    "report_duplicate",
    "report_lock",
    "report_photos_add",
    "report_reject",
    "report_submit",
    "series_create",
    "series_extend_all",
    "series_preview",
    "series_update",
]

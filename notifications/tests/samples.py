"""A context for each kind, as issues 4 and 6 will pass them (see notifications.kinds)."""

from notifications.models import Kind

NEED = {
    "need_title": "توزيع سلال رمضان",
    "case_title": "أسر قرية الشيخ زايد",
    "need_starts_at": "2027-01-09T14:00:00+00:00",
    "need_ends_at": "2027-01-09T18:00:00+00:00",
    "timezone": "Africa/Cairo",
    "url": "/cases/12/",
}

SAMPLES = {
    Kind.MATCH_INVITED: {**NEED, "charity_name": "جمعية الخير"},
    Kind.MATCH_CONFIRMED: {**NEED, "volunteer_name": "هدى"},
    Kind.MATCH_DECLINED: {**NEED, "volunteer_name": "هدى"},
    Kind.MATCH_EXPIRED: NEED,
    Kind.MATCH_CANCELLED: {**NEED, "cancelled_by": "charity", "reason": "الطقس"},
    Kind.MATCHES_DIGEST: {**NEED, "match_count": 3},
    Kind.MATCH_WAITING: {**NEED, "waiting_count": 2},
    Kind.NEED_REMINDER: {**NEED, "location_text": "مسجد النور"},
    Kind.NEED_TIME_CHANGED: {**NEED, "old_starts_at": "2027-01-09T12:00:00+00:00"},
    Kind.CASE_UPDATE: {"case_title": "أسر قرية الشيخ زايد", "update_text": "وصلت السلال", "url": "/cases/12/"},
    Kind.CASE_OUTCOME: {"case_title": "أسر قرية الشيخ زايد", "outcome_text": "200 أسرة", "url": "/cases/12/"},
    Kind.REPORT_STATUS: {"tracking_code": "K7Q2M9", "status": "rejected", "reason": "مكرر", "url": "/report/K7Q2M9/"},
    Kind.REPORT_CLAIMABLE: {"region_name": "القاهرة", "summary": "أسرة تحتاج إلى بطاطين", "url": "/cases/40/"},
    Kind.CHARITY_STATUS: {"charity_name": "جمعية الخير", "status": "verified", "reason": "", "url": "/charities/3/"},
    Kind.STAFF_INVITED: {"charity_name": "جمعية الخير", "inviter_name": "سارة", "url": "/charities/3/join/"},
    Kind.MODERATION_SUMMARY: {"pending_count": 4, "oldest_pending_at": "2027-01-08T06:00:00+00:00", "url": "/admin/"},
    Kind.ATTENDANCE_REMINDER: {**NEED, "need_id": 7, "unmarked_count": 2, "url": "/attendance/needs/7/"},
    Kind.HOURS_REQUESTED: {
        "volunteer_name": "هدى",
        "minutes": 90,
        "date": "2027-01-09",
        "url": "/attendance/charities/3/hours/",
    },
    Kind.HOURS_DECIDED: {
        "charity_name": "جمعية الخير",
        "status": "declined",
        "reason": "لا سجل لدينا لهذا اليوم",
        "minutes": 90,
        "url": "/attendance/hours/",
    },
}

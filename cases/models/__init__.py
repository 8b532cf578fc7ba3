from cases.models.cases import (
    Case,
    CaseFollow,
    CaseHandover,
    CasePhoto,
    CaseStatusChange,
    CaseUpdate,
    CaseUpdatePhoto,
    Need,
    Urgency,
)
from cases.models.moderation import AuditEntry, ModeratorRegion
from cases.models.reports import Report, ReportPhoto

__all__ = [
    "AuditEntry",
    "Case",
    "CaseFollow",
    "CaseHandover",
    "CasePhoto",
    "CaseStatusChange",
    "CaseUpdate",
    "CaseUpdatePhoto",
    "ModeratorRegion",
    "Need",
    "Report",
    "ReportPhoto",
    "Urgency",
]

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
from cases.models.search import CommonWord, CommonWordCase
from cases.models.series import NeedSeries

__all__ = [
    "AuditEntry",
    "Case",
    "CaseFollow",
    "CaseHandover",
    "CasePhoto",
    "CaseStatusChange",
    "CaseUpdate",
    "CaseUpdatePhoto",
    "CommonWord",
    "CommonWordCase",
    "ModeratorRegion",
    "Need",
    "NeedSeries",
    "Report",
    "ReportPhoto",
    "Urgency",
]

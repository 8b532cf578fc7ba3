"""Rejected reports and their photos go after REPORT_RETENTION_DAYS (the daily task)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import AuditEntry, Report, ReportPhoto
from cases.tasks import report_purge_task
from cases.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _reviewed(status, days_ago, tmp_path):
    report = ReportFactory(status=status, reviewed_at=timezone.now() - dt.timedelta(days=days_ago))
    ReportPhoto(report=report).image.save("p.jpg", ContentFile(b"jpeg"))
    return report, Path(report.photos.get().image.path)


def test_old_rejected_reports_and_their_photos_are_purged(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT, settings.REPORT_RETENTION_DAYS = tmp_path, 180
    old, old_file = _reviewed(Report.Status.REJECTED, 181, tmp_path)
    recent, recent_file = _reviewed(Report.Status.REJECTED, 179, tmp_path)
    approved, approved_file = _reviewed(Report.Status.APPROVED, 400, tmp_path)
    AuditEntry.objects.create(actor=django_user(), action=AuditEntry.Action.REPORT_REJECTED, report=old, note="x")
    with django_capture_on_commit_callbacks(execute=True):
        assert report_purge_task() == 1
    assert not Report.objects.filter(pk=old.pk).exists() and not old_file.exists()
    assert Report.objects.filter(pk__in=[recent.pk, approved.pk]).count() == 2
    assert recent_file.exists() and approved_file.exists()
    assert AuditEntry.objects.get().report is None  # the audit trail keeps the decision
    assert report_purge_task() == 0  # safe to run twice


def test_the_purge_is_scheduled_daily():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cases.tasks.report_purge_task", "volunteers.tasks.volunteer_adults_refresh_task"} <= tasks


def django_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="m@example.org", email="m@example.org", password="x")

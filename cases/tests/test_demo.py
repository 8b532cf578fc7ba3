import pytest
from django.core.management import call_command

from cases.models import Case, Need, Report
from charities.models import Charity

pytestmark = pytest.mark.django_db


def test_the_demo_builds_charities_cases_and_reports_once(settings, tmp_path, capsys):
    settings.DEBUG = True  # load_demo is for development only
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "owner@resala.demo.volunteerbank.local" in out
    assert Charity.objects.filter(status="verified").count() == 3
    assert Case.objects.filter(status="open").count() == 8
    assert Need.objects.count() == 8 and Report.objects.filter(status="pending_review").count() == 2
    call_command("load_demo")
    assert Case.objects.count() == 8 and Charity.objects.count() == 3

import pytest

from notifications.models import Notification
from notifications.services import notification_record
from tests.celery_worker import celery_worker, wait_until


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_a_queued_email(make_user, tmp_path, django_capture_on_commit_callbacks):
    user = make_user("amina@example.org")
    with celery_worker(extra_env={"EMAIL_URL": f"filemail:///{tmp_path}"}, log_path=tmp_path / "worker.log"):
        with django_capture_on_commit_callbacks(execute=True):
            row = notification_record(
                kind="account_email",
                event_key="welcome",
                recipient=user,
                context={"subject": "مرحبا", "body": "أهلا بك في بنك المتطوعين"},
            )

        def sent():
            row.refresh_from_db()
            return row.status == Notification.Status.SENT

        assert wait_until(sent), (tmp_path / "worker.log").read_text()
    messages = [p.read_text() for p in tmp_path.glob("*.log") if p.name != "worker.log"]
    assert len(messages) == 1
    assert "amina@example.org" in messages[0]
    assert row.attempts == 1

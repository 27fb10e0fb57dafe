from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.composition.tasks import run_maintenance
from groundswell.core.tasks import enqueue
from groundswell.petitions.models import Signature
from tests.factories import make_petition, sign
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_with_the_database_queue_a_task_is_enqueued_inside_the_transaction():
    """The outbox property of core.tasks.enqueue: the task row rolls back with the data."""
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(run_maintenance)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the request failed after the action")
    assert DBTaskResult.objects.count() == 0
    enqueue(run_maintenance)
    assert DBTaskResult.objects.count() == 1


def test_housekeeping_runs_from_the_queue_and_purges_what_expired(settings, smtp_server):
    petition = make_petition()
    sign(petition, email="never-confirms@example.org")
    run_queued_tasks()
    with time_machine.travel(timezone.now() + timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS + 1)):
        run_maintenance.enqueue()
        assert run_queued_tasks() == 1
        result = DBTaskResult.objects.filter(task_path__endswith="run_maintenance").get()
        assert result.return_value["expired_signatures_deleted"] == 1
    assert not Signature.objects.exists()

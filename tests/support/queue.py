"""Run queued emails and tasks in the test's own process, as `groundswell worker --batch` does."""

from unittest import mock

from django.core.management import call_command


def run_queued_tasks(*, include_deferred: bool = False) -> int:
    """Send every due email and run every due task, as `groundswell worker --batch` does.

    include_deferred=True first makes work set for later (retries) due now: the test's way of
    moving the clock for the worker. Returns how many emails were sent plus tasks run.
    """
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished
    from django_tasks_db.models import DBTaskResult, get_date_max

    if include_deferred:
        from django.utils import timezone

        from groundswell.core.models import OutgoingEmail

        now = timezone.now()
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__gt=now).exclude(
            run_after=get_date_max()
        ).update(run_after=now)
        OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED, due_at__gt=now).update(due_at=now)
    from groundswell.composition.management.commands import worker

    finished = []

    def count(sender, task_result, **kwargs):
        finished.append(task_result.id)

    emails_sent = []
    real_send_all = worker.send_all_due_emails
    task_finished.connect(count)
    try:
        # The worker closes "old" database connections between tasks, as a long-running process
        # must; inside a test's transaction that would close the test's own connection.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"), mock.patch.object(
            worker, "send_all_due_emails", side_effect=lambda: emails_sent.append(real_send_all()) or emails_sent[-1]
        ):
            call_command("worker", batch=True, verbosity=0)
    finally:
        task_finished.disconnect(count)
    return len(finished) + sum(emails_sent)

"""Helpers for Groundswell's tests: a real SMTP server, running queued tasks, reading mail.

They live in the package (not only under tests/) so that the benchmark harness and later apps'
tests use the same ones.
"""

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from unittest import mock

from aiosmtpd.controller import Controller
from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedMail:
    envelope_from: str
    envelope_to: list[str]
    message: email.message.EmailMessage
    peer: tuple = ()  # the client's (address, port): one per SMTP connection

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", self.text)


@dataclass
class _Handler:
    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # While set, every recipient is answered "try again later" (greylisting, a full queue).
    failing_temporarily: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.failing_temporarily:
            return "451 4.3.0 Please try again later"
        # Addresses at nowhere.invalid are refused for good, like a mailbox that does not exist.
        if address.lower().endswith("@nowhere.invalid"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed, tuple(session.peer)))
        return "250 Message accepted for delivery"


class LocalSMTPServer:
    """A real SMTP server (aiosmtpd) on a local port, which can be stopped and started again."""

    def __init__(self, port: int | None = None):
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.handler = _Handler()
        self._controller = None

    @property
    def messages(self) -> list[ReceivedMail]:
        with self.handler.lock:
            return list(self.handler.messages)

    def start(self):
        self._controller = Controller(self.handler, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, received {len(self.messages)}")

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()


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

"""A real SMTP server (aiosmtpd, a test-only dependency) on a local port, and the mail it received.

Tests send through Django's real SMTP backend to it, so what they check is what a mail server
would see: envelopes, headers, refusals.
"""

import email
import email.message
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


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

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", self.text)


@dataclass
class _Handler:
    messages: list[ReceivedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # While set, every recipient is answered "try again later" (greylisting, a full queue).
    failing_temporarily: bool = False
    # Announce PIPELINING (RFC 2920), as real mail servers do, so the sender's pipelined path is
    # the one the suite exercises; tests/core/test_smtp_pipelining.py also tries it off.
    pipelining: bool = True

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # Senders at refused.invalid are refused, like a relay that will not take our domain.
        if address.lower().endswith("@refused.invalid"):
            return "553 5.7.1 Sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

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


def delivery_failure_report(envelope_sender: str, failed_recipient: str = "someone@example.org") -> bytes:
    """A bounce as a mail server sends it back to an envelope sender: a DSN (RFC 3464,
    multipart/report with a delivery-status part saying "Action: failed")."""
    report = email.message.EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.parliament.example>"
    report["To"] = envelope_sender
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("The mail system could not deliver your message.")
    report.make_mixed()
    raw = report.as_bytes().decode()
    # Turn it into a multipart/report with a delivery-status part, as MTAs send.
    raw = raw.replace("multipart/mixed", 'multipart/report; report-type="delivery-status"', 1)
    boundary = report.get_boundary()
    status = (
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.parliament.example\r\n\r\n"
        f"Final-Recipient: rfc822; {failed_recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
    )
    raw = raw.replace(f"--{boundary}--", status + f"--{boundary}--")
    return raw.encode()

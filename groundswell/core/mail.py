"""Mail transport: production's SMTP backend, the demo's folder backend, one open connection per
worker thread.

`SMTPBackend` is Django's, writing messages out faster (`message_bytes`) and sending each
message's envelope in one write where the server allows it (`send_pipelined`). With no SMTP server
configured (the demo) `FolderAndTerminalBackend` writes each message to a folder and summarises
it in the terminal, so an organiser trying Groundswell locally can still read exactly what a
supporter would receive: open the .eml file (any mail program opens it) or read the terminal,
where the links are printed.
"""

import re
import secrets
import smtplib
import socket
import sys
import threading
from datetime import datetime
from email.generator import BytesGenerator
from email.policy import Compat32
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import sanitize_address

_URL = re.compile(r"https?://\S+")


class FolderAndTerminalBackend(BaseEmailBackend):
    _lock = threading.Lock()
    _counter = 0

    def send_messages(self, email_messages):
        folder = Path(settings.MAIL_FOLDER)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with self._lock:
                FolderAndTerminalBackend._counter += 1
                name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{FolderAndTerminalBackend._counter}.eml"
            path = folder / name
            path.write_bytes(message.message().as_bytes())
            links = sorted(set(_URL.findall(message.body)))
            summary = [
                f"[mail] To: {', '.join(message.to)} | Subject: {message.subject}",
                f"[mail] Saved as {path}",
                *(f"[mail] Link: {link}" for link in links),
            ]
            print("\n".join(summary), file=sys.stdout, flush=True)
            sent += 1
        return sent


class _ShortHeadersWrittenAsTheyAre(Compat32):
    """The email library's default policy, minus its slowest step where it changes nothing.

    Writing a message out, the default policy folds every header through `email.header.Header`,
    which costs more than building the rest of the message. A header that is plain ASCII, on one
    line and short enough never to need folding comes out of that unchanged, so it is written as
    it is; every other header goes through the library as before
    (tests/core/test_mail_bytes.py checks the bytes are the same).
    """

    def fold_binary(self, name, value):
        if (
            isinstance(value, str)
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 78)
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


_QUICK_POLICY = _ShortHeadersWrittenAsTheyAre()


def message_bytes(mime_message) -> bytes:
    """A built MIME message as the bytes SMTP carries, as Django writes them, only faster.

    Each multipart part gets a random 128-bit boundary first: the library would otherwise make
    one and compile a new regular expression per message to check that the text does not
    contain it, which a random boundary chosen after the text was written cannot.
    """
    for part in mime_message.walk():
        if part.is_multipart() and part.get_boundary() is None:
            part.set_boundary(f"==============={secrets.token_hex(16)}==")
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_QUICK_POLICY).flatten(mime_message, linesep="\r\n")
    return out.getvalue()


# A bare address of the commonest shape (a dot-atom local part, a letters-digits-hyphens domain),
# which Django's `sanitize_address` returns unchanged after parsing it as a full mailbox.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def envelope_address(address: str, encoding: str) -> str:
    """An address for the SMTP envelope: Django's `sanitize_address`, skipped for a plain address
    that it would return unchanged (every envelope sender, nearly every recipient)."""
    if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def send_pipelined(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> dict:
    """What `smtplib.SMTP.sendmail` does, in two round trips instead of three or more.

    A server that announces PIPELINING (RFC 2920; Postfix, Exim and every relay service do) may
    be sent MAIL FROM, each RCPT TO and DATA in one write, and answers them in order. smtplib
    waits for each answer before the next command: for a worker sending hundreds of messages a
    second those waits, and the server's work of answering each packet, were a fifth of the time.
    The outcomes are smtplib's: the same exceptions for the same replies (SMTPSenderRefused,
    SMTPRecipientsRefused when every recipient is refused, SMTPDataError), the session reset
    after a refusal and closed after a 421, and a dict of any recipients refused. Every address
    of the commonest plain shape (as the outbox's envelope senders and nearly every recipient
    are) goes as it is; with any other, smtplib parses and sends them as usual.
    """
    smtp.ehlo_or_helo_if_needed()
    bare = all(_PLAIN_ADDRESS.fullmatch(address) for address in [sender, *recipients])
    if not (bare and smtp.has_extn("pipelining")):
        return smtp.sendmail(sender, recipients, data)
    options = f" size={len(data)}" if smtp.has_extn("size") else ""
    commands = [f"MAIL FROM:<{sender}>{options}", *(f"RCPT TO:<{address}>" for address in recipients), "DATA"]
    smtp.send(("\r\n".join(commands) + "\r\n").encode("ascii"))
    mail_reply = smtp.getreply()
    refused = {}
    for address in recipients:
        code, reply = smtp.getreply()
        if code not in (250, 251):
            refused[address] = (code, reply)
    data_code, data_reply = smtp.getreply()
    if data_code == 354 and (mail_reply[0] != 250 or len(refused) == len(recipients)):
        # A server that said "go ahead" with nobody to deliver to: end the empty message.
        smtp.send(b".\r\n")
        data_code, data_reply = smtp.getreply()
    if mail_reply[0] != 250:
        _end_transaction(smtp, mail_reply[0])
        raise smtplib.SMTPSenderRefused(mail_reply[0], mail_reply[1], sender)
    if len(refused) == len(recipients):
        _end_transaction(smtp, max(code for code, _ in refused.values()))
        raise smtplib.SMTPRecipientsRefused(refused)
    if data_code != 354:
        _end_transaction(smtp, data_code)
        raise smtplib.SMTPDataError(data_code, data_reply)
    body = _DOT_AT_LINE_START.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body + b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _end_transaction(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as smtplib does: a 421 means the server is closing, so close; anything
    else, reset the session for the next message."""
    if code == 421:
        smtp.close()
        return
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        pass


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend (production's, with SMTP_HOST set), writing messages out with
    `message_bytes` (the same bytes, in about half the time) and sending them with
    `send_pipelined` (docs/performance.md)."""

    def open(self):
        opened = super().open()
        sock = getattr(self.connection, "sock", None)
        if opened and sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # Every write is a whole unit (the envelope's commands, or the message), so send it
            # at once rather than hold its tail back until the server acknowledges the rest.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return opened

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = envelope_address(email_message.from_email, encoding)
        recipients = [envelope_address(address, encoding) for address in email_message.recipients()]
        try:
            send_pipelined(self.connection, from_email, recipients, message_bytes(email_message.message()))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


_worker = threading.local()


def _connection_settings() -> tuple:
    return (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)


def send_over_open_connection(message) -> None:
    """Send a message over this thread's open connection to the mail server.

    A worker sending hundreds of confirmation emails a second should not greet the SMTP server
    afresh for each: the connection is opened once per worker thread and kept. If the server has
    dropped it meanwhile (idle timeout), it is opened again and the message sent once more. If
    the server cannot be reached at all, the error goes to the caller, whose task retries later.
    """
    from django.core.mail import get_connection

    wanted = _connection_settings()
    if getattr(_worker, "settings", None) != wanted:
        close_worker_connection()
    for attempt in (1, 2):
        if getattr(_worker, "connection", None) is None:
            connection = get_connection()
            connection.open()
            _worker.connection, _worker.settings = connection, wanted
        message.connection = _worker.connection
        try:
            message.send()
            return
        except smtplib.SMTPServerDisconnected:
            close_worker_connection()
            if attempt == 2:
                raise


def can_send_to(address: str) -> bool:
    """Whether the mail builder can put this address on an envelope: its domain must encode
    (IDNA) and its local part be plain ASCII, because Django writes a non-ASCII local part as an
    encoded word that no mail server delivers. Forms check this, so that no message is queued that
    could never be built."""
    local, at, domain = (address or "").rpartition("@")
    if not at or not local.isascii():
        return False
    if _PLAIN_ADDRESS.fullmatch(address) and all(len(label) <= 63 for label in domain.split(".")):
        return True  # what sanitize_address accepts unchanged, without its full parse (0.2 ms a signature)
    try:
        sanitize_address(address, "utf-8")
    except (ValueError, UnicodeError):
        return False
    return True


def permanently_refused(error: smtplib.SMTPRecipientsRefused) -> bool:
    """Whether the server refused every recipient for good (5xx: no such mailbox), so that
    retrying cannot help; 4xx refusals (greylisting, a full mailbox) are worth retrying."""
    return all(code >= 500 for code, _ in error.recipients.values())


def close_worker_connection() -> None:
    connection = getattr(_worker, "connection", None)
    _worker.connection = None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # closing a dead connection may fail; it is gone either way
            pass

"""The demo's email backend: each message is written to a folder and summarised in the terminal.

With no SMTP server configured, an organiser trying Groundswell locally can still read exactly
what a supporter would receive: open the .eml file (any mail program opens it) or read the
terminal, where the links are printed.
"""

import re
import smtplib
import sys
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

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
    from django.core.mail.message import sanitize_address

    local, at, _domain = (address or "").rpartition("@")
    if not at or not local.isascii():
        return False
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

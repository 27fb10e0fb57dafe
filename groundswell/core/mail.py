"""The demo's email backend: each message is written to a folder and summarised in the terminal.

With no SMTP server configured, an organiser trying Groundswell locally can still read exactly
what a supporter would receive: open the .eml file (any mail program opens it) or read the
terminal, where the links are printed.
"""

import re
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

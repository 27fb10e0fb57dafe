"""Production's SMTP backend sends each message's envelope in one write to a server that
announces PIPELINING (core.mail.send_pipelined), with smtplib's outcomes for every reply.

One test talks to a bare socket server that answers nothing until MAIL, RCPT and DATA have all
arrived: a client that waited for each reply would never get there. The others send through a
real SMTP server (aiosmtpd) with PIPELINING announced and not, and check that refusals raise
what smtplib raises and leave the session fit for the next message.
"""

import smtplib
import socket
import threading

import pytest
from django.core.mail import EmailMessage, get_connection

from groundswell.core.mail import message_bytes, send_pipelined
from tests.support.mail import LocalSMTPServer

BODY = "First line.\n.A line that starts with a dot.\n..And two.\nLast line."


class _ServerThatWaitsForTheWholeEnvelope(threading.Thread):
    """Answers EHLO, then reads until DATA has arrived before answering MAIL or RCPT."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.envelope = b""
        self.content = b""
        self.error = None

    def _read_until(self, conn, buffer: bytes, marker: bytes) -> tuple[bytes, bytes]:
        while marker not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError("the client hung up")
            buffer += chunk
        head, _, rest = buffer.partition(marker)
        return head + marker, rest

    def run(self):
        try:
            conn, _ = self.listener.accept()
            conn.settimeout(5)  # a client waiting for a reply to MAIL would time out here
            with conn:
                conn.sendall(b"220 test ESMTP\r\n")
                _, buffer = self._read_until(conn, b"", b"\r\n")
                conn.sendall(b"250-test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                self.envelope, buffer = self._read_until(conn, buffer, b"DATA\r\n")
                conn.sendall(b"250 sender OK\r\n250 recipient OK\r\n354 go ahead\r\n")
                self.content, buffer = self._read_until(conn, buffer, b"\r\n.\r\n")
                conn.sendall(b"250 queued\r\n")
                _, buffer = self._read_until(conn, buffer, b"\r\n")
                conn.sendall(b"221 bye\r\n")
        except Exception as error:  # reported by the test, not lost in the thread
            self.error = error
        finally:
            self.listener.close()


def test_the_envelope_goes_in_one_write_and_the_body_is_dot_stuffed():
    server = _ServerThatWaitsForTheWholeEnvelope()
    server.start()
    data = b"Subject: hello\r\n\r\n" + BODY.replace("\n", "\r\n").encode()
    smtp = smtplib.SMTP("127.0.0.1", server.port, timeout=5)
    try:
        assert send_pipelined(smtp, "bounces+1x2@example.org", ["someone@example.org"], data) == {}
        smtp.quit()
    finally:
        smtp.close()
    server.join(5)
    assert server.error is None
    assert server.envelope == b"MAIL FROM:<bounces+1x2@example.org>\r\nRCPT TO:<someone@example.org>\r\nDATA\r\n"
    assert server.content == (
        b"Subject: hello\r\n\r\nFirst line.\r\n..A line that starts with a dot.\r\n...And two.\r\nLast line.\r\n.\r\n"
    )


@pytest.fixture(params=[True, False], ids=["pipelining", "one command at a time"])
def mail_server(request):
    server = LocalSMTPServer()
    server.handler.pipelining = request.param
    server.start()
    yield server
    server.stop()


def _message(to: str, subject: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=BODY, from_email="hello@example.org", to=[to])


@pytest.fixture
def one_path_only(mail_server, monkeypatch):
    """Where the server announces PIPELINING, smtplib's own sendmail must not be used."""
    if mail_server.handler.pipelining:
        def forbidden(*args, **kwargs):
            raise AssertionError("sent one command at a time to a server that announced PIPELINING")

        monkeypatch.setattr(smtplib.SMTP, "sendmail", forbidden)


def test_refusals_raise_what_smtplib_raises_and_the_next_message_still_goes(mail_server, one_path_only):
    backend = get_connection("groundswell.core.mail.SMTPBackend", host=mail_server.host, port=mail_server.port, timeout=5)
    backend.open()
    try:
        assert backend.send_messages([_message("first@example.org", "First")]) == 1

        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            backend.send_messages([_message("gone@nowhere.invalid", "Refused for good")])
        assert [code for code, _ in refused.value.recipients.values()] == [550]

        mail_server.handler.failing_temporarily = True
        with pytest.raises(smtplib.SMTPRecipientsRefused) as later:
            backend.send_messages([_message("second@example.org", "Try later")])
        assert [code for code, _ in later.value.recipients.values()] == [451]
        mail_server.handler.failing_temporarily = False

        assert backend.send_messages([_message("third@example.org", "Third")]) == 1
    finally:
        backend.close()
    received = mail_server.wait_for(2)
    assert [(mail.envelope_to, mail.subject) for mail in received] == [(["first@example.org"], "First"), (["third@example.org"], "Third")]
    assert all(mail.text.replace("\r\n", "\n").rstrip("\n") == BODY for mail in received)


def test_a_sender_the_server_refuses_raises_sender_refused_and_resets(mail_server, one_path_only):
    smtp = smtplib.SMTP(mail_server.host, mail_server.port, timeout=5)
    data = message_bytes(_message("someone@example.org", "Hello").message())
    try:
        with pytest.raises(smtplib.SMTPSenderRefused):
            send_pipelined(smtp, "bounces@refused.invalid", ["someone@example.org"], data)
        assert send_pipelined(smtp, "hello@example.org", ["someone@example.org"], data) == {}
    finally:
        smtp.close()
    [mail] = mail_server.wait_for(1)
    assert mail.envelope_from == "hello@example.org" and mail.subject == "Hello"


def test_an_address_with_a_display_name_is_still_sent(mail_server):
    """Not a shape the outbox puts on an envelope, but the backend takes it, as Django's does."""
    backend = get_connection("groundswell.core.mail.SMTPBackend", host=mail_server.host, port=mail_server.port, timeout=5)
    message = EmailMessage(subject="Named", body=BODY, from_email="Groundswell <hello@example.org>", to=["Sam <sam@example.org>"])
    assert backend.send_messages([message]) == 1
    [mail] = mail_server.wait_for(1)
    assert (mail.envelope_from, mail.envelope_to) == ("hello@example.org", ["sam@example.org"])

"""A letter from composing to the MP's inbox over real SMTP, and its bounce coming back."""

import io
import smtplib
import sys
from email.message import EmailMessage
from email.utils import getaddresses

import pytest
from django.core.management import call_command

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail
from groundswell.letters.models import Contact, Letter
from tests.factories import PERSONAL_SHORT, SUGGESTED, TRUST_EMAIL, make_action, make_target, personal_paragraph
from tests.support.mail import delivery_failure_report
from tests.support.queue import run_queued_tasks
from tests.supporters.test_my_data import assert_not_stored

pytestmark = pytest.mark.django_db


def _compose(client, action, **overrides):
    data = {
        "name": "Robin Reader",
        "email": "robin@example.org",
        "postcode": "gu2 7xx",
        "subject": action.subject,
        "personal": personal_paragraph(1),
        "body": SUGGESTED,
        "step": "send",
    }
    data.update(overrides)
    return client.post(f"/letters/{action.slug}/", data)


def _confirm_from_mail(client, mail):
    [link] = [link for link in mail.links() if "/letters/confirm/" in link]
    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200  # a mail scanner's GET confirms nothing
    assert_not_stored(page)  # the letter and its writer's name: never kept in a cache
    response = client.post(path)
    assert response.status_code == 302
    assert_not_stored(client.get(response["Location"]))
    return path


def test_a_letter_is_confirmed_by_email_and_reaches_the_mp_from_the_platform_with_reply_to_and_verp(client, smtp_server, imported_pack, settings):
    settings.DEFAULT_FROM_EMAIL = "Groundswell <letters@groundswell.example>"
    action = make_action()
    preview = client.post(f"/letters/{action.slug}/", {**_form(action), "step": "preview"})
    assert preview.status_code == 200
    assert "Zöe Franklin, MP for Guildford" in preview.text
    assert_not_stored(preview)
    assert not Letter.objects.exists()  # a preview stores nothing

    response = _compose(client, action)
    assert response.status_code == 302
    run_queued_tasks()
    [request_mail] = smtp_server.wait_for(1)
    assert request_mail.envelope_to == ["robin@example.org"]
    assert not Letter.objects.get().confirmed_at
    _confirm_from_mail(client, request_mail)
    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]

    letter = Letter.objects.get()
    assert letter_mail.envelope_to == ["zoe.franklin.mp@parliament.uk"]
    [row] = OutgoingEmail.objects.filter(kind="letters.letter", object_id=letter.pk)
    assert letter_mail.envelope_from == f"bounces+{outbox.bounce_token(row.pk)}@groundswell.example"
    assert letter_mail.message["From"] == "Groundswell <letters@groundswell.example>"
    assert getaddresses([letter_mail.message["Reply-To"]]) == [("Robin Reader", "robin@example.org")]
    assert "Dear Zöe Franklin," in letter_mail.text
    assert "GU2 7XX (a constituent in Guildford)" in letter_mail.text
    assert letter.sent_at is not None

    # Running the worker again sends nothing twice.
    run_queued_tasks(include_deferred=True)
    assert len(smtp_server.messages) == 2


def _form(action, **overrides):
    data = {
        "name": "Robin Reader", "email": "robin@example.org", "postcode": "GU2 7XX", "subject": action.subject,
        "personal": personal_paragraph(1), "body": SUGGESTED,
    }
    data.update(overrides)
    return data


def _receive_bounce(monkeypatch, raw: bytes, recipient: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("mail", "receive-bounce", "--recipient", recipient, stdout=out)
    return out.getvalue()


def test_a_bounce_to_the_envelope_sender_flags_the_contact_and_tells_the_supporter(client, smtp_server, imported_pack, monkeypatch):
    action = make_action()
    _compose(client, action)
    run_queued_tasks()
    _confirm_from_mail(client, smtp_server.wait_for(1)[0])
    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]
    smtp_server.clear()

    # The MP's server gives up, and sends its report to the envelope sender, through real SMTP.
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as connection:
        connection.sendmail("", [letter_mail.envelope_from], delivery_failure_report(letter_mail.envelope_from, "zoe.franklin.mp@parliament.uk"))
    [bounce] = smtp_server.wait_for(1)
    assert bounce.envelope_to == [letter_mail.envelope_from]
    smtp_server.clear()

    output = _receive_bounce(monkeypatch, bounce.message.as_bytes(), bounce.envelope_to[0])
    assert "recorded" in output
    contact = Contact.objects.get()
    assert contact.needs_attention and contact.bounce_count == 1
    run_queued_tasks()
    [notice] = smtp_server.wait_for(1)
    assert notice.envelope_to == ["robin@example.org"]
    assert "could not be delivered" in notice.subject

    # Organisers see it.
    from tests.factories import make_organiser

    organiser = make_organiser(action.campaign.organisation)
    client.force_login(organiser)
    page = client.get("/organise/letters/")
    assert "Zöe Franklin" in page.text and "bounced" in page.text


def test_an_out_of_office_reply_to_the_envelope_sender_flags_nothing(client, smtp_server, imported_pack, monkeypatch):
    action = make_action()
    _compose(client, action)
    run_queued_tasks()
    _confirm_from_mail(client, smtp_server.wait_for(1)[0])
    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]
    reply = EmailMessage()
    reply["To"] = letter_mail.envelope_from
    reply["Subject"] = "Out of office"
    reply.set_content("I am away until Monday.")
    assert "ignored" in _receive_bounce(monkeypatch, reply.as_bytes(), letter_mail.envelope_from)
    assert not Contact.objects.get().needs_attention


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Robin\r\nBcc: victim@example.net"),
        ("name", 'Robin" <x@evil.example>, "Other'),
        ("subject", "Hello\r\nBcc: victim@example.net"),
        ("subject", "Hello\nX-Injected: yes"),
        ("subject", "Hello\rTo: victim@example.net"),
        ("body", SUGGESTED + "\r\n\r\nBcc: victim@example.net\r\n"),
        ("personal", "Bcc: victim@example.net\r\nX-Injected: yes\r\n" + personal_paragraph(3)),
        ("email", "robin@example.org\r\nBcc: victim@example.net"),
        ("email", "robin@example.org, victim@example.net"),
        ("name", "Robin\u2028Bcc: victim@example.net"),
    ],
)
def test_newlines_and_header_syntax_in_any_field_never_add_a_header(client, smtp_server, imported_pack, field, value):
    action = make_action()
    response = _compose(client, action, **{field: value})
    if field == "email":
        assert response.status_code == 400  # not an email address: refused, kindly
        assert not Letter.objects.exists()
        return
    assert response.status_code == 302
    run_queued_tasks()
    _confirm_from_mail(client, smtp_server.wait_for(1)[0])
    run_queued_tasks()
    mails = smtp_server.wait_for(2)
    for mail in mails:
        assert mail.message.get_all("Bcc") is None
        assert mail.message.get_all("X-Injected") is None
        assert [k for k in mail.message.keys() if k.lower() == "to"] == ["To"]
        assert "victim@example.net" not in {address for m in mails for address in m.envelope_to}
    letter_mail = mails[1]
    assert len(getaddresses(letter_mail.message.get_all("Reply-To"))) == 1
    assert getaddresses([letter_mail.message["Reply-To"]])[0][1] == "robin@example.org"
    assert set(letter_mail.message.keys()) <= {
        "Content-Type", "MIME-Version", "Content-Transfer-Encoding", "Subject", "From", "To", "Reply-To", "Date", "Message-ID",
    }


def test_letters_to_an_institution_go_to_its_ledger_contact_email(client, smtp_server, db):
    action = make_action(to_mp=False, target=None)
    target = make_target(action.campaign.organisation, name="Surrey NHS Trust", kind="nhs_body", contact_email=TRUST_EMAIL)
    action.target = target
    action.save()
    data = _form(action)
    del data["postcode"]
    response = client.post(f"/letters/{action.slug}/", {**data, "step": "send"})
    assert response.status_code == 302
    run_queued_tasks()
    _confirm_from_mail(client, smtp_server.wait_for(1)[0])
    run_queued_tasks()
    letter_mail = smtp_server.wait_for(2)[1]
    assert letter_mail.envelope_to == [TRUST_EMAIL]
    assert "Dear Surrey NHS Trust," in letter_mail.text
    assert Letter.objects.get().postcode == ""


def test_the_personal_paragraph_is_required(client, imported_pack):
    action = make_action()
    response = client.post(f"/letters/{action.slug}/", {**_form(action, personal=""), "step": "preview"})
    assert response.status_code == 400
    assert "in your own words" in response.text
    response = client.post(f"/letters/{action.slug}/", {**_form(action, personal=PERSONAL_SHORT[:10]), "step": "send"})
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_an_unknown_postcode_gets_a_kind_message(client, imported_pack):
    action = make_action()
    response = client.post(f"/letters/{action.slug}/", {**_form(action, postcode="SW1A 1AA"), "step": "preview"})
    assert response.status_code == 400
    assert "We could not find SW1A 1AA in our postcode list" in response.text  # and offers the list (test_public_pages.py)


def test_letters_to_mps_pause_during_an_election(client, imported_pack, settings):
    settings.LETTERS_PAUSE_MPS = True
    action = make_action()
    assert "paused during the election" in client.get(f"/letters/{action.slug}/").text
    response = _compose(client, action)
    assert "paused during the election" in response.text
    assert not Letter.objects.exists()


def test_rate_limits_per_supporter_and_per_ip(client, imported_pack, settings):
    settings.LETTERS_LIMIT_PER_SUPPORTER_PER_DAY = 2
    settings.LETTERS_LIMIT_PER_IP_PER_HOUR = 3
    action = make_action()
    assert _compose(client, action).status_code == 302
    assert _compose(client, action).status_code == 302
    refused = _compose(client, action)
    assert refused.status_code == 429 and "try again tomorrow" in refused.text
    assert _compose(client, action, email="someone.else@example.org").status_code == 302  # 4th from this IP...
    assert _compose(client, action, email="third@example.org").status_code == 429  # ...the 5th is over the hour's limit
    assert Letter.objects.count() == 3


def test_a_letter_refused_for_good_by_the_server_counts_as_a_bounce(client, smtp_server, db):
    action = make_action(to_mp=False)
    action.target = make_target(action.campaign.organisation, contact_email="enquiries@nowhere.invalid")
    action.save()
    data = _form(action)
    del data["postcode"]
    client.post(f"/letters/{action.slug}/", {**data, "step": "send"})
    run_queued_tasks()
    _confirm_from_mail(client, smtp_server.wait_for(1)[0])
    smtp_server.clear()
    run_queued_tasks()
    [notice] = smtp_server.wait_for(1)
    assert notice.envelope_to == ["robin@example.org"] and "could not be delivered" in notice.subject
    assert Contact.objects.get().needs_attention
    run_queued_tasks(include_deferred=True)
    assert len(smtp_server.messages) == 1  # not retried


def test_a_letter_waits_while_the_mail_server_is_down_and_goes_once_it_is_back(client, stopped_smtp_server, imported_pack):
    action = make_action()
    _compose(client, action)
    run_queued_tasks()  # the confirmation request cannot go: retried later
    stopped_smtp_server.start()
    run_queued_tasks(include_deferred=True)
    _confirm_from_mail(client, stopped_smtp_server.wait_for(1)[0])
    stopped_smtp_server.stop()
    run_queued_tasks()
    assert Letter.objects.get().sent_at is None
    stopped_smtp_server.start()
    run_queued_tasks(include_deferred=True)
    assert stopped_smtp_server.wait_for(2)[1].envelope_to == ["zoe.franklin.mp@parliament.uk"]
    assert Letter.objects.get().sent_at is not None


def test_a_bounce_token_cannot_be_forged_or_guessed(imported_pack):
    """The token names an outbox row with a keyed check: a made-up or altered one records nothing."""
    action = make_action()
    letter = actions_write(action)
    [row] = OutgoingEmail.objects.filter(object_id=letter.pk)
    token = outbox.bounce_token(row.pk)
    assert outbox.row_id_from_bounce_token(token) == row.pk
    assert outbox.row_id_from_bounce_token(token.upper()) == row.pk  # servers may change the case
    assert outbox.record_bounce(token=f"{row.pk}x{'0' * 20}") is None
    assert outbox.record_bounce(token=f"{row.pk + 1}{token[len(str(row.pk)):]}") is None
    assert outbox.record_bounce(token="not-a-token") is None
    assert outbox.record_bounce(token=token) == row


def actions_write(action):
    from groundswell.letters import actions

    return actions.write_letter(
        action=action, name="D", email="d@example.org", postcode="GU2 7XX", subject="S", personal=personal_paragraph(1), body="B",
    )

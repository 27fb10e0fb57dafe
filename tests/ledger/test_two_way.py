"""The ledger, two-way: asks sent from the platform over a real SMTP server, institutions
answering through their private link or by replying (the inbound command on stdin), drafts that
only organisers publish, chasers on the legal clock, and figures counted apart."""

import io
import json
import sys
from datetime import date, datetime, timedelta
from email.message import EmailMessage

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from groundswell.composition.tasks import run_maintenance
from groundswell.core.models import InboundEmail
from groundswell.ledger import tokens
from groundswell.ledger.models import FollowUp, InstitutionReply, Response
from groundswell.letters.tokens import FOLLOWUP_LINK
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition, make_signature, make_target, send_asks
from tests.support.mail import delivery_failure_report
from tests.support.queue import run_queued_tasks

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _three_targets(organisation):
    return [
        make_target(organisation, name="Surrey Police", contact_email="foi@surrey.police.example"),
        make_target(organisation, name="Police Scotland", contact_email="foi@scotland.police.example", nation="SCT"),
        make_target(organisation, name="Kent Police", contact_email="foi@kent.police.example"),
    ]


def _answer_url(mail) -> str:
    return next(link for link in mail.links() if "/ledger/answer/" in link)


def _receive(monkeypatch, raw: bytes, recipient: str = "") -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    args = ["mail", "receive"] + (["--recipient", recipient] if recipient else [])
    call_command(*args, stdout=out)
    return out.getvalue()


def _reply_with_pdf(to: str, text="Please find our answer attached.") -> bytes:
    message = EmailMessage()
    message["From"] = "FOI Officer <foi@kent.police.example>"
    message["To"] = to
    message["Subject"] = "RE: Crisis care"
    message["Message-ID"] = "<reply-1@kent.police.example>"
    message.set_content(text)
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="answer.pdf")
    return message.as_bytes()


@pytest.fixture
def sent(db, smtp_server):
    organisation = make_organisation("Crisis Care Coalition")
    organiser = make_organiser(organisation, email="jo@example.org")
    organiser.first_name, organiser.last_name = "Jo", "Organiser"
    organiser.save()
    campaign = make_campaign(organisation, slug="care-not-police", title="Care not police")
    petition = make_petition(campaign, slug="care-petition", title="Care not police")
    make_signature(petition, email="a.signer@example.org", constituency_code="E14001063")
    make_signature(petition, email="b.signer@example.org", constituency_code="S14000107", postcode="")
    targets = _three_targets(organisation)
    batch = send_asks(campaign, targets, user=organiser, today=date(2026, 4, 16))
    run_queued_tasks()
    addresses = {t.contact_email for t in targets}
    mail = [m for m in smtp_server.messages if m.envelope_to[0] in addresses]
    return {"campaign": campaign, "batch": batch, "targets": targets, "organiser": organiser, "mail": mail}


def test_each_target_receives_its_own_ask_with_its_own_link_and_reply_address(sent):
    mails = {m.envelope_to[0]: m for m in sent["mail"]}
    assert set(mails) == {t.contact_email for t in sent["targets"]}
    links = {_answer_url(m) for m in mails.values()}
    replies = {str(m.message["Reply-To"]) for m in mails.values()}
    assert len(links) == 3 and len(replies) == 3
    surrey = mails["foi@surrey.police.example"]
    assert surrey.message["From"] == "Groundswell <groundswell@localhost>"
    assert "Freedom of Information Act 2000" in surrey.text
    assert "Jo Organiser, for Crisis Care Coalition, on behalf of the campaign “Care not police”" in surrey.text
    assert "2 people have signed the petition “Care not police”." in surrey.text
    assert "1 of them live in England." in surrey.text
    assert "15 May 2026" in surrey.text  # 20 working days after Thursday 16 April
    scotland = mails["foi@scotland.police.example"]
    assert "Freedom of Information (Scotland) Act 2002" in scotland.text
    ask = sent["batch"].asks.get(target__name="Surrey Police")
    assert str(surrey.message["Reply-To"]) == tokens.reply_address(ask.pk)


def test_an_answer_through_the_link_is_a_draft_until_an_organiser_publishes_it(sent, client):
    mail = next(m for m in sent["mail"] if m.envelope_to == ["foi@surrey.police.example"])
    url = _answer_url(mail)
    page = client.get(url)
    assert page.status_code == 200 and b"Your answer" in page.content
    with time_machine.travel(datetime(2026, 5, 1, 10, 0), tick=False):
        response = client.post(url, {"text": "We took 41 people <script>alert(1)</script> to a place of safety.",
                                     "commitment": "Publish the figures monthly.", "commitment_due_on": "2026-07-01"})
    assert response.status_code == 200 and b"Thank you" in response.content
    reply = InstitutionReply.objects.get()
    assert reply.state == InstitutionReply.State.DRAFT and reply.via == "link"
    target = reply.ask.target
    public = client.get(reverse("ledger:target", args=["care-not-police", target.pk])).content.decode()
    assert "41 people" not in public and "Answer received from the institution" not in public
    assert Response.objects.count() == 0

    client.force_login(sent["organiser"])
    page = client.get(reverse("ledger:reply", args=[reply.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    client.post(reverse("ledger:reply", args=[reply.pk]), {"classification": "committed", "summary": "Took 41 people; will publish monthly.",
                                                           "promise": "Publish the figures monthly.", "due_on": "2026-07-01"})
    client.logout()
    with time_machine.travel(datetime(2026, 5, 4, 10, 0), tick=False):
        public = client.get(reverse("ledger:target", args=["care-not-police", target.pk])).content.decode()
    assert "Answer received from the institution" in public and "1 May 2026" in public
    assert "Took 41 people; will publish monthly." in public
    assert "We took 41 people &lt;script&gt;" in public  # the original, escaped
    data = json.loads(client.get(reverse("ledger:json", args=["care-not-police"])).content)
    surrey = next(t for t in data["targets"] if t["name"] == "Surrey Police")
    assert surrey["figures"]["answered"] == 1 and surrey["figures"]["answered_on_time"] == 1
    assert surrey["asks"][0]["responses"][0]["from_institution"] is True


def test_a_link_answers_its_own_ask_only_and_an_expired_one_says_so_kindly(sent, client):
    mail = next(m for m in sent["mail"] if m.envelope_to == ["foi@surrey.police.example"])
    url = _answer_url(mail)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert client.get(reverse("ledger:answer", args=[tampered])).status_code == 404
    other = sent["batch"].asks.get(target__name="Kent Police")
    # A token for Kent's public id made for another purpose (another salt) does not work either.
    assert client.post(reverse("ledger:answer", args=[FOLLOWUP_LINK.make(other.public_id)]), {"text": "x"}).status_code == 404
    assert not InstitutionReply.objects.exists()
    with time_machine.travel(datetime.now() + timedelta(days=200)):
        expired = client.get(url)
    assert expired.status_code == 410 and "has expired" in expired.content.decode()
    assert "reply to the email" in expired.content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"text": ""}, "Write your answer"),
    ({"text": "x" * 100_000}, "longer than 20000 characters"),
    ({"text": "See attached.", "document": ("answer.pdf", b"<script>alert(1)</script>")}, "not a PDF"),
    ({"text": "See attached.", "document": ("answer.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024))}, "the largest we accept is 10"),
    ({"text": "See attached.", "document": ("answer.docx", b"PK\x03\x04 not a pdf")}, "not a PDF"),
    ({"text": "We will.", "commitment": "Publish.", "commitment_due_on": "2020-01-01"}, "This date has passed"),
    ({"text": "We will.", "commitment_due_on": "2099-01-01"}, "Say what you commit to"),
])
def test_bad_input_on_the_answer_form_gets_a_clear_message(sent, client, data, message):
    url = _answer_url(sent["mail"][0])
    if "document" in data:
        name, content = data["document"]
        data = {**data, "document": SimpleUploadedFile(name, content)}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InstitutionReply.objects.exists()


def test_a_reply_email_with_a_pdf_becomes_a_draft_with_its_attachment_and_original(sent, monkeypatch, client):
    ask = sent["batch"].asks.get(target__name="Kent Police")
    output = _receive(monkeypatch, _reply_with_pdf(tokens.reply_address(ask.pk)), recipient=tokens.reply_address(ask.pk))
    assert "recorded: a reply" in output
    reply = InstitutionReply.objects.get()
    assert reply.ask == ask and reply.via == "email" and "answer attached" in reply.text
    assert reply.original.read().startswith(b"From:") or b"Subject: RE: Crisis care" in reply.original.open("rb").read()
    attachment = reply.attachments.get()
    assert attachment.is_pdf and attachment.filename == "answer.pdf"
    # The mail server delivers the same message again: kept once.
    again = _reply_with_pdf(tokens.reply_address(ask.pk))
    assert "ignored: this reply" in _receive(monkeypatch, again, recipient=tokens.reply_address(ask.pk))
    assert InstitutionReply.objects.count() == 1
    client.force_login(sent["organiser"])
    client.post(reverse("ledger:reply", args=[reply.pk]), {"classification": "refused", "summary": "Refused under s.12.",
                                                           "publish_document": "on"})
    response = Response.objects.get()
    assert response.from_institution and response.document.read().startswith(b"%PDF-")


def test_unmatched_forged_and_malformed_mail_is_kept_and_never_crashes_the_command(sent, monkeypatch):
    ask = sent["batch"].asks.get(target__name="Kent Police")
    forged = tokens.reply_address(ask.pk).replace(tokens.reply_token(ask.pk), f"{ask.pk}x0000000000")
    assert "kept for staff" in _receive(monkeypatch, _reply_with_pdf(forged))
    assert "kept for staff" in _receive(monkeypatch, _reply_with_pdf("someone@elsewhere.example"))
    assert "kept for staff" in _receive(monkeypatch, b"\xff\xfe\x00garbage with no headers\r\n\r\n--\x00")
    broken = b"Content-Type: multipart/mixed; boundary=\"zz\"\r\nTo: " + tokens.reply_address(ask.pk).encode() + b"\r\n\r\n--zz\r\nContent-Type: text/plain; charset=nonsense-9\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n"
    assert _receive(monkeypatch, broken)  # taken as a reply, whatever can be read of it, or kept
    assert InboundEmail.objects.count() >= 3
    assert all(bytes(row.raw) for row in InboundEmail.objects.all())


def test_a_recorded_foi_ask_gets_its_legal_due_date(db, client):
    organisation = make_organisation()
    client.force_login(make_organiser(organisation))
    campaign = make_campaign(organisation)
    target = make_target(organisation, name="Police Scotland", nation="SCT")
    client.post(reverse("ledger:ask_create", args=[target.pk]), {
        "campaign": campaign.pk, "asked_on": "2026-11-13", "channel": "letter", "kind": "foi", "text": "How many?",
    })
    assert target.asks.get().due_on == date(2026, 12, 14)  # St Andrew's Day skipped


def test_a_bounce_still_goes_through_mail_receive(sent, monkeypatch):
    mail = sent["mail"][0]
    assert "recorded: bounce" in _receive(monkeypatch, delivery_failure_report(mail.envelope_from), recipient=mail.envelope_from)


def _chasers(ask):
    return list(FollowUp.objects.filter(ask=ask, kind="chaser").order_by("number").values_list("sent_on", flat=True))


def test_chasers_go_on_the_right_working_days_and_stop_when_an_answer_arrives(sent, smtp_server, client):
    surrey = sent["batch"].asks.get(target__name="Surrey Police")  # due Friday 15 May 2026
    kent = sent["batch"].asks.get(target__name="Kent Police")
    assert surrey.due_on == date(2026, 5, 15)
    before = len(smtp_server.messages)
    day = date(2026, 5, 14)
    while day <= date(2026, 6, 20):
        if day == date(2026, 5, 19):  # Kent answers through its link after its first chaser
            client.post(_answer_url(next(m for m in sent["mail"] if m.envelope_to == ["foi@kent.police.example"])), {"text": "Answer."})
        run_maintenance.call(now=datetime(day.year, day.month, day.day, 9, 0).isoformat())
        run_queued_tasks()  # the worker sends what housekeeping queued
        day += timedelta(days=1)
    # Monday 18 May; then a week later, Monday 25 May is the Spring bank holiday: Tuesday 26 May; then 2 June; three at most.
    assert _chasers(surrey) == [date(2026, 5, 18), date(2026, 5, 26), date(2026, 6, 2)]
    assert _chasers(kent) == [date(2026, 5, 18)]
    chasers = [m for m in smtp_server.messages[before:] if m.subject.startswith("Reminder")]
    assert len(chasers) == 3 + 1 + 3  # Surrey, Kent, and Police Scotland (FOISA: the same dates here)
    assert all(_answer_url(m) for m in chasers)


def test_a_scottish_only_holiday_and_easter_move_the_chasers(db, smtp_server):
    organisation = make_organisation()
    campaign = make_campaign(organisation)
    england = make_target(organisation, name="Surrey Police", contact_email="a@surrey.example")
    scotland = make_target(organisation, name="Police Scotland", contact_email="a@scotland.example", nation="SCT")
    # A campaign ask, chased after 10 working days: Monday 16 November 2026 -> 30 November in
    # England, but St Andrew's Day is a holiday in Scotland: 1 December.
    send_asks(campaign, [england, scotland], kind="campaign", today=date(2026, 11, 16))
    # An FOI request before Easter: sent Thursday 2 April 2026, due 5 May (Good Friday, Easter
    # Monday and May Day skipped), first chaser Wednesday 6 May.
    easter = send_asks(campaign, [make_target(organisation, name="Kent Police", contact_email="a@kent.example")], today=date(2026, 4, 2))
    for day in [date(2026, 5, 5), date(2026, 5, 6)] + [date(2026, 11, 27) + timedelta(days=n) for n in range(6)]:
        run_maintenance.call(now=datetime(day.year, day.month, day.day, 9).isoformat())
    assert _chasers(easter.asks.get())[0] == date(2026, 5, 6)
    assert _chasers(england.asks.get()) == [date(2026, 11, 30)]
    assert _chasers(scotland.asks.get()) == [date(2026, 12, 1)]


def test_an_overdue_foi_request_explains_review_and_the_commissioner_and_the_organiser_can_ask_for_review(sent, client):
    surrey = sent["batch"].asks.get(target__name="Surrey Police")
    with time_machine.travel(datetime(2026, 5, 28, 12, 0), tick=False):
        public = client.get(reverse("ledger:target", args=["care-not-police", surrey.target_id])).content.decode()
        assert "answer due" in public and "15 May" in public
        assert "8 working days overdue" in public  # 18-22, 26-28 May (25 May a bank holiday)
        assert "Information Commissioner" in public
        client.force_login(sent["organiser"])
        client.post(reverse("ledger:internal_review", args=[surrey.pk]))
    assert FollowUp.objects.filter(ask=surrey, kind="internal_review").exists()


def test_the_batch_view_and_the_csv_count_each_thing_apart(sent, client, monkeypatch):
    kent = sent["batch"].asks.get(target__name="Kent Police")
    _receive(monkeypatch, _reply_with_pdf(tokens.reply_address(kent.pk)), recipient=tokens.reply_address(kent.pk))
    client.force_login(sent["organiser"])
    with time_machine.travel(datetime(2026, 5, 20, 12, 0), tick=False):
        page = client.get(reverse("ledger:batch", args=[sent["batch"].pk])).content.decode()
        csv_text = client.get(reverse("ledger:csv", args=["care-not-police"])).content.decode()
    assert "Answer received: waiting for you" in page
    assert "Silent, 3 working days overdue" in page
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("target,target_kind") and len(lines) == 4
    assert "they are not added into a score" in page


def test_the_demo_has_a_batch_with_one_answered_by_link_and_one_chased(db, client, settings, tmp_path):
    from groundswell.composition.demo import load_demo_data

    settings.DATA_DIR = tmp_path
    load_demo_data(signatures=5)
    load_demo_data(signatures=5)  # once only
    data = client.get(reverse("ledger:json", args=["care-not-police"])).json()
    by_name = {t["name"]: t for t in data["targets"]}
    sabp = by_name["Surrey and Borders Partnership NHS Foundation Trust"]
    assert any(r["from_institution"] for a in sabp["asks"] for r in a["responses"])
    sussex = by_name["Sussex Police"]["asks"][0]
    assert sussex["kind"] == "foi" and sussex["working_days_overdue"] > 0
    assert [f["number"] for f in sussex["follow_ups"]] == [1, 2, 3][:len(sussex["follow_ups"])] and sussex["follow_ups"]
    assert FollowUp.objects.filter(ask__batch__isnull=False).count() == len(sussex["follow_ups"]) + len(by_name["Surrey Police"]["asks"][-1]["follow_ups"])

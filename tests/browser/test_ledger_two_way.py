"""The ledger, two-way, in a real browser: an organiser sends one ask to three police forces at
once; each receives it at a real SMTP server with its own link and reply address; one answers
through its link, one replies by email with a PDF (piped to `groundswell mail receive`), one
stays silent and is chased on the right working days. Nothing is public until an organiser
publishes it. axe-core checks the answer form, the batch view and the target pages."""

import io
import sys
from datetime import date, datetime, timedelta
from email.message import EmailMessage

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from groundswell.composition.tasks import run_maintenance
from groundswell.ledger.models import FollowUp, InstitutionReply
from tests.factories import make_campaign, make_organisation, make_organiser, make_target
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _log_in(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _pipe_to_mail_receive(monkeypatch, raw: bytes, recipient: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("mail", "receive", "--recipient", recipient, stdout=out)
    return out.getvalue()


def test_one_ask_to_three_forces_answered_by_link_by_email_and_chased(site, page, axe, smtp_server, monkeypatch):
    organisation = make_organisation("Crisis Care Coalition")
    make_organiser(organisation, email="jo@example.org", password=PASSWORD)
    make_campaign(organisation, slug="care-not-police", title="Care not police")
    for name, address, nation in [("Surrey Police", "foi@surrey.example", "ENG"), ("Kent Police", "foi@kent.example", "ENG"),
                                  ("Police Scotland", "foi@scotland.example", "SCT")]:
        make_target(organisation, name=name, contact_email=address, nation=nation)

    with time_machine.travel(datetime(2026, 4, 16, 10, 0), tick=True):  # a Thursday
        _log_in(page, site, "jo@example.org")
        page.goto(f"{site}/organise/ledger/")
        page.get_by_role("link", name="Send an ask from the platform").first.click()
        page.get_by_label("Kind of target").select_option("police_force")
        page.get_by_role("button", name="Tick these targets").click()
        for name in ("Surrey Police", "Kent Police", "Police Scotland"):
            expect(page.get_by_label(name, exact=False)).to_be_checked()
        page.get_by_label("Freedom of information request").check()
        page.get_by_label("Subject", exact=True).fill("Crisis care figures")
        page.get_by_label("What you ask").fill("How many people in mental health crisis did your officers detain in 2025?")
        axe.assert_no_violations(page)
        page.get_by_role("button", name="Send the ask").click()
        expect(page.get_by_role("status")).to_contain_text("Sent the ask to 3 targets")
        expect(page.get_by_role("heading", level=1)).to_have_text("Crisis care figures")
        axe.assert_no_violations(page)  # the batch view
        batch_url = page.url

        run_queued_tasks()
        mails = {m.envelope_to[0]: m for m in smtp_server.wait_for(3)}
        assert set(mails) == {"foi@surrey.example", "foi@kent.example", "foi@scotland.example"}
        links = {a: next(link for link in m.links() if "/ledger/answer/" in link) for a, m in mails.items()}
        reply_to = {a: str(m.message["Reply-To"]) for a, m in mails.items()}
        assert len(set(links.values())) == 3 and len(set(reply_to.values())) == 3
        assert all(r.startswith("answer+") for r in reply_to.values())

    with time_machine.travel(datetime(2026, 5, 6, 11, 0), tick=True):
        # Surrey answers through its private link: mistakes first.
        page.goto(links["foi@surrey.example"])
        axe.assert_no_violations(page)
        page.get_by_role("button", name="Send your answer").click()
        expect(page.get_by_role("alert")).to_contain_text("problem")
        axe.assert_no_violations(page)
        page.get_by_label("Your answer").fill("We detained 212 people under section 136 in 2025.")
        page.get_by_label("What you commit to (optional)").fill("Publish the figures every quarter.")
        page.get_by_label("By when (optional)").fill("2026-09-30")
        page.get_by_role("button", name="Send your answer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answer has arrived")

        # Kent replies by email with a PDF, as the mail server pipes it.
        reply = EmailMessage()
        reply["From"], reply["To"], reply["Subject"] = "FOI Unit <foi@kent.example>", reply_to["foi@kent.example"], "RE: Crisis care figures"
        reply.set_content("Our answer is attached.")
        reply.add_attachment(PDF, maintype="application", subtype="pdf", filename="FOI-2026-118.pdf")
        assert "recorded: a reply" in _pipe_to_mail_receive(monkeypatch, reply.as_bytes(), reply_to["foi@kent.example"])

        # A changed link fails, kindly.
        page.goto(links["foi@surrey.example"].rstrip("/") + "x/")
        expect(page.get_by_role("heading", level=1)).to_have_text("This answer link does not work")
        axe.assert_no_violations(page)

        # Nothing is public yet.
        surrey = InstitutionReply.objects.get(ask__target__name="Surrey Police").ask.target
        page.goto(f"{site}/campaigns/care-not-police/ledger/{surrey.pk}/")
        expect(page.locator("#main")).not_to_contain_text("212 people")
        expect(page.locator("#main")).not_to_contain_text("Answer received from the institution")
        axe.assert_no_violations(page)

        # The organiser sees the drafts, classifies Surrey's and publishes it.
        _log_in(page, site, "jo@example.org")  # three weeks on: the session has ended
        page.goto(f"{site}/organise/ledger/")
        expect(page.locator("main")).to_contain_text("Answers waiting for you")
        axe.assert_no_violations(page)
        page.goto(batch_url)
        expect(page.locator("main")).to_contain_text("2 answers are waiting for you to publish them")
        page.get_by_role("link", name="Surrey Police").click()
        axe.assert_no_violations(page)  # the organisers' target page, with the draft waiting
        page.get_by_role("link", name="Read, classify and publish it").click()
        page.get_by_label("Committed", exact=True).check()
        page.get_by_label("Summary").fill("Surrey Police gave its 2025 figure and promised quarterly figures.")
        axe.assert_no_violations(page)
        page.get_by_role("button", name="Publish the answer").click()
        expect(page.get_by_role("status")).to_contain_text("Published the answer from Surrey Police")

        page.goto(f"{site}/campaigns/care-not-police/ledger/{surrey.pk}/")
        main = page.locator("#main")
        expect(main).to_contain_text("Answer received from the institution on 6 May 2026")
        expect(main).to_contain_text("promised quarterly figures")
        page.get_by_text("Their answer as they sent it").click()
        expect(main).to_contain_text("We detained 212 people under section 136 in 2025.")
        axe.assert_no_violations(page)

    # The clock moves on: only the silent force is chased, on working days.
    before = len(smtp_server.messages)
    day = date(2026, 5, 14)
    while day <= date(2026, 6, 10):
        run_maintenance.call(now=datetime(day.year, day.month, day.day, 9, 0).isoformat())
        run_queued_tasks()  # the worker sends what housekeeping queued
        day += timedelta(days=1)
    chasers = FollowUp.objects.filter(kind="chaser").order_by("sent_on")
    assert [(f.ask.target.name, f.sent_on) for f in chasers] == [
        ("Police Scotland", date(2026, 5, 18)),  # due Friday 15 May; the next working day
        ("Police Scotland", date(2026, 5, 26)),  # a week on, Monday 25 May is a bank holiday
        ("Police Scotland", date(2026, 6, 2)),
    ]
    sent = [m for m in smtp_server.messages[before:] if m.envelope_to != ["jo@example.org"]]  # not the organisers' digest
    assert [m.envelope_to for m in sent] == [["foi@scotland.example"]] * 3
    assert all(m.subject.startswith("Reminder") for m in sent)

    with time_machine.travel(datetime(2026, 9, 1, 12, 0), tick=True):  # 138 days on: the link has expired
        page.goto(links["foi@scotland.example"])
        expect(page.get_by_role("heading", level=1)).to_have_text("This answer link has expired")
        axe.assert_no_violations(page)

    with time_machine.travel(datetime(2026, 5, 28, 12, 0), tick=True):
        scotland = FollowUp.objects.first().ask.target
        page.goto(f"{site}/campaigns/care-not-police/ledger/{scotland.pk}/")
        main = page.locator("#main")
        expect(main).to_contain_text("answer due 15 May")
        expect(main).to_contain_text("8 working days overdue")
        expect(main).to_contain_text("Scottish Information Commissioner")
        expect(main).to_contain_text("Chaser 2 sent")
        axe.assert_no_violations(page)
        _log_in(page, site, "jo@example.org")
        page.goto(batch_url)
        expect(page.locator("main")).to_contain_text("Silent, 8 working days overdue")
        axe.assert_no_violations(page)
        page.get_by_role("link", name="How “Care not police” chases its asks").click()
        axe.assert_no_violations(page)
        page.get_by_label("Chasers at most").fill("2")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Saved how")

"""Near-identical letters go in one daily digest; follow-up answers make the figures; words expire."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.models import OutgoingEmail
from groundswell.composition.tasks import run_maintenance
from groundswell.letters import actions, fingerprints, queries
from groundswell.letters.models import Contact, Letter
from tests.factories import PERSONAL_SHORT, SUGGESTED, TRUST_EMAIL, make_action, make_target, personal_paragraph
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _write(action, n, *, personal, body=SUGGESTED, postcode="GU2 7XX"):
    return actions.write_letter(
        action=action, name=f"Writer {n}", email=f"writer{n}@example.org", postcode=postcode,
        subject=action.subject, personal=personal, body=body,
    )


def _confirm_all():
    for letter in Letter.objects.filter(confirmed_at__isnull=True):
        actions.confirm_letter(letter=letter)


def test_fingerprints_tell_copies_from_letters_in_someones_own_words():
    copy = fingerprints.minhash(PERSONAL_SHORT + " " + SUGGESTED)
    other_copy = fingerprints.minhash("I am from Guildford and this matters. " + SUGGESTED.upper().replace(".", "!"))
    own = fingerprints.minhash(personal_paragraph(7) + " " + SUGGESTED)
    assert fingerprints.estimated_similarity(copy, other_copy) > 0.7
    assert fingerprints.estimated_similarity(copy, own) < 0.7


def test_twenty_near_identical_letters_arrive_as_one_digest_and_personal_letters_one_by_one(smtp_server, imported_pack, settings):
    settings.LETTERS_LIMIT_PER_IP_PER_HOUR = 100
    action = make_action()
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        for n in range(20):
            _write(action, n, personal=f"{PERSONAL_SHORT} Writer {n}.")
        for n in range(20, 23):
            _write(action, n, personal=personal_paragraph(n), body="In my own words, entirely. " + personal_paragraph(n + 100))
        assert Letter.objects.filter(is_bundled=True).count() == 20
        run_queued_tasks()
        assert len(smtp_server.wait_for(23)) == 23  # the confirmation requests
        smtp_server.clear()
        _confirm_all()
        run_queued_tasks()
        personal = smtp_server.wait_for(3)
        assert len(personal) == 3
        assert all(m.envelope_to == ["zoe.franklin.mp@parliament.uk"] for m in personal)
        assert {m.message["Reply-To"] for m in personal} == {f"Writer {n} <writer{n}@example.org>" for n in range(20, 23)}
        run_maintenance.call()
        run_queued_tasks()
        assert len(smtp_server.messages) == 3  # the digest waits for the day to pass
    with time_machine.travel(start + timedelta(hours=settings.LETTERS_DIGEST_HOURS, minutes=1), tick=True):
        smtp_server.clear()
        run_maintenance.call()
        run_queued_tasks()
        [digest] = smtp_server.wait_for(1)
        assert digest.envelope_to == ["zoe.franklin.mp@parliament.uk"]
        assert digest.subject.startswith("20 constituents wrote this")
        [row] = OutgoingEmail.objects.filter(kind="letters.digest")
        assert digest.envelope_from.startswith(f"bounces+{outbox.bounce_token(row.pk)}@")
        for n in range(20):
            assert f"Writer {n}, GU2 7XX <writer{n}@example.org>" in digest.text
        assert Letter.objects.filter(sent_at__isnull=False).count() == 23
        run_maintenance.call()
        run_queued_tasks()
        assert len(smtp_server.messages) == 1  # sent once


def test_the_preview_tells_the_writer_honestly_when_their_letter_will_go_in_the_digest(client, imported_pack):
    action = make_action()
    data = {"name": "Robin", "email": "robin@example.org", "postcode": "GU2 7XX", "subject": action.subject, "body": SUGGESTED}
    copy = client.post(f"/letters/{action.slug}/", {**data, "personal": PERSONAL_SHORT, "step": "preview"})
    # Nobody else has written yet: it is like the suggested letter, not like others' letters.
    assert "Your letter is very like the suggested letter" in copy.text
    assert "letters others are sending" not in copy.text
    _write(action, 1, personal=PERSONAL_SHORT)
    _confirm_all()
    copy = client.post(f"/letters/{action.slug}/", {**data, "personal": PERSONAL_SHORT, "step": "preview"})
    assert "Your letter is very like letters others are sending" in copy.text
    own = client.post(f"/letters/{action.slug}/", {**data, "personal": personal_paragraph(4) + " " + personal_paragraph(5), "step": "preview"})
    assert "will be sent on its own" in own.text


def _send_letters(action, count, smtp_server):
    for n in range(count):
        _write(action, n, personal=personal_paragraph(n), body="My own letter. " + personal_paragraph(n + 500))
    _confirm_all()
    run_queued_tasks()
    smtp_server.clear()


def test_follow_up_answers_make_the_recipients_figures_and_survive_deletion_of_the_words(client, smtp_server, imported_pack, settings):
    settings.LETTERS_FIGURES_MIN_ANSWERS = 4
    settings.LETTERS_LIMIT_PER_IP_PER_HOUR = 100
    action = make_action()
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        _send_letters(action, 5, smtp_server)
    contact = Contact.objects.get()
    assert not queries.responsiveness(contact).published

    with time_machine.travel(start + timedelta(days=14, minutes=5), tick=True):
        run_maintenance.call()
        run_queued_tasks()
        followups = smtp_server.wait_for(5)
        assert all(m.subject == "Did you get a reply from Zöe Franklin?" for m in followups)
        smtp_server.clear()
        answers = ["replied", "replied", "form_reply", "no_reply"]
        for mail, answer in zip(sorted(followups, key=lambda m: m.envelope_to[0]), answers):
            [link] = [link for link in mail.links() if link.rstrip("/").endswith(answer)]
            path = link.removeprefix("http://testserver")
            assert client.get(path).status_code == 200
            assert client.post(path).status_code == 200
        assert Letter.objects.exclude(answer="").count() == 4

    figures = queries.responsiveness(contact)
    assert figures.published and (figures.answers, figures.responded) == (4, 3)
    assert figures.low < 0.75 < figures.high
    page = client.get(f"/letters/recipients/{contact.pk}/")
    assert "75%" in page.text and "of 4 people" in page.text

    with time_machine.travel(start + timedelta(days=21, minutes=10), tick=True):
        run_maintenance.call()
        run_queued_tasks()
        [reminder] = smtp_server.wait_for(1)  # only the one who did not answer
        assert reminder.subject.strip().startswith("Reminder: Did you get a reply")
        smtp_server.clear()

    with time_machine.travel(start + timedelta(days=settings.LETTERS_TEXT_RETENTION_DAYS, minutes=15), tick=True):
        run_maintenance.call()
        for letter in Letter.objects.all():
            assert letter.text_deleted_at is not None
            assert (letter.subject, letter.body, letter.personal, letter.supporter_name, letter.supporter_email, letter.postcode) == ("",) * 6
        assert queries.responsiveness(contact) == figures
        assert "75%" in client.get(f"/letters/recipients/{contact.pk}/").text


def test_an_unconfirmed_letter_gets_one_reminder_and_is_deleted_after_seven_days(smtp_server, imported_pack):
    action = make_action()
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        _write(action, 1, personal=personal_paragraph(1))
        run_queued_tasks()
        smtp_server.wait_for(1)
        smtp_server.clear()
    for day in (3, 4, 5):
        with time_machine.travel(start + timedelta(days=day, minutes=1), tick=True):
            run_maintenance.call()
            run_queued_tasks()
    [reminder] = smtp_server.wait_for(1)
    assert reminder.subject.strip().startswith("Reminder: Please confirm your letter")
    with time_machine.travel(start + timedelta(days=7, minutes=2), tick=True):
        run_maintenance.call()
        assert not Letter.objects.exists()


def test_a_ledger_targets_page_shows_the_reply_figure_of_letters_to_it(client, settings):
    from groundswell.ledger.models import Ask

    settings.LETTERS_FIGURES_MIN_ANSWERS = 3
    action = make_action(to_mp=False)
    target = make_target(action.campaign.organisation, contact_email=TRUST_EMAIL)
    action.target = target
    action.save()
    Ask.objects.create(campaign=action.campaign, target=target, text="Fund crisis care.")
    page = f"/campaigns/{action.campaign.slug}/ledger/{target.pk}/"
    assert "Replies to supporters" not in client.get(page).text
    for n, answer in enumerate(["replied", "no_reply", "no_reply"]):
        letter = _write(action, n, personal=personal_paragraph(n), postcode="")
        actions.record_answer(letter=letter, answer=answer)
    text = client.get(page).text
    assert "Replies to supporters" in text
    assert "33%" in text and "of 3 people" in text

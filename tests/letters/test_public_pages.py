"""Letters' public pages: what organisers, targets and writers typed is shown as text, never markup."""

import pytest
from django.test import Client

from groundswell.letters import actions
from groundswell.letters.models import Letter
from groundswell.letters.tokens import CONFIRM, FOLLOWUP, make_token
from tests.letters.helpers import SUGGESTED, make_action, make_target, personal_paragraph

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">'
BOLD = "<b>bold</b>"


def _form(action, **overrides):
    data = {
        "name": "Robin Reader", "email": "robin@example.org", "subject": action.subject,
        "personal": personal_paragraph(1), "body": SUGGESTED,
    }
    if action.to_mp:
        data["postcode"] = "GU2 7XX"
    data.update(overrides)
    return data


def _assert_inert(html: str, label: str):
    assert "<meta http-equiv" not in html, label
    assert "<b>bold" not in html, label
    assert "&lt;meta http-equiv" in html or "&lt;b&gt;bold" in html, f"{label} does not show the text at all"


def test_html_in_a_suggested_text_a_targets_name_or_a_letter_is_shown_as_text_on_every_letter_page(client):
    action = make_action(to_mp=False, suggested_text=f"Suggested {REFRESH}\nsecond line")
    action.target = make_target(action.campaign.organisation, name=f"Trust {BOLD}")
    action.save()
    form = _form(action, name=f"Robin {BOLD}", personal=personal_paragraph(1) + " " + REFRESH, body=f"{REFRESH}\nsecond line")

    preview = client.post(f"/letters/{action.slug}/", {**form, "step": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    _assert_inert(html, "preview")
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
    assert "&lt;/b&gt;,<br>" in html  # "Dear Trust <b>bold</b>," escaped, its line break kept

    compose = client.get(f"/letters/{action.slug}/").content.decode()
    _assert_inert(compose, "compose")

    letter = actions.write_letter(action=action, **{k: v for k, v in form.items() if k != "postcode"}, postcode="")
    confirm_token = make_token(letter.public_id, purpose=CONFIRM)
    pages = {"confirm": client.get(f"/letters/confirm/{confirm_token}/")}
    actions.confirm_letter(letter=letter)
    pages["confirmed"] = client.get(f"/letters/confirmed/{confirm_token}/")
    pages["answer"] = Client().get(f"/letters/reply/{make_token(letter.public_id, purpose=FOLLOWUP)}/replied/")
    pages["recipient"] = client.get(f"/letters/recipients/{letter.contact_id}/")
    for label, response in pages.items():
        assert response.status_code == 200, label
        _assert_inert(response.content.decode(), label)
    assert Letter.objects.count() == 1

"""Forms render through Django's own field and form templates (FORM_RENDERER), pointed at the
project's: every input names its hint and its error, and the summary above links to it."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from tests.factories import make_petition
from tests.protection.helpers import form_data


class _Elements(HTMLParser):
    """Every start tag's attributes, in order, and every id on the page."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.ids = [], set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])

    def find(self, **wanted):
        return [attrs for _, attrs in self.elements if all(attrs.get(k) == v for k, v in wanted.items())]


class _Example(forms.Form):
    name = forms.CharField(label="Your name", help_text="As you would like it written.", widget=forms.TextInput(attrs={"autocomplete": "name"}))
    nickname = forms.CharField(label="Nickname", required=False)
    where = forms.ChoiceField(label="Where you live", choices=[("uk", "In the UK"), ("abroad", "Abroad")], widget=forms.RadioSelect, help_text="Choose one.")
    agree = forms.BooleanField(label="I agree to something long", help_text="You can change your mind.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"].summary_label = "Your agreement"


def _render(template, **context):
    return Template(template).render(Context(context))


def test_a_field_with_a_hint_and_an_error_names_both_and_the_summary_links_to_it():
    page = _render("{{ form }}", form=_Example(data={"name": "", "where": "mars"}))
    found = _Elements(page)
    (name_input,) = found.find(name="name")
    assert name_input["aria-describedby"].split() == ["id_name_helptext", "id_name_error"]
    assert set(name_input["aria-describedby"].split()) <= found.ids  # both exist on the page
    assert found.find(id="id_name_helptext")[0]["class"] == "hint"
    assert found.find(id="id_name_error")[0]["class"] == "error-message"
    assert name_input["aria-invalid"] == "true" and name_input["autocomplete"] == "name"
    assert name_input["id"] == "id_name" and found.find(href="#id_name")  # the summary links to the input
    assert "There are 3 problems to fix" in page
    assert '<a href="#id_name">Your name: This field is required.</a>' in page
    assert '<a href="#id_agree">Your agreement: This field is required.</a>' in page  # summary_label


def test_radios_are_a_fieldset_with_a_legend_that_names_the_hint_and_the_error():
    page = _render("{{ form.where.as_field_group }}", form=_Example(data={"where": "mars"}))
    found = _Elements(page)
    (fieldset,) = found.find(id="id_where")
    assert [tag for tag, attrs in found.elements if attrs is fieldset] == ["fieldset"]
    assert fieldset["aria-describedby"].split() == ["id_where_helptext", "id_where_error"]
    assert set(fieldset["aria-describedby"].split()) <= found.ids
    assert "<legend>Where you live</legend>" in page
    radios = found.find(type="radio")
    assert len(radios) == 2 and all(r["aria-invalid"] == "true" and "aria-describedby" not in r for r in radios)
    assert all(found.find(**{"for": r["id"]}) for r in radios)  # each choice has its label


def test_optional_fields_say_so_and_labels_have_no_colon():
    page = _render("{{ form }}", form=_Example())
    assert '<label for="id_nickname">Nickname <span class="hint inline-hint">(optional)</span></label>' in page
    assert '<label for="id_name">Your name</label>' in page
    assert "aria-invalid" not in page and "error-summary" not in page
    assert '<div class="choice">' in page  # the checkbox beside its label


@pytest.mark.django_db
def test_every_description_on_the_sign_form_with_errors_points_at_something_on_the_page(client):
    petition = make_petition()
    data = {**form_data(petition, email="not-an-email"), "name": ""}
    del data["consent"]
    response = client.post(reverse("petitions:detail", args=[petition.slug]), data)
    assert response.status_code == 400
    found = _Elements(response.content.decode())
    described = [attrs for _, attrs in found.elements if attrs.get("aria-describedby")]
    assert len(described) >= 4
    for attrs in described:
        assert set(attrs["aria-describedby"].split()) <= found.ids, attrs
    for field in ("name", "email", "consent"):
        (widget,) = found.find(name=field)
        assert widget["aria-invalid"] == "true" and f"id_{field}_error" in widget["aria-describedby"].split()
        assert found.find(href=f"#id_{field}")

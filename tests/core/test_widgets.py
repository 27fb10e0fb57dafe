from django import forms
from django.test.html import parse_html

from groundswell.core.widgets import LongSelect

CHOICES = [("", "Choose"), ("FR", "France"), ("XX", "Tom & <Jerry>")]


def test_long_select_renders_what_djangos_select_renders():
    for value in (None, "", "FR", "XX", "nonsense"):
        ours = LongSelect(choices=CHOICES, attrs={"autocomplete": "country"}).render("country", value, attrs={"id": "id_country"})
        django = forms.Select(choices=CHOICES, attrs={"autocomplete": "country"}).render("country", value, attrs={"id": "id_country"})
        assert parse_html(ours) == parse_html(django), value
    assert "Tom &amp; &lt;Jerry&gt;" in LongSelect(choices=CHOICES).render("c", None)

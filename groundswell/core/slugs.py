"""Web addresses (slugs) made from titles in any script, never empty, and unique.

Why ASCII (Django's `slugify` without `allow_unicode`): campaign links are pasted into texts,
WhatsApp and emails, where a Greek or Arabic path often turns into a string of `%CE%95…` six
times as long; and a Cyrillic "а" cannot pass for a Latin "a" in a link meant to look like
another organisation's. Accented Latin (Welsh "ŵ", French "é") keeps its letter without the
accent. A title with no Latin letters or digits at all gets `<prefix>-<random>`, and organisers
can type a web address of their own.

A form calls `fill_slug()` in its `clean()`; `slug_error_messages()` gives the slug field's
error messages in plain words. Models add `slug_not_empty()` as a database constraint.
"""

import secrets

from django.db import IntegrityError, models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 80

# The slug field's messages: Django's say "Enter a valid “slug” consisting of …" and
# "Petition with this Slug already exists."
SLUG_ERROR_MESSAGES = {
    "invalid": _("Use only the letters a to z, numbers and hyphens in the web address, like care-not-police."),
    "unique": _("This web address is already used: type a different one."),
    "max_length": _("Keep the web address to 80 characters or fewer."),
}


def slug_not_empty(name: str) -> models.CheckConstraint:
    """An empty slug makes every link to the row unbuildable (and the organisers' page fail)."""
    return models.CheckConstraint(condition=~models.Q(slug=""), name=name)


def slug_from_title(title: str, *, prefix: str) -> str:
    """The title as a web address, or `<prefix>-<random>` when it has no Latin letters or digits."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 8].strip("-_")
    return base or f"{prefix}-{secrets.token_hex(3)}"


def unique_slug(queryset, title: str, *, prefix: str, exclude_pk=None) -> str:
    """A slug made from the title that no row of `queryset` (other than `exclude_pk`) has yet:
    "care-not-police", then "care-not-police-2", … A petition in another organisation with the
    same title is not an error the organiser can see or fix."""
    base = slug_from_title(title, prefix=prefix)
    others = queryset.exclude(pk=exclude_pk) if exclude_pk else queryset
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    for n in range(2, 1000):
        candidate = f"{base}-{n}"
        if candidate not in taken:
            return candidate
    return f"{base}-{secrets.token_hex(3)}"


class SlugFromTitleMixin:
    """For a ModelForm with `title` and an optional `slug`: a blank slug is made from the title.

    A title already used in the same scope (a petition's campaign, a campaign's organisation)
    with the slug left blank is an error on the title that says what to do, rather than
    Django's "Petition with this Slug already exists." about a field nobody typed in. Set
    `slug_prefix`, `title_scope_field` and `duplicate_title_message` on the form.
    """

    slug_prefix = "page"
    title_scope_field = None
    duplicate_title_message = _("This title is already used: change the title or type a different web address.")

    def _setup_slug_field(self):
        field = self.fields["slug"]
        field.required = False
        field.label = _("Web address")
        field.help_text = _("The last part of the page's web address: letters a to z, numbers and hyphens. Leave it blank to make one from the title.")
        field.error_messages.update(SLUG_ERROR_MESSAGES)

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip()

    def fill_slug(self, cleaned: dict) -> None:
        """Call from `clean()`: make the slug when it was left blank."""
        if cleaned.get("slug") or "slug" in self.errors or not cleaned.get("title"):
            return
        model = self._meta.model
        pk = self.instance.pk
        if self.title_scope_field:
            scope = cleaned.get(self.title_scope_field)
            if scope is None:
                return  # the scope field has its own error
            same_title = model.objects.filter(**{self.title_scope_field: scope, "title__iexact": cleaned["title"]})
            if same_title.exclude(pk=pk).exists():
                self.add_error("title", self.duplicate_title_message)
                return
        cleaned["slug"] = unique_slug(model.objects.all(), cleaned["title"], prefix=self.slug_prefix, exclude_pk=pk)


def save_with_unique_slug(save, *, form):
    """Call `save(form=form)`; if someone else took the same slug a moment ago (the unique
    constraint fires between the form's check and the insert), say so on the form and return
    None instead of failing with a 500."""
    try:
        return save(form=form)
    except IntegrityError:
        slug = form.cleaned_data.get("slug")
        if not form._meta.model.objects.filter(slug=slug).exclude(pk=form.instance.pk).exists():
            raise  # another rule broke: not something the organiser can fix on this form
        form.add_error("slug", SLUG_ERROR_MESSAGES["unique"])
        return None

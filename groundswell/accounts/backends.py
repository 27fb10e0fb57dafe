"""Logging in with an email address, whatever its case.

Organisers log in with their email address, which is their username. People type addresses with
capitals (`Organiser@Example.org`, or a phone capitalising the first letter), and an address's
case carries no meaning in practice, so the lookup ignores it. django-axes counts failures on the
same normalised name (`login_name_for_axes`), so case variants share one limit.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalise_login_name(name) -> str:
    return (name or "").strip().lower()


def login_name_for_axes(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the name failures are counted under. Cut to the length of axes'
    column so that no login form (ours or the admin's) can make its insert fail."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    name = (credentials or {}).get(field)
    if name is None and request is not None:
        name = request.POST.get(field)
    return normalise_login_name(name)[:255]


class EmailBackend(ModelBackend):
    """Django's ModelBackend, finding the user by username without regard to case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        name = username.strip()
        matches = list(User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": name})[:2])
        if len(matches) > 1:  # two accounts differing only in case: only the exact one will do
            matches = [user for user in matches if user.get_username() == name]
        if len(matches) != 1:
            User().set_password(password)  # as ModelBackend does: take as long as for a real user
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

"""Every write of the API app: tokens, tags and taggings; each checks the role or the token scope."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from groundswell.accounts import permissions
from groundswell.api import tokens
from groundswell.api.models import ApiToken, Tag, Tagging


class ApiError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@transaction.atomic
def create_token(*, organisation, name: str, scope: str, by) -> tuple[ApiToken, str]:
    """(the row, the token). The token is in no row: the caller shows it once."""
    permissions.require(by, organisation, permissions.MANAGE)
    token = tokens.new_token()
    row = ApiToken.objects.create(
        organisation=organisation, name=name, scope=scope, prefix=token[: len(tokens.PREFIX) + 6],
        token_sha256=tokens.token_hash(token), created_by=by,
    )
    return row, token


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> None:
    permissions.require(by, token.organisation_id, permissions.MANAGE)
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def create_tag(*, organisation_id: int, name: str) -> Tag:
    try:
        with transaction.atomic():
            return Tag.objects.create(organisation_id=organisation_id, name=name)
    except IntegrityError:
        raise ApiError(f"A tag named {name!r} already exists.", status=409) from None


@transaction.atomic
def delete_tag(*, tag: Tag) -> None:
    tag.delete()


@transaction.atomic
def tag_person(*, tag: Tag, email_normalised: str) -> tuple[Tagging, bool]:
    return Tagging.objects.get_or_create(tag=tag, email_normalised=email_normalised)


@transaction.atomic
def untag_person(*, tagging: Tagging) -> None:
    tagging.delete()

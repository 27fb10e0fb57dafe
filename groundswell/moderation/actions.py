"""Every write moderators make. Signatures, their counts and petitions change only through
petitions' actions (flag, restore, set_proof_of_work_required), which own the counting rule and
the cached petition."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from groundswell.core.pagecache import forget_on_commit
from groundswell.core.tasks import enqueue
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Signature
from groundswell.moderation.models import ModerationRecord
from groundswell.moderation.queries import describe_criteria, signatures_matching
from groundswell.moderation.tasks import run_invalidation
from groundswell.protection.models import RateLimits
from groundswell.protection.queries import rate_limits_key


class NothingToInvalidate(Exception):
    """A bulk invalidation whose criteria match no signature, or that has no criteria."""


def save_rate_limits(*, form, organisation, moderator) -> RateLimits:
    """Save a validated RateLimitsForm for an organisation."""
    with transaction.atomic():
        limits = form.save(commit=False)
        limits.organisation = organisation
        limits.updated_by = moderator
        limits.save()
        forget_on_commit(rate_limits_key(organisation.pk))
    return limits


def set_proof_of_work(*, petition, required: bool):
    """Switch the signing puzzle on or off for a petition under attack (petitions owns the field)."""
    return petition_actions.set_proof_of_work_required(petition=petition, required=required)


def restore_signatures(*, petition, signature_ids, moderator) -> ModerationRecord:
    """Clear the flag on flagged signatures; the confirmed ones are counted from now on."""
    with transaction.atomic():
        rows, added = petition_actions.restore_signatures(Signature.objects.filter(petition=petition, pk__in=list(signature_ids)))
        return ModerationRecord.objects.create(
            petition=petition,
            kind=ModerationRecord.Kind.RESTORE,
            moderator=moderator,
            moderator_email=getattr(moderator, "email", "") or "",
            criteria={"signatures": [str(r.public_id) for r in rows]},
            description=ngettext("%(count)d flagged signature restored", "%(count)d flagged signatures restored", len(rows)) % {"count": len(rows)},
            expected=len(rows),
            processed=len(rows),
            changed=len(rows),
            count_change=added,
            state=ModerationRecord.State.DONE,
            finished_at=timezone.now(),
        )


def start_invalidation(*, petition, criteria: dict, moderator) -> ModerationRecord:
    """Record a bulk invalidation and queue the task that carries it out in batches."""
    criteria = {key: value for key, value in criteria.items() if value}
    if not criteria:
        raise NothingToInvalidate(gettext("Give at least one thing to match."))
    with transaction.atomic():
        expected = len(signatures_matching(petition, criteria))
        if not expected:
            raise NothingToInvalidate(gettext("No signatures match."))
        record = ModerationRecord.objects.create(
            petition=petition,
            kind=ModerationRecord.Kind.INVALIDATE,
            moderator=moderator,
            moderator_email=getattr(moderator, "email", "") or "",
            criteria=criteria,
            description=describe_criteria(criteria),
            expected=expected,
        )
        enqueue(run_invalidation, record.pk)
    return record

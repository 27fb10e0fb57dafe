"""The moderators' view: what is signing a petition, what is held back, and bulk invalidation.

Owners, organisers and moderators (accounts/permissions.py MODERATE; not viewers) moderate its petitions;
everything is looked up through `moderated_petitions(user)`, so another organisation's petition,
signature or record is a 404 whatever id is typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.queries import moderated_organisations_for
from groundswell.core.ids import parse_id
from groundswell.petitions.models import COUNTED, Signature
from groundswell.petitions.queries import count_signatures, count_signatures_by_area
from groundswell.moderation import actions, queries
from groundswell.moderation.forms import InvalidationForm, RateLimitsForm
from groundswell.protection.models import RateLimits
from groundswell.protection.screening import FLAG_REASONS


def _petition_or_404(user, pk):
    return get_object_or_404(queries.moderated_petitions(user), pk=pk)


@login_required
def moderation_home(request):
    petitions = queries.moderated_petitions(request.user).order_by("campaign__organisation__name", "-opens_on")
    return render(
        request,
        "moderation/home.html",
        {"petitions": petitions, "organisations": moderated_organisations_for(request.user)},
    )


@login_required
def rate_limits(request, organisation_pk):
    organisation = get_object_or_404(moderated_organisations_for(request.user), pk=organisation_pk)
    instance = RateLimits.objects.filter(organisation=organisation).first() or RateLimits(organisation=organisation)
    form = RateLimitsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        actions.save_rate_limits(form=form, organisation=organisation, moderator=request.user)
        messages.success(request, gettext("Saved the rate limits for %(name)s. They apply from the next signature.") % {"name": organisation.name})
        return redirect("moderation:home")
    return render(request, "moderation/rate_limits.html", {"form": form, "organisation": organisation})


def _dashboard(request, petition, *, invalidation_form=None, status=200):
    return render(
        request,
        "moderation/petition.html",
        {
            "petition": petition,
            "count": count_signatures(petition),
            "areas": list(count_signatures_by_area(petition)[:20]),
            "hour": queries.top_sources(petition, hours=1),
            "day": queries.top_sources(petition, hours=24),
            "flagged_counts": [(FLAG_REASONS.get(k, k), n) for k, n in queries.count_flagged(petition).items()],
            "flagged": queries.flagged_signatures(petition),
            "reasons": FLAG_REASONS,
            "pow_required": petition.proof_of_work_required,
            "invalidation_form": invalidation_form or InvalidationForm(),
            "records": queries.moderation_records_for(request.user).filter(petition=petition)[:20],
        },
        status=status,
    )


@login_required
def petition_dashboard(request, pk):
    return _dashboard(request, _petition_or_404(request.user, pk))


@login_required
@require_POST
def proof_of_work(request, pk):
    petition = _petition_or_404(request.user, pk)
    required = request.POST.get("required") == "1"
    actions.set_proof_of_work(petition=petition, required=required)
    messages.success(request, gettext("The puzzle is now on for this petition.") if required else gettext("The puzzle is now off for this petition."))
    return redirect("moderation:petition", pk=petition.pk)


@login_required
@require_POST
def restore(request, pk):
    petition = _petition_or_404(request.user, pk)
    ids = [i for i in map(parse_id, request.POST.getlist("signature")) if i is not None]
    record = actions.restore_signatures(petition=petition, signature_ids=ids, moderator=request.user)
    restored = ngettext("Restored %(count)s signature.", "Restored %(count)s signatures.", record.changed)
    if record.count_change:
        counted = ngettext("The count went up by %(added)s.", "The count went up by %(added)s.", record.count_change)
    else:
        counted = gettext("The count did not change: none of them is confirmed yet.") if record.changed else ""
    numbers = {"count": intcomma(record.changed), "added": intcomma(record.count_change)}
    messages.success(request, f"{restored % numbers} {counted % numbers}".strip())
    return redirect("moderation:petition", pk=petition.pk)


@login_required
@require_POST
def invalidate(request, pk):
    """First POST previews how many signatures match; the second (with confirm) starts the task."""
    petition = _petition_or_404(request.user, pk)
    form = InvalidationForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, petition, invalidation_form=form, status=400)
    criteria = form.criteria()
    if request.POST.get("confirm") == "1":
        try:
            record = actions.start_invalidation(petition=petition, criteria=criteria, moderator=request.user)
        except actions.NothingToInvalidate:
            form.add_error(None, _("No signatures match these criteria now, so nothing was removed."))
            return _dashboard(request, petition, invalidation_form=form, status=400)
        return redirect(f"{record_url(record)}?auto=1")
    matching = queries.signatures_matching(petition, criteria)
    sample = Signature.objects.filter(pk__in=matching[:200])
    counted = sample.filter(COUNTED).count() if len(matching) <= 200 else None
    return render(
        request,
        "moderation/invalidate_preview.html",
        {
            "petition": petition,
            "form": form,
            "matching": len(matching),
            "counted": counted,
            "description": queries.describe_criteria(criteria),
        },
    )


def record_url(record):
    return reverse("moderation:record", args=[record.pk])


@login_required
def record_progress(request, pk):
    record = get_object_or_404(queries.moderation_records_for(request.user).select_related("petition"), pk=pk)
    auto = request.GET.get("auto") == "1" and record.state != record.State.DONE
    return render(request, "moderation/record.html", {"record": record, "auto_refresh": auto, "petition": record.petition})


"""Organisers' thresholds and hand-in packs. Thin: forms, one action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.accounts.queries import editable_organisations_for
from groundswell.handin import actions, packs, queries
from groundswell.handin.forms import ThresholdForm
from groundswell.handin.models import Threshold
from groundswell.ledger.models import Target
from groundswell.petitions import queries as petition_queries
from groundswell.petitions.models import Petition


def _petition(user, pk) -> Petition:
    return get_object_or_404(
        Petition.objects.select_related("campaign__organisation"), pk=pk, campaign__organisation__in=editable_organisations_for(user)
    )


@login_required
@never_cache
def thresholds(request, pk):
    petition = _petition(request.user, pk)
    form = ThresholdForm(request.POST or None, petition=petition)
    if request.method == "POST" and form.is_valid():
        threshold = actions.save_threshold(form=form, petition=petition, user=request.user)
        messages.success(request, _("Added the threshold: at %(count)s signatures, %(target)s.") % {
            "count": f"{threshold.signatures:,}", "target": threshold.target.name})
        return redirect("handin:thresholds", pk=petition.pk)
    targets = {t.target for t in queries.thresholds_of(petition)}
    return render(request, "handin/thresholds.html", {
        "petition": petition, "form": form, "thresholds": queries.thresholds_of(petition),
        "count": petition_queries.count_signatures(petition),
        "pack_targets": sorted(targets, key=lambda t: t.name),
        "other_targets": Target.objects.filter(organisation_id=petition.campaign.organisation_id).exclude(pk__in=[t.pk for t in targets]),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def threshold_delete(request, pk):
    threshold = get_object_or_404(Threshold, pk=pk, petition__campaign__organisation__in=editable_organisations_for(request.user))
    if actions.delete_threshold(threshold=threshold):
        messages.success(request, _("Deleted the threshold."))
    else:
        messages.error(request, _("This threshold was reached: its ask is on the ledger, so it stays."))
    return redirect("handin:thresholds", pk=threshold.petition_id)


def _pack(request, pk, target_pk):
    petition = _petition(request.user, pk)
    target = get_object_or_404(Target, pk=target_pk, organisation_id=petition.campaign.organisation_id)
    return queries.hand_in_pack(petition, target)


@login_required
@never_cache
def pack(request, pk, target_pk):
    """Print-ready: the same contents as the PDF and the CSV."""
    the_pack = _pack(request, pk, target_pk)
    return render(request, "handin/pack.html", {"pack": the_pack, "sections": packs.sections(the_pack), "petition": the_pack.petition})


@login_required
@never_cache
def pack_csv(request, pk, target_pk):
    the_pack = _pack(request, pk, target_pk)
    response = HttpResponse(packs.as_csv(the_pack), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{the_pack.petition.slug}-hand-in.csv"'
    return response


@login_required
@never_cache
def pack_pdf(request, pk, target_pk):
    the_pack = _pack(request, pk, target_pk)
    response = HttpResponse(packs.as_pdf(the_pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{the_pack.petition.slug}-hand-in.pdf"'
    return response

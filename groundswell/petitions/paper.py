"""Organisers' paper sheets and volunteers' assisted signing: thin views over petitions' actions.

A sheet is printed (print-ready HTML with the exact consent words and its reference number),
then entered when it comes back: its total with where it came from, and/or its signers one by
one. Every entry, correction and withdrawal is on the record of who did what (EntryRecord).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.accounts.queries import editable_organisations_for, organisations_for
from groundswell.petitions import actions, queries
from groundswell.petitions.errors import PaperEntryError, PetitionNotOpen
from groundswell.petitions.forms import (
    AssistedSignatureForm, CorrectSignerForm, PaperSignerForm, SheetDetailsForm, WithdrawForm,
    consent_wording, paper_consent_wording, share_name_wording, updates_wording,
)
from groundswell.petitions.models import Channel, PaperSheet, Petition, Signature
from groundswell.protection.screening import screen_assisted_signature


def _organisers_petition(user, pk) -> Petition:
    return get_object_or_404(
        Petition.objects.select_related("campaign__organisation"), pk=pk, campaign__organisation__in=editable_organisations_for(user)
    )


def _organisers_sheet(user, pk) -> PaperSheet:
    return get_object_or_404(
        PaperSheet.objects.select_related("petition__campaign__organisation", "consent", "entered_by", "printed_by"),
        pk=pk, petition__campaign__organisation__in=editable_organisations_for(user),
    )


def _organisers_signature(user, public_id) -> Signature:
    return get_object_or_404(
        Signature.objects.select_related("petition__campaign__organisation", "sheet"),
        public_id=public_id, channel__in=[Channel.PAPER, Channel.ASSISTED],
        petition__campaign__organisation__in=editable_organisations_for(user),
    )


def _error_into(form, error: PaperEntryError):
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@never_cache
def paper_overview(request, pk):
    """A petition's paper sheets and assisted signatures, and the record of who did what."""
    petition = _organisers_petition(request.user, pk)
    counts = queries.count_by_channel(petition)
    return render(request, "petitions/paper/overview.html", {
        "petition": petition,
        "counts": counts,
        "total": sum(counts.values()),
        "sheets": queries.paper_sheets_of(petition),
        "records": queries.entry_records(petition, limit=50),
    })


@login_required
@require_POST
def print_new_sheet(request, pk):
    petition = _organisers_petition(request.user, pk)
    sheet = actions.print_sheet(petition=petition, user=request.user, consent_text=paper_consent_wording(petition))
    messages.success(request, _("Sheet %(reference)s is ready to print.") % {"reference": sheet.reference})
    return redirect("petitions:paper_print", pk=sheet.pk)


@login_required
def paper_print(request, pk):
    """The sheet itself, for printing: the consent words as stored with it, its reference on
    every page, and numbered lines for name, postcode, email and the name-to-recipient tick."""
    sheet = _organisers_sheet(request.user, pk)
    return render(request, "petitions/paper/print.html", {
        "sheet": sheet, "petition": sheet.petition, "lines": range(1, 16),
        "share_name_words": share_name_wording(sheet.petition),
    })


def _sheet_page(request, sheet, *, details_form=None, signer_form=None, status=200):
    entered = list(queries.entered_signers(sheet))
    details_form = details_form or SheetDetailsForm(
        prefix="details",
        initial={"total": sheet.total, "collected_by": sheet.collected_by, "collected_where": sheet.collected_where, "collected_on": sheet.collected_on},
    )
    return render(request, "petitions/paper/sheet.html", {
        "sheet": sheet,
        "petition": sheet.petition,
        "entered": entered,
        "remainder": max(0, (sheet.total or 0) - len(entered)) if sheet.total is not None and not sheet.withdrawn_at else 0,
        "details_form": details_form,
        "signer_form": signer_form or PaperSignerForm(prefix="signer"),
        "records": queries.entry_records(sheet.petition, sheet=sheet),
    }, status=status)


@login_required
@never_cache
def paper_sheet(request, pk):
    """Enter a returned sheet: its details (POST step=details) or one signer (POST step=signer)."""
    sheet = _organisers_sheet(request.user, pk)
    if request.method != "POST":
        return _sheet_page(request, sheet)
    if request.POST.get("step") == "details":
        form = SheetDetailsForm(request.POST, request.FILES, prefix="details")
        if not form.is_valid():
            return _sheet_page(request, sheet, details_form=form, status=400)
        data = form.cleaned_data
        try:
            actions.enter_sheet_details(
                sheet=sheet, user=request.user, total=data["total"], collected_by=data["collected_by"],
                collected_where=data["collected_where"], collected_on=data["collected_on"], scan=data["scan"], reason=data["reason"],
            )
        except PaperEntryError as error:
            _error_into(form, error)
            return _sheet_page(request, sheet, details_form=form, status=400)
        messages.success(request, _("Saved the sheet's details."))
        return redirect("petitions:paper_sheet", pk=sheet.pk)
    form = PaperSignerForm(request.POST, prefix="signer")
    if not form.is_valid():
        return _sheet_page(request, sheet, signer_form=form, status=400)
    data = form.cleaned_data
    try:
        actions.enter_paper_signer(
            sheet=sheet, user=request.user, name=data["name"], postcode=data["postcode"], constituency_code=data["constituency_code"],
            email=data["email"], name_text=share_name_wording(sheet.petition) if data["share_name"] else None,
        )
    except PaperEntryError as error:
        _error_into(form, error)
        return _sheet_page(request, sheet, signer_form=form, status=400)
    messages.success(request, _("Entered %(name)s. Enter the next signer, or go back to the sheets.") % {"name": data["name"]})
    return redirect(f"{request.path}#enter-signer")


@login_required
@never_cache
def paper_sheet_withdraw(request, pk):
    sheet = _organisers_sheet(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_sheet(sheet=sheet, user=request.user, reason=form.cleaned_data["reason"])
        except PaperEntryError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Withdrew sheet %(reference)s: its signatures are off the count.") % {"reference": sheet.reference})
            return redirect("petitions:paper", pk=sheet.petition_id)
    return render(request, "petitions/paper/withdraw.html", {"form": form, "sheet": sheet, "petition": sheet.petition},
                  status=400 if form.errors else 200)


@login_required
def paper_scan(request, pk):
    sheet = _organisers_sheet(request.user, pk)
    if not sheet.scan:
        raise Http404
    return FileResponse(sheet.scan.open("rb"), as_attachment=True, filename=f"{sheet.reference}{sheet.scan.name[sheet.scan.name.rfind('.'):]}")


def _back_to(signature):
    if signature.sheet_id:
        return redirect("petitions:paper_sheet", pk=signature.sheet_id)
    return redirect("petitions:paper", pk=signature.petition_id)


@login_required
@never_cache
def signer_correct(request, public_id):
    signature = _organisers_signature(request.user, public_id)
    form = CorrectSignerForm(request.POST or None, initial={"name": signature.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.correct_entered_signer(
                signature=signature, user=request.user, name=data["name"], postcode=data["postcode"],
                constituency_code=data["constituency_code"], reason=data["reason"],
                name_text=signature.name_consent.text if signature.name_consent_id else None,
            )
        except PaperEntryError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Corrected the signature."))
            return _back_to(signature)
    return render(request, "petitions/paper/correct.html", {"form": form, "signature": signature, "petition": signature.petition},
                  status=400 if form.errors else 200)


@login_required
@never_cache
def signer_withdraw(request, public_id):
    signature = _organisers_signature(request.user, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_entered_signer(signature=signature, user=request.user, reason=form.cleaned_data["reason"])
        except PaperEntryError as error:
            _error_into(form, error)
        else:
            messages.success(request, _("Withdrew the signature: it is off the count, and the record says why."))
            return _back_to(signature)
    return render(request, "petitions/paper/withdraw.html", {"form": form, "signature": signature, "petition": signature.petition},
                  status=400 if form.errors else 200)


# -- assisted signing ---------------------------------------------------------------------------


def _volunteers_petition(user, pk) -> Petition:
    """Any member of the petition's organisation may take assisted signatures (a phone bank)."""
    return get_object_or_404(
        Petition.objects.select_related("campaign__organisation"), pk=pk, campaign__organisation__in=organisations_for(user)
    )


@login_required
@never_cache
def assisted_sign(request, pk):
    petition = _volunteers_petition(request.user, pk)
    form = AssistedSignatureForm(request.POST or None, petition=petition)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            screening = screen_assisted_signature(volunteer=request.user, petition=petition)
            try:
                result = actions.sign_assisted(
                    petition=petition, volunteer=request.user, name=data["name"], email=data["email"], postcode=data["postcode"],
                    country="GB", constituency_code=data["constituency_code"], consent_text=consent_wording(petition),
                    updates_text=updates_wording(petition) if data["updates"] else None,
                    name_text=share_name_wording(petition) if data["share_name"] else None,
                    flagged_reason=screening.flagged_reason,
                )
            except PetitionNotOpen:
                form.add_error(None, _("This petition is not accepting signatures now."))
            except PaperEntryError as error:
                _error_into(form, error)
            else:
                if screening.flagged_reason:
                    messages.warning(request, _(
                        "Recorded, but held for a moderator to check: you have taken more signatures this hour than a "
                        "volunteer usually can. Nothing is lost."))
                elif data["email"]:
                    messages.success(request, _(
                        "Recorded. We have emailed %(name)s a link: their signature counts once they confirm it.") % {"name": data["name"]})
                else:
                    messages.success(request, _("Recorded and counted: %(name)s has signed.") % {"name": data["name"]})
                return redirect("petitions:assisted", pk=petition.pk)
    return render(request, "petitions/paper/assisted.html", {
        "petition": petition, "form": form, "recent": queries.assisted_signatures_by(petition, request.user),
        "can_manage": petition.campaign.organisation in editable_organisations_for(request.user),
    }, status=status)

"""The ledger's public pages: a target's timeline, the campaign's JSON, and document downloads.

The scoreboard is part of the campaign page (composition/campaign.html includes
ledger/scoreboard.html with `ledger_context()`); the Atom feed is in feeds.py.
"""

import csv

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.queries import organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.core.signed_links import ExpiredToken, InvalidToken
from groundswell.ledger import actions, queries, tokens
from groundswell.ledger.documents import content_type_for
from groundswell.ledger.errors import LedgerRuleBroken
from groundswell.ledger.forms import AnswerForm
from groundswell.ledger.models import Ask, FollowUp, Response


def visible_campaign_or_404(slug) -> Campaign:
    campaign = Campaign.objects.select_related("organisation").filter(slug=slug, is_public=True).first()
    if campaign is None:
        raise Http404
    return campaign


def ledger_context(campaign: Campaign) -> dict:
    """What the campaign page needs to show the scoreboard."""
    return {"ledger_records": queries.campaign_ledger(campaign), "ledger_today": timezone.localdate()}


def target_detail(request, slug, target_id):
    campaign = visible_campaign_or_404(slug)
    record = queries.target_record(campaign, target_id)
    if record is None:
        raise Http404
    extras = {}
    for contribute in queries.TARGET_PAGE_EXTRAS:  # e.g. letters' reply figures (letters/queries.py)
        extras.update(contribute(record.target))
    sections = [section for section in (contribute(record.target) for contribute in queries.TARGET_PAGE_SECTIONS) if section]
    return render(
        request,
        "ledger/target.html",
        {"campaign": campaign, "record": record, "timeline": record.timeline(), "target_page_sections": sections, **extras},
    )


def _absolute(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


def _document_url(request, kind, obj):
    return _absolute(request, "ledger:document", kind, obj.pk) if obj.document else None


def ledger_json(request, slug):
    campaign = visible_campaign_or_404(slug)
    today = timezone.localdate()
    targets = []
    records = queries.campaign_ledger(campaign, today=today)
    for record in records:
        target = record.target
        targets.append({
            "id": target.pk,
            "name": target.name,
            "kind": target.kind,
            "reference_code": target.reference_code,
            "url": _absolute(request, "ledger:target", campaign.slug, target.pk),
            "days_waiting": record.days_waiting,
            "days_to_first_response": record.days_to_first_response,
            "latest_response": record.latest_response.classification if record.latest_response else None,
            "commitments": record.commitment_counts,
            "nation": target.nation,
            "figures": record.figures,
            "asks": [
                {
                    "id": ask.pk,
                    "asked_on": ask.asked_on.isoformat(),
                    "channel": ask.channel,
                    "text": ask.text,
                    "source_url": ask.source_url or None,
                    "document_url": _document_url(request, "ask", ask),
                    "days_without_response": None if ask.responses.all() else (today - ask.asked_on).days,
                    "kind": ask.kind,
                    "due_on": ask.due_on.isoformat() if ask.due_on else None,
                    "sent_from_platform": ask.sent_at is not None,
                    "working_days_overdue": queries.ask_state(ask, today).working_days_overdue,
                    "answered_on_time": queries.ask_state(ask, today).answered_on_time,
                    "follow_ups": [{"kind": f.kind, "number": f.number, "sent_on": f.sent_on.isoformat()} for f in ask.follow_ups.all()],
                    "responses": [
                        {
                            "id": response.pk,
                            "received_on": response.received_on.isoformat(),
                            "channel": response.channel,
                            "classification": response.classification,
                            "summary": response.summary,
                            "from_institution": response.from_institution,
                            "original_text": response.institution_reply.text if response.from_institution and getattr(response, "institution_reply", None) else None,
                            "source_url": response.source_url or None,
                            "document_url": _document_url(request, "response", response),
                            "commitments": [
                                {
                                    "id": c.pk,
                                    "promise": c.promise,
                                    "due_on": c.due_on.isoformat() if c.due_on else None,
                                    "status": c.public_status(today),
                                    "evidence": c.evidence,
                                    "evidence_url": c.evidence_url or None,
                                }
                                for c in response.commitments.all()
                            ],
                        }
                        for response in ask.responses.all()
                    ],
                }
                for ask in record.asks
            ],
        })
    data = {
        "campaign": {"slug": campaign.slug, "title": campaign.title, "url": _absolute(request, "composition:campaign", campaign.slug)},
        "organisation": campaign.organisation.name,
        "is_demo": campaign.is_demo,
        "as_of": today.isoformat(),
        "feed_url": _absolute(request, "ledger:feed", campaign.slug),
        "csv_url": _absolute(request, "ledger:csv", campaign.slug),
        "figures": queries.figures_for([ask for record in records for ask in record.asks], today),
        "targets": targets,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def download_document(request, kind, pk):
    """Serve an uploaded document as a download, only if its record is public or belongs to the
    organiser's organisation. Never inline: a download cannot run script in our origin."""
    model = {"ask": Ask, "response": Response}.get(kind)
    if model is None:
        raise Http404
    related = "target__organisation" if model is Ask else "ask__target__organisation"
    obj = get_object_or_404(model.objects.select_related(related.replace("__organisation", "")), pk=pk)
    ask = obj if model is Ask else obj.ask
    public = ask.target.is_public and Campaign.objects.filter(pk=ask.campaign_id, is_public=True).exists()
    if not public and not organisations_for(request.user).filter(pk=ask.target.organisation_id).exists():
        raise Http404
    if not obj.document:
        raise Http404
    try:
        handle = obj.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{kind}-{obj.pk}{obj.document.name[obj.document.name.rfind('.'):]}"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type_for(obj.document.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- The institution's private answer link -------------------------------------------------


def _ask_from_token(token):
    """(ask, problem): problem is "expired" or "invalid" when the link cannot be used."""
    try:
        public_id = tokens.ANSWER_LINK.read(token)
    except ExpiredToken:
        return None, "expired"
    except InvalidToken:
        return None, "invalid"
    ask = queries.ask_for_answer_link(public_id)
    return (ask, None) if ask is not None else (None, "invalid")


def answer(request, token):
    """No account: the link is the key, for this ask only. What is sent is a draft for the
    organisers; nothing here can publish."""
    ask, problem = _ask_from_token(token)
    if problem:
        return render(request, "ledger/answer_link_problem.html", {"problem": problem}, status=410 if problem == "expired" else 404)
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.receive_answer_by_link(
                ask=ask, text=form.cleaned_data["text"], commitment=form.cleaned_data["commitment"],
                commitment_due_on=form.cleaned_data["commitment_due_on"], document=form.cleaned_data["document"],
            )
        except LedgerRuleBroken as error:
            form.add_error(None, str(error))
        else:
            return render(request, "ledger/answer_received.html", {"ask": ask})
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/answer.html", {"ask": ask, "form": form}, status=status)


def ledger_csv(request, slug):
    """Every ask and every answer of the campaign's public ledger, with their dates: one row per
    answer, or one row for an ask not yet answered."""
    campaign = visible_campaign_or_404(slug)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-ledger.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    writer = csv.writer(response)
    writer.writerow([
        "target", "target_kind", "reference_code", "nation", "ask_id", "ask_kind", "asked_on", "due_on", "sent_from_platform",
        "chasers_sent", "internal_review_on", "response_id", "received_on", "classification", "from_institution",
        "answered_on_time", "working_days_overdue", "commitments_kept", "commitments_pending", "commitments_broken",
    ])
    for record in queries.campaign_ledger(campaign, today=today):
        target = record.target
        for ask in record.asks:
            state = queries.ask_state(ask, today)
            follow_ups = list(ask.follow_ups.all())
            review = next((f.sent_on.isoformat() for f in follow_ups if f.kind == FollowUp.Kind.INTERNAL_REVIEW), "")
            base = [target.name, target.kind, target.reference_code, target.nation, ask.pk, ask.kind, ask.asked_on.isoformat(),
                    ask.due_on.isoformat() if ask.due_on else "", "yes" if ask.sent_at else "no",
                    sum(1 for f in follow_ups if f.kind == FollowUp.Kind.CHASER), review]
            responses = list(ask.responses.all())
            if not responses:
                writer.writerow(base + ["", "", "", "", "", state.working_days_overdue, 0, 0, 0])
            for r in responses:
                statuses = [c.public_status(today) for c in r.commitments.all()]
                on_time = "" if not ask.due_on else ("yes" if r.received_on <= ask.due_on else "no")
                writer.writerow(base + [
                    r.pk, r.received_on.isoformat(), r.classification, "yes" if r.from_institution else "no", on_time, "",
                    statuses.count("kept"), statuses.count("pending") + statuses.count("overdue"), statuses.count("broken"),
                ])
    return response

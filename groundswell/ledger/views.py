"""The ledger's public pages: a target's timeline, the campaign's JSON, and document downloads.

The scoreboard is part of the campaign page (composition/campaign.html includes
ledger/scoreboard.html with `ledger_context()`); the Atom feed is in feeds.py.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.queries import organisations_for
from groundswell.campaigns.models import Campaign
from groundswell.ledger import queries
from groundswell.ledger.documents import content_type_for
from groundswell.ledger.models import Ask, Response


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
    for record in queries.campaign_ledger(campaign, today=today):
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
            "asks": [
                {
                    "id": ask.pk,
                    "asked_on": ask.asked_on.isoformat(),
                    "channel": ask.channel,
                    "text": ask.text,
                    "source_url": ask.source_url or None,
                    "document_url": _document_url(request, "ask", ask),
                    "days_without_response": None if ask.responses.all() else (today - ask.asked_on).days,
                    "responses": [
                        {
                            "id": response.pk,
                            "received_on": response.received_on.isoformat(),
                            "channel": response.channel,
                            "classification": response.classification,
                            "summary": response.summary,
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

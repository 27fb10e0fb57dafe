"""An Atom feed per campaign of every ask, response and commitment, newest first."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from groundswell.ledger import queries
from groundswell.ledger.views import visible_campaign_or_404


def _as_datetime(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class CampaignLedgerFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        self.request = request
        return visible_campaign_or_404(slug)

    def title(self, campaign):
        return f"{campaign.title}: accountability ledger" + (" (demonstration data)" if campaign.is_demo else "")

    def link(self, campaign):
        return reverse("composition:campaign", args=[campaign.slug]) + "#ledger"

    def subtitle(self, campaign):
        return f"What {campaign.organisation.name} asked, what each target answered and promised, with sources."

    def items(self, campaign):
        today = timezone.localdate()
        entries = []
        for record in queries.campaign_ledger(campaign, today=today):
            url = reverse("ledger:target", args=[campaign.slug, record.target.pk])
            for event in record.timeline():
                if event["kind"] == "silence":
                    continue
                entries.append({**event, "target": record.target, "url": f"{url}#{event['anchor']}"})
        return sorted(entries, key=lambda e: (e["date"], e["anchor"]), reverse=True)[:200]

    def item_title(self, item):
        return f"{item['target'].name}: {item['label']}"

    def item_description(self, item):
        if item["kind"] == "ask":
            ask = item["ask"]
            body, source = ask.text or "(the ask is attached as a document)", ask.source_url
        elif item["kind"] == "response":
            response = item["response"]
            body, source = response.summary, response.source_url
        else:
            commitment = item["commitment"]
            due = f" Due by {commitment.due_on:%-d %B %Y}." if commitment.due_on else ""
            body, source = f"{commitment.promise}{due}", commitment.evidence_url or item["response"].source_url
        return body + (f"\n\nSource: {source}" if source else "")

    def item_link(self, item):
        return item["url"]

    def item_guid(self, item):
        return self.request.build_absolute_uri(item["url"])

    def item_pubdate(self, item):
        return _as_datetime(item["date"])

    def item_updateddate(self, item):
        return _as_datetime(item["date"])

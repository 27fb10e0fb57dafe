"""Reads for petition pages and the open-data API."""

from django.conf import settings
from django.db import connection
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.queries import organisations_for
from groundswell.core.pagecache import briefly_cached
from groundswell.geography import queries as places
from groundswell.petitions.models import COUNTED, Channel, EntryRecord, PaperSheet, Petition, PetitionVersion, Signature, SignatureCount

PUBLIC_STATES = [Petition.State.OPEN, Petition.State.CLOSED]
VISIBLE_STATES = [Petition.State.OPEN, Petition.State.CLOSED, Petition.State.ARCHIVED]


def visible_petition_cache_key(slug: str) -> str:
    return f"visible-petition:{slug}"


def current_version_cache_key(petition_id: int) -> str:
    return f"petition-version:{petition_id}"


def cached_current_version_id(petition_id: int) -> int | None:
    """The id of the version of the text people sign now, or None if the petition has none yet.

    Every signature records it, and it changes only when an organiser edits the title or ask
    (petitions.actions.save_petition forgets it on commit), so it is briefly cached
    (core/pagecache.py) rather than read for each signature."""
    return briefly_cached(
        key=current_version_cache_key(petition_id),
        build=lambda: PetitionVersion.objects.filter(petition_id=petition_id).order_by("-number").values_list("pk", flat=True).first(),
    )


def get_visible_petition(slug: str) -> Petition | None:
    """A petition anyone may see by its address: not drafts; archived ones stay reachable.

    Every public petition request starts here, so the answer is briefly cached
    (core/pagecache.py); actions that change a petition forget it on commit.
    """
    return briefly_cached(
        key=visible_petition_cache_key(slug),
        build=lambda: Petition.objects.select_related("campaign__organisation")
        .filter(slug=slug, state__in=VISIBLE_STATES, campaign__is_public=True)
        .first(),
    )


def get_previewable_petition(slug: str, user) -> Petition | None:
    """A petition the public cannot see (a draft, or in a campaign not yet public) that this
    user organises with: its preview. Never cached: it is for one person, not the public."""
    return (
        Petition.objects.select_related("campaign__organisation")
        .filter(slug=slug, campaign__organisation__in=organisations_for(user))
        .first()
    )


def list_public_petitions(campaign):
    return list(campaign.petitions.filter(state__in=PUBLIC_STATES).order_by("-opens_on", "-created_at"))


OPEN_PETITION_ORDERS = {
    "signatures": ("-signature_count", "-opens_on", "-created_at", "-pk"),
    "newest": ("-opens_on", "-created_at", "-pk"),
}


def open_petitions(*, order: str = "signatures", title_contains: str = ""):
    """Petitions anyone can sign today, in public campaigns, each with `signature_count`.

    Drafts, closed and archived petitions, petitions whose dates have not come or have passed,
    and petitions of campaigns that are not public are all left out: these lists are for finding
    something to sign. The count is a subquery over the sharded counts (one query in all).
    """
    today = timezone.localdate()
    totals = (
        SignatureCount.objects.filter(petition=OuterRef("pk"))
        .order_by()
        .values("petition")
        .annotate(total=Sum("count"))
        .values("total")
    )
    petitions = (
        Petition.objects.filter(
            state=Petition.State.OPEN, opens_on__lte=today, closes_on__gte=today, campaign__is_public=True
        )
        .select_related("campaign__organisation")
        .annotate(signature_count=Coalesce(Subquery(totals), 0))
    )
    if title_contains:
        petitions = petitions.filter(title__icontains=title_contains)
    return petitions.order_by(*OPEN_PETITION_ORDERS.get(order, OPEN_PETITION_ORDERS["signatures"]))


def count_signatures(petition: Petition) -> int:
    """Confirmed signatures on one petition."""
    total = SignatureCount.objects.filter(petition=petition).aggregate(total=Sum("count"))["total"]
    return total or 0


def count_signatures_for_petitions(petitions) -> dict[int, int]:
    """Confirmed signatures per petition id, in one query."""
    ids = [p.pk for p in petitions]
    if not ids:
        return {}
    rows = (
        SignatureCount.objects.filter(petition_id__in=ids)
        .values("petition_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return {row["petition_id"]: row["total"] or 0 for row in rows}


def signature_totals_by_area(petition: Petition) -> list[tuple[str, str, int]]:
    """(country, constituency code, confirmed signatures), for geography's tables and map: one
    indexed query, summing a few count rows per area (never the signatures themselves)."""
    return list(count_signatures_by_area(petition).order_by().values_list("country", "constituency_code", "signatures"))


def count_signatures_by_area(petition: Petition):
    """Confirmed signatures per (country, constituency code), largest first; zero rows left out.

    A queryset: iterate it with .iterator() to stream (the CSV export does)."""
    return (
        SignatureCount.objects.filter(petition=petition)
        .values("country", "constituency_code")
        .annotate(signatures=Sum("count"))
        .filter(signatures__gt=0)
        .order_by("-signatures", "country", "constituency_code")
    )


def signatures_of(email_normalised: str):
    return list(
        Signature.objects.filter(email_normalised=email_normalised)
        .select_related("petition__campaign__organisation", "consent", "updates_consent", "name_consent")
        .order_by("created_at")
    )


def _consents(signature) -> list[dict]:
    consents = []
    for statement in (signature.consent, signature.updates_consent, signature.name_consent):
        if statement is not None:
            consents.append(
                {"purpose": statement.get_purpose_display(), "text": statement.text, "agreed_at": signature.created_at.isoformat()}
            )
    # Coalitions: each partner's box the signer ticked, with its words (deleted with the signature).
    for opt_in in signature.partner_opt_ins.select_related("consent"):
        consents.append(
            {"purpose": opt_in.consent.get_purpose_display(), "text": opt_in.consent.text, "agreed_at": opt_in.created_at.isoformat()}
        )
    return consents


def addresses_with_signatures(emails_normalised: set[str]) -> set[str]:
    """Of these addresses, those with any signature (the data-link email asks, for a batch)."""
    return set(Signature.objects.filter(email_normalised__in=emails_normalised).values_list("email_normalised", flat=True).distinct())


def signature_of(email_normalised: str, public_id) -> Signature | None:
    """One of the person's own signatures (the withdraw question names its petition)."""
    return (
        Signature.objects.filter(email_normalised=email_normalised, public_id=public_id)
        .select_related("petition__campaign__organisation")
        .first()
    )


# What the confirmation link's page and button use of the signature: its state, and what
# confirming it reads (petitions.actions.confirm_signature and its ON_CONFIRMED hooks: updates
# records the signer's consent from these). Anything else is loaded when first read.
SIGNATURE_TO_CONFIRM_FIELDS = (  # attribute names
    "id", "petition_id", "confirmed_at", "updates_consent_id", "email", "name", "constituency_code", "created_at",
)


def signature_to_confirm(petition: Petition, public_id) -> Signature | None:
    """The signature a confirmation link names, with only the columns confirming it needs (the
    row has some thirty; the rest load when first read, as with `.only()`), or None if it is gone
    (purged unconfirmed, or withdrawn).

    One plain SELECT made into the model with `Model.from_db`, as the ORM does after its query:
    compiling `filter(...).only(...)` was two thirds of the lookup's CPU (0.6 ms against 0.2 ms,
    measured), on every confirmation."""
    # In the model's order of fields: from_db fills the columns not loaded with "deferred" by it.
    fields = [field for field in Signature._meta.concrete_fields if field.attname in SIGNATURE_TO_CONFIRM_FIELDS]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(Signature._meta.db_table)} "
            f"WHERE {quote('public_id')} = %s AND {quote('petition_id')} = %s",
            [Signature._meta.get_field("public_id").get_db_prep_value(public_id, connection), petition.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Signature.from_db(connection.alias, [field.attname for field in fields], list(_converted(fields, row)))


def _converted(fields, row):
    """The row's values as the ORM hands them to models, through the database backend's and the
    fields' converters (on SQLite: datetimes made aware, UUIDs from text)."""
    for field, value in zip(fields, row):
        column = field.get_col(field.model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = convert(value, column, connection)
        yield value


def signatures_held_about(email_normalised: str) -> list[dict]:
    """A supporter's signatures, for their own-data page and download (supporters/personal_data.py).
    Codes (country, constituency) come with their names: the page shows the names."""
    signatures = []
    held = signatures_of(email_normalised)
    names = places.constituency_names(s.constituency_code for s in held)
    for s in held:
        petition = s.petition
        signatures.append(
            {
                "id": str(s.public_id),
                "petition": petition.title,
                "petition_url": f"{settings.SITE_URL}{reverse('petitions:detail', args=[petition.slug])}",
                "organisation": petition.campaign.organisation.name,
                "name": s.name,
                "email": s.email,
                "postcode": s.postcode,
                "country": str(s.country),
                "country_name": str(s.country.name),
                "constituency_code": s.constituency_code,
                "constituency_name": names.get(s.constituency_code, ""),
                "signed_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "ip_address": s.ip_address,
                "ip_network": s.ip_network,
                "how_signed": s.get_channel_display(),
                "language": s.language,
                "consents": _consents(s),
            }
        )
    return signatures


# -- paper, assisted and versions ------------------------------------------------------------


def count_by_channel(petition: Petition) -> dict[str, int]:
    """Counted signatures online, on paper and assisted ({"online": …, "paper": …, "assisted": …})."""
    rows = SignatureCount.objects.filter(petition=petition).values("channel").annotate(total=Sum("count")).order_by()
    counts = {channel: 0 for channel in Channel.values}
    for row in rows:
        counts[row["channel"]] = row["total"] or 0
    return counts


def channel_summary(counts: dict[str, int]) -> list[tuple[str, int]]:
    """[(channel label, count)] for the channels with signatures, online first: "3,912 online, 210 on paper"."""
    return [(str(label), counts.get(value, 0)) for value, label in Channel.choices if counts.get(value, 0)]


def versions_of(petition: Petition) -> list[PetitionVersion]:
    return list(PetitionVersion.objects.filter(petition=petition).select_related("created_by").order_by("number"))


def paper_sheets_of(petition: Petition):
    return PaperSheet.objects.filter(petition=petition).annotate(entered=Count("signatures")).order_by("-number")


def entered_signers(sheet: PaperSheet):
    return Signature.objects.filter(sheet=sheet).order_by("created_at", "pk")


def entry_records(petition: Petition, *, sheet: PaperSheet | None = None, limit: int = 200):
    records = EntryRecord.objects.filter(petition=petition).select_related("by", "sheet")
    if sheet is not None:
        records = records.filter(sheet=sheet)
    return list(records[:limit])


def assisted_signatures_by(petition: Petition, volunteer):
    return Signature.objects.filter(petition=petition, channel=Channel.ASSISTED, entered_by=volunteer).order_by("-created_at")[:50]


def signature_checks(petition: Petition) -> dict:
    """How the counted signatures were checked, for the hand-in pack: confirmed by email (online,
    and assisted with an email), entered from paper sheets by organisers, taken by volunteers
    without an email; held back by protection or a moderator; withdrawn from paper."""
    counted = Signature.objects.filter(COUNTED, petition=petition)
    by_channel = dict(counted.values_list("channel").annotate(n=Count("pk")).order_by())
    assisted_with_email = counted.filter(channel=Channel.ASSISTED).exclude(email="").count()
    sheets = PaperSheet.objects.filter(petition=petition)
    return {
        "confirmed_by_email": by_channel.get(Channel.ONLINE, 0) + assisted_with_email,
        "assisted_confirmed_by_email": assisted_with_email,
        "assisted_without_email": by_channel.get(Channel.ASSISTED, 0) - assisted_with_email,
        "paper_signers_entered": by_channel.get(Channel.PAPER, 0),
        "paper_sheets": sheets.filter(withdrawn_at__isnull=True).count(),
        "paper_sheets_withdrawn": sheets.filter(withdrawn_at__isnull=False).count(),
        "paper_signers_withdrawn": EntryRecord.objects.filter(petition=petition, action=EntryRecord.Action.SIGNER_WITHDRAWN).count(),
        "held_back": Signature.objects.filter(petition=petition, confirmed_at__isnull=False).exclude(flagged_reason="").count(),
        "unconfirmed": Signature.objects.filter(petition=petition, confirmed_at__isnull=True).count(),
    }


def names_for_recipient(petition: Petition) -> list[str]:
    """The names of counted signers who ticked "you may give my name to the recipient", and no
    one else's; sorted. Nothing else about them."""
    return sorted(
        Signature.objects.filter(COUNTED, petition=petition, name_consent__isnull=False, anonymised_at__isnull=True)
        .exclude(name="")
        .values_list("name", flat=True),
        key=str.casefold,
    )

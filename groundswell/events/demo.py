"""The demo's events (idempotent): the trust's promised listening event, linked to its ledger
commitment, and two coalition meetings, one online and one in person, with a few made-up replies
and access needs. Replies are written directly, so no email is ever queued for them."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from groundswell.campaigns.models import Campaign
from groundswell.events.models import RSVP, AccessNeed, Event
from groundswell.ledger.models import Commitment
from groundswell.supporters.email_addresses import normalise_email

LONDON = Event(time_zone="Europe/London").zone


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _reply(event, name, *, attendance=RSVP.Attendance.IN_PERSON, needs=(), other=""):
    email = f"{name.lower().replace(' ', '.')}.{event.pk}@example.org"
    now = timezone.now()
    RSVP.objects.create(
        event=event, name=name, email=email, email_normalised=normalise_email(email), attendance=attendance,
        status=RSVP.Status.CONFIRMED, access_needs=list(needs), access_needs_other=other, confirmed_at=now,
    )


def load_demo_events(*, campaign_slug: str) -> None:
    campaign = Campaign.objects.filter(slug=campaign_slug).first()
    if campaign is None or campaign.events.exists():
        return
    commitment = (
        Commitment.objects.filter(promise__icontains="listening events", response__ask__campaign=campaign)
        .select_related("response__ask__target").first()
    )
    listening = Event.objects.create(
        campaign=campaign,
        title="Listening event: crisis care in Norfolk and Suffolk",
        description=(
            "Norfolk and Suffolk NHS Foundation Trust promised listening events for people to voice their "
            "concerns about police involvement in crisis care. This is the first.\n\n"
            "Come and tell the trust's staff what happened to you or someone you care for, and what good "
            "crisis care would be like. You can speak, write it down, or just listen."
        ),
        # Welsh beside the English (the /cy/ page shows it); the other demo events are English only,
        # so their /cy/ pages show the English fallback, marked lang="en-GB".
        title_cy="Digwyddiad gwrando: gofal mewn argyfwng yn Norfolk a Suffolk",
        description_cy=(
            "Addawodd Ymddiriedolaeth Sefydledig GIG Norfolk a Suffolk ddigwyddiadau gwrando i bobl leisio'u "
            "pryderon am ran yr heddlu mewn gofal mewn argyfwng. Dyma'r cyntaf.\n\n"
            "Dewch i ddweud wrth staff yr ymddiriedolaeth beth ddigwyddodd i chi neu i rywun rydych yn gofalu "
            "amdano, a sut beth fyddai gofal da mewn argyfwng. Gallwch siarad, ei ysgrifennu, neu wrando'n unig."
        ),
        starts_at=_at(21, 14), ends_at=_at(21, 16, 30), mode=Event.Mode.IN_PERSON,
        venue="The Forum, Norwich", address="Millennium Plain\nNorwich NR2 1TF",
        step_free_access="Level entrance from Millennium Plain; lifts to every floor.",
        toilets="Accessible toilets on the ground floor, with a Changing Places toilet.",
        hearing_loop="Induction loop in the meeting room.",
        seating="Chairs with arms, space for wheelchairs at the front and sides.",
        quiet_space="A quiet room next door, open throughout, with someone from the coalition there.",
        capacity=40, status=Event.Status.PUBLISHED,
        target=commitment.response.ask.target if commitment else None, commitment=commitment,
    )
    online = Event.objects.create(
        campaign=campaign,
        title="Coalition meeting (online): next steps after NHS England's letter",
        description="An online meeting for everyone in the coalition: what we have won, and what to ask for next. Live captions throughout.",
        starts_at=_at(10, 18, 30), ends_at=_at(10, 20), mode=Event.Mode.ONLINE,
        joining_link="https://meet.example.org/crisis-care-coalition", status=Event.Status.PUBLISHED,
    )
    in_person = Event.objects.create(
        campaign=campaign,
        title="Coalition meeting in Guildford",
        description="Meet others in the coalition in Surrey, plan letters to the trust and share what support exists locally. Tea and biscuits.",
        starts_at=_at(14, 11), ends_at=_at(14, 13), mode=Event.Mode.IN_PERSON,
        venue="Guildford Library", address="77 North Street\nGuildford GU1 4AL",
        step_free_access="Level entrance; lift to the meeting room on the first floor.",
        toilets="Accessible toilet on the first floor.", quiet_space="A quiet corner with soft seating.",
        capacity=12, status=Event.Status.PUBLISHED,
    )
    _reply(listening, "Priya Shah", needs=[AccessNeed.STEP_FREE, AccessNeed.COMPANION])
    _reply(listening, "Tom Evans", needs=[AccessNeed.BSL])
    _reply(listening, "Cara Lewis", needs=[AccessNeed.QUIET_ROOM], other="I may need to leave the room for a while.")
    _reply(listening, "Olu Brown")
    _reply(online, "Ella Hughes", attendance=RSVP.Attendance.ONLINE, needs=[AccessNeed.CAPTIONS])
    _reply(online, "Jamal Khan", attendance=RSVP.Attendance.ONLINE)
    _reply(in_person, "Rosa Wright", needs=[AccessNeed.SEATING, AccessNeed.HEARING_LOOP])
    _reply(in_person, "Ben Clarke", other="I will bring my assistance dog.")

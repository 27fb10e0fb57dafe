from django.utils.translation import gettext_lazy as _


class EventError(Exception):
    """A rule about events would be broken; the message says so in words a person can act on."""


class NotTakingRSVPs(EventError):
    pass


CANCELLED_MESSAGE = _("This event has been cancelled, so it is not taking replies.")
PAST_MESSAGE = _("This event has already taken place, so it is not taking replies.")
STARTED_MESSAGE = _("This event has already started, so it is not taking replies.")
DRAFT_MESSAGE = _("This event is not open for replies yet.")
ALREADY_EMAILED_MESSAGE = _(
    "We have already sent several emails to this address in the last hour, so we have not sent another. "
    "Please look for them (and in your spam or junk folder), or try again in an hour."
)
RATE_LIMIT_MESSAGE = _(
    "We have had a lot of replies from your network in the last hour, so we have stopped for now to protect people "
    "from emails they did not ask for. Please try again in an hour."
)

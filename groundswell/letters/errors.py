class LetterError(Exception):
    """A rule about letters was broken; the message is for the supporter."""


class LettersPaused(LetterError):
    pass


class NoRecipient(LetterError):
    pass


class RateLimited(LetterError):
    pass

"""Domain errors raised by petition actions when a rule would be broken."""


class PetitionNotOpen(Exception):
    """The petition is not accepting signatures (draft, closed, archived, or outside its dates)."""


class InvalidStateChange(Exception):
    """That state change is not allowed (for example, reopening an archived petition)."""


class PaperEntryError(Exception):
    """A paper or assisted entry that would make the record wrong: the message says what to do.

    Raised for a sheet total smaller than the signers entered from it, the same paper signer
    entered twice on one petition, an email address that has already signed, and the like."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class WelshTextMissing(InvalidStateChange):
    """The petition's organisation works in Welsh and English, and the petition has no Welsh
    title, ask or reasons yet: it cannot be opened until it has all three."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing

"""Domain errors raised by petition actions when a rule would be broken."""


class PetitionNotOpen(Exception):
    """The petition is not accepting signatures (draft, closed, archived, or outside its dates)."""


class InvalidStateChange(Exception):
    """That state change is not allowed (for example, reopening an archived petition)."""


class WelshTextMissing(InvalidStateChange):
    """The petition's organisation works in Welsh and English, and the petition has no Welsh
    title, ask or reasons yet: it cannot be opened until it has all three."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing

"""Domain errors raised by petition actions when a rule would be broken."""


class PetitionNotOpen(Exception):
    """The petition is not accepting signatures (draft, closed, archived, or outside its dates)."""


class InvalidStateChange(Exception):
    """That state change is not allowed (for example, reopening an archived petition)."""

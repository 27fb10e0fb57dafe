"""Domain errors of the team's actions: views turn each into a kind message."""


class TeamError(Exception):
    pass


class AlreadyMember(TeamError):
    pass


class LastOwner(TeamError):
    """An organisation always keeps at least one owner."""


class InvitationNotValid(TeamError):
    pass


class InvitationExpired(InvitationNotValid):
    pass


class WrongAccount(InvitationNotValid):
    """The invitation was sent to another address than the account that is logged in."""

"""Domain errors raised by ledger actions when a rule would be broken."""


class LedgerRuleBroken(Exception):
    """A write would mix organisations (an ask by one organisation's campaign to another's target)."""

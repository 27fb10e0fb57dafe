"""What other apps may ask petitions to tell them: "this petition's count went up".

Petitions sit below the features that act on counts (handin's thresholds create asks on the
ledger, which petitions must not import). An app above registers a listener from its
AppConfig.ready(); every action that adds to a count calls `counts_went_up(petition_id)` inside
its transaction, and the listeners run once that transaction has committed, so they see the
new count, and a rollback tells them nothing. A listener must be safe to run many times and at
the same time as itself (several confirmations commit at once): handin's guard is in the
database. Housekeeping also checks every open petition, in case a listener failed after commit.
"""

from collections.abc import Callable

from django.db import transaction

_LISTENERS: list[Callable[[int], None]] = []


def on_counts_went_up(listener: Callable[[int], None]) -> None:
    """Call listener(petition_id) after any transaction that added to the petition's count commits."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def counts_went_up(petition_id: int) -> None:
    for listener in list(_LISTENERS):
        transaction.on_commit(lambda listener=listener: listener(petition_id), robust=True)

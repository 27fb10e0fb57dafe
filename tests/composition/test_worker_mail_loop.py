"""The worker's mail loop: when it claims again at once, and when it waits first."""

from groundswell.composition.management.commands import worker
from groundswell.core import outbox


def _events(monkeypatch, claimed_per_batch: list[int]) -> list[str]:
    """Run the mail loop over batches that claim these many emails; return what it did, in order."""
    events: list[str] = []
    remaining = list(claimed_per_batch)

    class Stop:  # the loop's stop event: set once the planned batches are done
        def is_set(self):
            return not remaining

        def wait(self, seconds):
            events.append(f"wait {seconds}")
            return False

    def send_due_batch():
        claimed = remaining.pop(0)
        events.append(f"claim {claimed}")
        return claimed, claimed

    monkeypatch.setattr(outbox, "send_due_batch", send_due_batch)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    worker._send_emails(Stop(), 0.2)
    return events


def test_a_backlog_is_sent_without_pause(monkeypatch):
    full = outbox.BATCH_SIZE
    assert _events(monkeypatch, [full, full, 0]) == [f"claim {full}", f"claim {full}", "claim 0", "wait 0.2"]


def test_a_trickle_waits_for_more_after_each_batch(monkeypatch):
    # The loop used to claim again straight after any batch with something in it, so signatures
    # arriving one by one were sent one email per claim, SMTP connection and record.
    assert _events(monkeypatch, [1, 3, 0]) == ["claim 1", "wait 0.2", "claim 3", "wait 0.2", "claim 0", "wait 0.2"]

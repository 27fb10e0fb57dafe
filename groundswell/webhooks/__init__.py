"""Webhooks: organisations' endpoints, and signed deliveries from an outbox (webhooks/actions.py).

`from groundswell.webhooks import emit` in any app above: `emit(organisation_id=, event=, data=)`
inside the action's transaction."""

"""Background work for supporters' own data."""

from django_tasks import task

from groundswell.supporters.emails import build_data_link_email


@task()
def send_data_link(email: str) -> str:
    """Send the link. Safe to run twice (a second email with a working link)."""
    build_data_link_email(email).send()
    return "sent"

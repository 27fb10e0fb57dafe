"""The team: invitations by email (through the outbox, to a real SMTP server), roles, removal, the log."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from groundswell.accounts import actions, permissions
from groundswell.accounts.errors import LastOwner
from groundswell.accounts.models import Invitation, Membership, TeamEvent
from tests.factories import make_campaign, make_organisation, make_organiser, make_petition
from tests.support.queue import run_queued_tasks

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
NEW_PASSWORD = "plum-harbour-lantern-42"


@pytest.fixture
def team():
    organisation = make_organisation("Mind Surrey")
    owner = make_organiser(organisation, email="owner@example.org", role="owner")
    return organisation, owner


def invite_and_get_link(client, organisation, owner, smtp_server, email, role):
    client.force_login(owner)
    response = client.post(f"/accounts/team/{organisation.slug}/invite/", {"email": email, "role": role})
    assert response.status_code == 302
    run_queued_tasks()
    mail = [m for m in smtp_server.messages if email.lower() in [a.lower() for a in m.envelope_to]][-1]
    [link] = [link for link in mail.links() if "/accounts/invitation/" in link]
    assert email.lower() not in link.lower() and "@" not in link  # no address readable in the token
    client.logout()
    return link.removeprefix("http://testserver")


def test_an_invited_person_accepts_sets_a_password_and_logs_in_in_any_case(client, team, smtp_server):
    organisation, owner = team
    link = invite_and_get_link(client, organisation, owner, smtp_server, "New.Person@Example.org", "moderator")
    page = client.get(link)
    assert page.status_code == 200 and b"Choose a password" in page.content
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=organisation, user__email="new.person@example.org")
    assert membership.role == "moderator"
    client.logout()
    login = client.post("/accounts/login/", {"username": "NEW.PERSON@example.ORG", "password": NEW_PASSWORD})
    assert login.status_code == 302 and login.url == "/organise/"
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404
    kinds = list(TeamEvent.objects.filter(organisation=organisation).values_list("kind", flat=True))
    assert kinds == ["joined", "invited"]


def test_mismatched_passwords_and_weak_ones_create_nothing(client, team, smtp_server):
    organisation, owner = team
    link = invite_and_get_link(client, organisation, owner, smtp_server, "someone@example.org", "viewer")
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": "something-else-entirely"})
    assert response.status_code == 400 and b"not the same" in response.content
    response = client.post(link, {"password1": "12345678901", "password2": "12345678901"})
    assert response.status_code == 400
    assert not Membership.objects.filter(organisation=organisation, user__email="someone@example.org").exists()


def test_a_malformed_or_forged_invitation_link_is_a_kind_404(client, team):
    for token in ["x", "not-a-token:at-all", "a" * 500]:
        response = client.get(f"/accounts/invitation/{token}/")
        assert response.status_code == 404
        assert b"This invitation link does not work" in response.content
    assert client.post("/accounts/invitation/x/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 404
    assert Membership.objects.filter(organisation=team[0]).count() == 1


def test_an_expired_invitation_says_so_and_changes_nothing(client, team, smtp_server, settings):
    organisation, owner = team
    link = invite_and_get_link(client, organisation, owner, smtp_server, "late@example.org", "organiser")
    with time_machine.travel(timezone.now() + timedelta(days=settings.TEAM_INVITATION_DAYS, hours=1)):
        response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410 and b"This invitation has expired" in response.content
    assert not Membership.objects.filter(user__email="late@example.org").exists()


def test_a_withdrawn_invitation_is_not_sent_and_does_not_work(client, team, smtp_server):
    organisation, owner = team
    invitation = actions.invite_member(organisation=organisation, email="maybe@example.org", role="viewer", by=owner)
    actions.withdraw_invitation(invitation=invitation, by=owner)
    run_queued_tasks()
    assert smtp_server.messages == []


def test_an_existing_account_logs_in_first_and_only_as_the_invited_address(client, team, smtp_server):
    organisation, owner = team
    other = make_organisation("Another group")
    existing = make_organiser(other, email="existing@example.org")
    intruder = make_organiser(other, email="intruder@example.org")
    link = invite_and_get_link(client, organisation, owner, smtp_server, "Existing@example.org", "organiser")
    assert b"Log in to accept" in client.get(link).content
    assert client.post(link, {}).status_code == 403
    client.force_login(intruder)
    assert client.post(link, {}).status_code == 403
    assert not Membership.objects.filter(organisation=organisation, user=intruder).exists()
    client.force_login(existing)
    assert client.post(link, {}).status_code == 302
    assert Membership.objects.get(organisation=organisation, user=existing).role == "organiser"


def test_only_owners_invite_change_roles_and_remove(client, team):
    organisation, owner = team
    organiser = make_organiser(organisation, email="organiser@example.org", role="organiser")
    with pytest.raises(PermissionDenied):
        actions.invite_member(organisation=organisation, email="x@example.org", role="owner", by=organiser)
    client.force_login(organiser)
    assert client.get(f"/accounts/team/{organisation.slug}/").status_code == 200  # every member reads it
    assert client.post(f"/accounts/team/{organisation.slug}/invite/", {"email": "x@example.org", "role": "owner"}).status_code == 404
    membership = Membership.objects.get(user=owner)
    assert client.post(f"/accounts/team/{organisation.slug}/members/{membership.pk}/role/", {f"m{membership.pk}-role": "viewer"}).status_code == 404
    assert client.post(f"/accounts/team/{organisation.slug}/members/{membership.pk}/remove/").status_code == 404
    assert Membership.objects.get(user=owner).role == "owner"
    assert not Invitation.objects.exists()


def test_bad_invite_input_is_a_clear_message(client, team):
    organisation, owner = team
    client.force_login(owner)
    for data, message in [
        ({"email": "not an address", "role": "organiser"}, b"Enter an email address in the right form"),
        ({"email": "a@example.org", "role": "emperor"}, b"Choose one of the roles in the list"),
        ({"email": "owner@example.org", "role": "viewer"}, b"is already in the team"),
    ]:
        response = client.post(f"/accounts/team/{organisation.slug}/invite/", data)
        assert response.status_code == 400 and message in response.content
    assert not Invitation.objects.exists()


def test_roles_decide_what_each_member_may_do_and_a_removed_member_loses_access_at_once(client, team):
    organisation, owner = team
    petition = make_petition(make_campaign(organisation))
    members = {role: make_organiser(organisation, email=f"{role}@example.org", role=role) for role in ("organiser", "moderator", "viewer")}
    expectations = {  # role: (edit petition, moderate)
        "organiser": (200, 200),
        "moderator": (404, 200),
        "viewer": (404, 404),
    }
    for role, (edit, moderate) in expectations.items():
        client.force_login(members[role])
        assert client.get(f"/organise/petitions/{petition.pk}/edit/").status_code == edit, role
        assert client.get(f"/moderate/petitions/{petition.pk}/").status_code == moderate, role
        assert client.get("/organise/").status_code == 200
    client.force_login(members["moderator"])
    page = client.get("/organise/")
    assert f"/organise/petitions/{petition.pk}/edit/".encode() not in page.content

    membership = Membership.objects.get(user=members["organiser"])
    client.force_login(members["organiser"])
    assert client.get(f"/organise/petitions/{petition.pk}/edit/").status_code == 200
    actions.remove_member(membership=membership, by=owner)
    # The same session, the very next request.
    assert client.get(f"/organise/petitions/{petition.pk}/edit/").status_code == 404
    assert client.get(f"/moderate/petitions/{petition.pk}/").status_code == 404
    assert client.get(f"/accounts/team/{organisation.slug}/").status_code == 404
    assert TeamEvent.objects.filter(kind="removed", email="organiser@example.org").exists()


def test_role_changes_are_logged_and_the_last_owner_stays(client, team):
    organisation, owner = team
    viewer = make_organiser(organisation, email="viewer@example.org", role="viewer")
    client.force_login(owner)
    membership = Membership.objects.get(user=viewer)
    response = client.post(f"/accounts/team/{organisation.slug}/members/{membership.pk}/role/", {f"m{membership.pk}-role": "moderator"})
    assert response.status_code == 302
    assert Membership.objects.get(user=viewer).role == "moderator"
    event = TeamEvent.objects.get(kind="role_changed")
    assert (event.email, event.old_role, event.new_role, event.by_email) == ("viewer@example.org", "viewer", "moderator", "owner@example.org")
    with pytest.raises(LastOwner):
        actions.change_role(membership=Membership.objects.get(user=owner), role="viewer", by=owner)
    with pytest.raises(LastOwner):
        actions.remove_member(membership=Membership.objects.get(user=owner), by=owner)
    assert permissions.can(owner, organisation, permissions.MANAGE)


def test_an_organisation_that_requires_two_step_login_holds_every_member_to_it(client, team):
    organisation, owner = team
    member = make_organiser(organisation, email="member@example.org", role="organiser")
    client.force_login(member)
    assert client.get("/organise/").status_code == 200
    actions.set_two_step_required(organisation=organisation, required=True, by=owner)
    response = client.get("/organise/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-step/set-up/")

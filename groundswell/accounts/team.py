"""The team's pages: members and their roles, invitations, the log; accepting an invitation.

Every member reads the team page; only owners (accounts/permissions.py MANAGE) see and use its
forms. Each action checks the role again (`permissions.require`), so a form posted by someone
who is no longer an owner changes nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from groundswell.accounts import actions, permissions, queries
from groundswell.accounts.errors import AlreadyMember, InvitationExpired, InvitationNotValid, LastOwner, WrongAccount
from groundswell.accounts.forms import ChoosePasswordForm, InviteForm, RoleForm, TeamSettingsForm
from groundswell.accounts.models import Invitation, Membership
from groundswell.accounts.tokens import INVITATION_LINK
from groundswell.core.signed_links import ExpiredToken, InvalidToken

LOGIN_BACKEND = "groundswell.accounts.backends.EmailBackend"


def _organisation_or_404(user, slug, capability):
    return get_object_or_404(permissions.organisations_where(user, capability), slug=slug)


def _team_page(request, organisation, *, invite_form=None, status=200):
    manages = permissions.can(request.user, organisation, permissions.MANAGE)
    members = list(queries.team_of(organisation))
    return render(
        request,
        "accounts/team.html",
        {
            "organisation": organisation,
            "manages": manages,
            "members": [(m, RoleForm(initial={"role": m.role}, member_name=m.user.email, prefix=f"m{m.pk}")) for m in members],
            "invitations": queries.pending_invitations(organisation) if manages else [],
            "invite_form": invite_form or InviteForm(),
            "settings_form": TeamSettingsForm(initial={"two_step_required": organisation.two_step_required}),
            "log": queries.team_log(organisation) if manages else [],
            "invitation_days": settings.TEAM_INVITATION_DAYS,
        },
        status=status,
    )


@login_required
def team(request, slug):
    organisation = _organisation_or_404(request.user, slug, permissions.READ)
    return _team_page(request, organisation)


@login_required
@require_POST
def invite(request, slug):
    organisation = _organisation_or_404(request.user, slug, permissions.MANAGE)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team_page(request, organisation, invite_form=form, status=400)
    try:
        actions.invite_member(organisation=organisation, email=form.cleaned_data["email"], role=form.cleaned_data["role"], by=request.user)
    except AlreadyMember:
        form.add_error("email", _("%(email)s is already in the team: change their role below instead.") % {"email": form.cleaned_data["email"]})
        return _team_page(request, organisation, invite_form=form, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("accounts:team", slug=organisation.slug)


@login_required
@require_POST
def change_role(request, slug, pk):
    organisation = _organisation_or_404(request.user, slug, permissions.MANAGE)
    membership = get_object_or_404(Membership.objects.select_related("user"), organisation=organisation, pk=pk)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
    else:
        try:
            actions.change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        except LastOwner:
            messages.error(request, _("The team needs at least one owner: make someone else an owner first."))
        else:
            messages.success(request, _("Saved the role of %(email)s.") % {"email": membership.user.email})
    return redirect("accounts:team", slug=organisation.slug)


@login_required
@require_POST
def remove(request, slug, pk):
    """An owner removes a member; any member may remove themselves (leave)."""
    organisation = _organisation_or_404(request.user, slug, permissions.READ)
    membership = get_object_or_404(Membership.objects.select_related("user"), organisation=organisation, pk=pk)
    if membership.user_id != request.user.pk and not permissions.can(request.user, organisation, permissions.MANAGE):
        raise Http404  # as for any page they may not use
    try:
        actions.remove_member(membership=membership, by=request.user)
    except LastOwner:
        messages.error(request, _("The team needs at least one owner: make someone else an owner first."))
        return redirect("accounts:team", slug=organisation.slug)
    if membership.user_id == request.user.pk:
        messages.success(request, _("You have left %(organisation)s.") % {"organisation": organisation.name})
        return redirect("composition:organise")
    messages.success(request, _("%(email)s is no longer in the team.") % {"email": membership.user.email})
    return redirect("accounts:team", slug=organisation.slug)


@login_required
@require_POST
def withdraw(request, slug, pk):
    organisation = _organisation_or_404(request.user, slug, permissions.MANAGE)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=pk)
    actions.withdraw_invitation(invitation=invitation, by=request.user)
    messages.success(request, _("Withdrew the invitation to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:team", slug=organisation.slug)


@login_required
@require_POST
def team_settings(request, slug):
    organisation = _organisation_or_404(request.user, slug, permissions.MANAGE)
    form = TeamSettingsForm(request.POST)
    form.is_valid()  # a tick box: always valid
    actions.set_two_step_required(organisation=organisation, required=form.cleaned_data.get("two_step_required", False), by=request.user)
    messages.success(request, _("Saved the team's settings."))
    return redirect("accounts:team", slug=organisation.slug)


def _invitation_problem(request, *, expired=False, status=404):
    return render(request, "accounts/invitation_invalid.html", {"expired": expired}, status=status)


@never_cache
def invitation(request, token):
    """The emailed link: GET shows the invitation; its button (a POST) accepts it.

    Someone without an account chooses a password and is logged in; someone with one logs in
    first (as that address) and then accepts. Where the team requires two-step login, the next
    page is its set-up (the middleware holds every other page until then)."""
    try:
        public_id = INVITATION_LINK.read(token)
    except ExpiredToken:
        return _invitation_problem(request, expired=True, status=410)
    except InvalidToken:
        return _invitation_problem(request)
    found = Invitation.objects.select_related("organisation", "invited_by").filter(public_id=public_id).first()
    try:
        found = actions.check_invitation(found)
    except InvitationExpired:
        return _invitation_problem(request, expired=True, status=410)
    except InvitationNotValid:
        return _invitation_problem(request)
    existing = actions.find_user_by_email(found.email)
    logged_in = request.user.is_authenticated
    wrong_account = logged_in and (existing is None or existing.pk != request.user.pk)
    needs_login = existing is not None and not logged_in
    form = ChoosePasswordForm(request.POST or None, email=found.email) if existing is None and not logged_in else None
    context = {
        "invitation": found,
        "form": form,
        "needs_login": needs_login,
        "wrong_account": wrong_account,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
    }
    if request.method != "POST" or wrong_account or needs_login:
        return render(request, "accounts/invitation.html", context, status=403 if request.method == "POST" else 200)
    if form is not None and not form.is_valid():
        return render(request, "accounts/invitation.html", context, status=400)
    try:
        user = actions.accept_invitation(
            invitation=found,
            user=request.user if logged_in else None,
            password=form.cleaned_data["password1"] if form is not None else None,
        )
    except InvitationExpired:
        return _invitation_problem(request, expired=True, status=410)
    except (InvitationNotValid, WrongAccount):
        return _invitation_problem(request)
    if not logged_in:
        login(request, user, backend=LOGIN_BACKEND)
    messages.success(request, _("Welcome to the team of %(organisation)s.") % {"organisation": found.organisation.name})
    if found.organisation.two_step_required and not getattr(request.user, "is_verified", lambda: False)():
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': reverse('composition:organise')})}")
    return redirect("composition:organise")

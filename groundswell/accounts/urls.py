from django.contrib.auth import views as auth_views
from django.urls import path

from groundswell.accounts import team, views
from groundswell.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("team/<slug:slug>/", team.team, name="team"),
    path("team/<slug:slug>/invite/", team.invite, name="team_invite"),
    path("team/<slug:slug>/settings/", team.team_settings, name="team_settings"),
    path("team/<slug:slug>/members/<int:pk>/role/", team.change_role, name="team_role"),
    path("team/<slug:slug>/members/<int:pk>/remove/", team.remove, name="team_remove"),
    path("team/<slug:slug>/invitations/<int:pk>/withdraw/", team.withdraw, name="team_withdraw"),
    path("invitation/<str:token>/", team.invitation, name="invitation"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-step/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-step/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-step/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

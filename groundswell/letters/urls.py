from django.urls import path

from groundswell.letters import views

app_name = "letters"
urlpatterns = [
    path("letters/<slug:slug>/", views.compose, name="compose"),
    path("letters/<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("letters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("letters/confirmed/<str:token>/", views.confirmed, name="confirmed"),
    path("letters/reply/<str:token>/<str:answer>/", views.answer, name="answer"),
    path("letters/recipients/<int:pk>/", views.recipient, name="recipient"),
    path("organise/letters/", views.organise, name="organise"),
    path("organise/letters/new/", views.action_edit, name="create"),
    path("organise/letters/<int:pk>/edit/", views.action_edit, name="edit"),
]

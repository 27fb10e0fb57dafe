from django.urls import path

from groundswell.events import views

app_name = "events"
urlpatterns = [
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/check-your-email/", views.check_email, name="check_email"),
    path("events/<int:pk>/event.ics", views.event_ics, name="ics"),
    path("events/confirm/<str:token>/", views.confirm, name="confirm"),
    path("events/reply/<str:token>/", views.manage, name="manage"),
    path("events/reply/<str:token>/cancel/", views.cancel, name="cancel"),
    path("events/reply/<str:token>/event.ics", views.my_ics, name="my_ics"),
    path("campaigns/<slug:slug>/events.ics", views.campaign_feed, name="campaign_feed"),
    path("campaigns/<slug:slug>/events.json", views.campaign_json, name="campaign_json"),
    path("my-data/<str:token>/events/<uuid:public_id>/", views.my_data_rsvp, name="my_data_rsvp"),
    path("organise/events/", views.organise, name="organise"),
    path("organise/events/new/", views.event_edit, name="create"),
    path("organise/events/<int:pk>/", views.organise_detail, name="organise_detail"),
    path("organise/events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("organise/events/<int:pk>/publish/", views.publish, name="publish"),
    path("organise/events/<int:pk>/cancel/", views.cancel_event, name="cancel_event"),
    path("organise/events/<int:pk>/attendees/", views.attendees, name="attendees"),
    path("organise/events/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("organise/events/<int:pk>/sign-in.csv", views.sign_in_csv, name="sign_in_csv"),
]

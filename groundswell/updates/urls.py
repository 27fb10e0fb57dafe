from django.urls import path

from groundswell.updates import views

app_name = "updates"
urlpatterns = [
    path("organise/updates/", views.organise, name="organise"),
    path("organise/updates/new/", views.audience, name="create"),
    path("organise/updates/settings/<int:organisation_pk>/", views.organisation_settings, name="settings"),
    path("organise/updates/<int:pk>/", views.detail, name="detail"),
    path("organise/updates/<int:pk>/audience/", views.audience, name="audience"),
    path("organise/updates/<int:pk>/write/", views.write, name="write"),
    path("organise/updates/<int:pk>/email.html", views.email_html, name="email_html"),
    path("organise/updates/<int:pk>/test/", views.test_send, name="test_send"),
    path("organise/updates/<int:pk>/send/", views.send, name="send"),
    path("organise/updates/<int:pk>/approve/", views.approve, name="approve"),
    path("organise/updates/<int:pk>/draft/", views.back_to_draft, name="back_to_draft"),
    path("updates/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("updates/unsubscribe/<str:token>/one-click/", views.one_click, name="one_click"),
    path("my-data/<str:token>/updates/<uuid:public_id>/withdraw/", views.withdraw_from_own_data, name="withdraw"),
]

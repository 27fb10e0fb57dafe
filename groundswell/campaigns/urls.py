from django.urls import path

from groundswell.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("organise/campaigns/new/", views.campaign_edit, name="create"),
    path("organise/campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
]

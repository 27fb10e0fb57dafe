from django.urls import path

from groundswell.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/<slug:slug>/", views.campaign_detail, name="detail"),
    path("organise/", views.organise, name="organise"),
    path("organise/campaigns/new/", views.campaign_edit, name="create"),
    path("organise/campaigns/<int:pk>/edit/", views.campaign_edit, name="edit"),
]

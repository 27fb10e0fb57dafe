from django.urls import path

from groundswell.composition import views

app_name = "composition"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("organise/", views.organise, name="organise"),
]

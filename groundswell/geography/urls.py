from django.urls import path

from groundswell.geography import views

app_name = "geography"
urlpatterns = [
    path("petitions/<slug:slug>/near-me/", views.near_me, name="near_me"),
    path("petitions/<slug:slug>/map/", views.petition_map, name="petition_map"),
    path("petitions/<slug:slug>/map.svg", views.petition_map_svg, name="petition_map_svg"),
    path("petitions/<slug:slug>/constituencies.csv", views.constituencies_csv, name="constituencies_csv"),
    path("data/", views.credits, name="credits"),
]

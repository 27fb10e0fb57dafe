from django.urls import path

from groundswell.supporters import views

app_name = "supporters"
urlpatterns = [
    path("my-data/", views.request_link, name="request_link"),
    path("my-data/<str:token>/", views.my_data, name="my_data"),
    path("my-data/<str:token>/download/", views.download, name="download"),
    path("my-data/<str:token>/delete/", views.delete_everything, name="delete"),
]

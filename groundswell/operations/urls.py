from django.urls import path

from groundswell.operations import views

app_name = "operations"
urlpatterns = [
    path("health/", views.health, name="health"),
]

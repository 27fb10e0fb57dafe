from django.urls import path

from groundswell.geography import views

app_name = "geography"
urlpatterns = [
    path("data/", views.credits, name="credits"),
]

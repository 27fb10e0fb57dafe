from django.urls import path

from groundswell.composition import views

app_name = "composition"
urlpatterns = [
    path("", views.home, name="home"),
]

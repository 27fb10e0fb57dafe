from django.urls import path

from groundswell.core import views

app_name = "core"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("source.tar.gz", views.source_code, name="source_code"),
]

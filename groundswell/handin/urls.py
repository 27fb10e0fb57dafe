from django.urls import path

from groundswell.handin import views

app_name = "handin"
urlpatterns = [
    path("organise/petitions/<int:pk>/thresholds/", views.thresholds, name="thresholds"),
    path("organise/thresholds/<int:pk>/delete/", views.threshold_delete, name="threshold_delete"),
    path("organise/petitions/<int:pk>/hand-in/<int:target_pk>/", views.pack, name="pack"),
    path("organise/petitions/<int:pk>/hand-in/<int:target_pk>.csv", views.pack_csv, name="pack_csv"),
    path("organise/petitions/<int:pk>/hand-in/<int:target_pk>.pdf", views.pack_pdf, name="pack_pdf"),
]

from django.urls import path

from groundswell.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderate/", views.moderation_home, name="home"),
    path("moderate/organisations/<int:organisation_pk>/rate-limits/", views.rate_limits, name="rate_limits"),
    path("moderate/petitions/<int:pk>/", views.petition_dashboard, name="petition"),
    path("moderate/petitions/<int:pk>/proof-of-work/", views.proof_of_work, name="proof_of_work"),
    path("moderate/petitions/<int:pk>/restore/", views.restore, name="restore"),
    path("moderate/petitions/<int:pk>/invalidate/", views.invalidate, name="invalidate"),
    path("moderate/records/<int:pk>/", views.record_progress, name="record"),
]

from django.urls import path, re_path

from groundswell.api import organise, views

app_name = "api"
urlpatterns = [
    path("api/v1/", views.entry_point, name="entry_point"),
    path("api/v1/people", views.people, name="people"),
    path("api/v1/people/<str:person_id>", views.person, name="person"),
    path("api/v1/petitions", views.petitions, name="petitions"),
    path("api/v1/petitions/<slug:slug>", views.petition, name="petition"),
    path("api/v1/petitions/<slug:slug>/signatures", views.signatures, name="signatures"),
    path("api/v1/tags", views.tags, name="tags"),
    path("api/v1/tags/<int:pk>", views.tag, name="tag"),
    path("api/v1/tags/<int:pk>/taggings", views.taggings, name="taggings"),
    path("api/v1/tags/<int:pk>/taggings/<int:tagging_pk>", views.tagging, name="tagging"),
    re_path(r"^api/v1/(?P<rest>.*)$", views.endpoint("GET", "POST", "PUT", "PATCH", "DELETE")(lambda request, token, rest: views.not_found(request, rest)), name="not_found"),
    path("organise/api/<slug:slug>/tokens/", organise.api_tokens, name="tokens"),
    path("organise/api/<slug:slug>/tokens/<int:pk>/revoke/", organise.revoke_api_token, name="revoke_token"),
    path("organise/api/<slug:slug>/webhooks/", organise.webhook_endpoints, name="webhooks"),
    path("organise/api/<slug:slug>/webhooks/<int:pk>/", organise.webhook_endpoint_change, name="webhook_change"),
]

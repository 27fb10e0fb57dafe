from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("groundswell.core.urls")),
    path("accounts/", include("groundswell.accounts.urls")),
    path("", include("groundswell.campaigns.urls")),
    path("", include("groundswell.petitions.urls")),
    path("", include("groundswell.geography.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "groundswell.core.views.page_not_found"
handler500 = "groundswell.core.views.server_error"

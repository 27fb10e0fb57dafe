from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# Every page people read is in each language: English at its plain address, Welsh under /cy/
# (docs/translation.md). Emailed links carry the prefix of the language the email is written in.
urlpatterns = i18n_patterns(
    path("", include("groundswell.composition.urls")),
    path("", include("groundswell.core.urls")),
    path("accounts/", include("groundswell.accounts.urls")),
    path("", include("groundswell.campaigns.urls")),
    path("", include("groundswell.petitions.urls")),
    path("", include("groundswell.ledger.urls")),
    path("", include("groundswell.moderation.urls")),
    path("", include("groundswell.supporters.urls")),
    path("", include("groundswell.geography.urls")),
    path("", include("groundswell.letters.urls")),
    path("", include("groundswell.handin.urls")),
    path("", include("groundswell.events.urls")),
    path("", include("groundswell.updates.urls")),
    prefix_default_language=False,
)
# Not per language: the admin (Django's own, in the browser's language), /health/ and the
# organisers' API (for machines).
urlpatterns += [
    path("", include("groundswell.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("groundswell.operations.urls")),
]

if settings.BENCH_ENDPOINTS:
    from groundswell.core.views import minimal_for_benchmarks

    # First, so the ceiling is a minimal view: resolved last, a path costs about a millisecond
    # walking every app's patterns (measured: 0.96 ms against 0.12 ms for a petition's page),
    # which made the ceiling look lower and every ratio to it better than it was.
    urlpatterns.insert(0, path("_bench/minimal", minimal_for_benchmarks))

handler400 = "groundswell.core.views.bad_request"
handler403 = "groundswell.core.views.permission_denied"
handler404 = "groundswell.core.views.page_not_found"
handler500 = "groundswell.core.views.server_error"

from django.conf import settings
from django.shortcuts import render

from groundswell.campaigns.queries import list_public_campaigns


def home(request):
    return render(request, "core/home.html", {"campaigns": list_public_campaigns()})


def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {
            "confirmation_days": settings.SIGNATURE_CONFIRMATION_DAYS,
            "retention_days": settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE,
        },
    )


def csrf_failure(request, reason=""):
    """A kind explanation instead of Django's technical 403 page; nothing is stored."""
    return render(request, "core/csrf_failure.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)

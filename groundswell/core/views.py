"""Pages every site has: privacy, the source code (AGPL), and the error pages."""

import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {
            "confirmation_days": settings.SIGNATURE_CONFIRMATION_DAYS,
            "retention_days": settings.SIGNER_DATA_RETENTION_DAYS_AFTER_CLOSE,
            "ip_retention_days": settings.PROTECTION_IP_RETENTION_DAYS,
        },
    )


def csrf_failure(request, reason=""):
    """A kind explanation instead of Django's technical 403 page; nothing is stored. A form sent
    from another website (core/crossorigin.py) is told so: reloading would not help."""
    return render(request, "core/csrf_failure.html", {"cross_site": reason.startswith("Cross-site")}, status=403)


def bad_request(request, exception=None):
    return render(request, "core/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)


def source_code(request):
    """The source of the code this site runs, as the AGPL asks (section 13).

    Operators who publish their copy elsewhere set SOURCE_CODE_URL and the footer links there;
    this archive of the running package is always available as well.
    """
    package = Path(__file__).resolve().parent.parent
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.add(path, arcname=f"groundswell/{path.relative_to(package)}", recursive=False)
        license_file = package.parent / "LICENSE"
        if license_file.exists():
            archive.add(license_file, arcname="LICENSE")
    response = HttpResponse(buffer.getvalue(), content_type="application/gzip")
    response["Content-Disposition"] = 'attachment; filename="groundswell-source.tar.gz"'
    return response


def minimal_for_benchmarks(request):
    """The smallest Django view, through the full middleware stack: the benchmark's ceiling.
    Only routed when BENCH_ENDPOINTS is on (bench/viral_load.py)."""
    return HttpResponse(b"ok", content_type="text/plain")

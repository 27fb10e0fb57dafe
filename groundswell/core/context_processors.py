from django.conf import settings


def site(request):
    """What every page's layout needs: the public URL (share links) and where the source is."""
    return {"SITE_URL": settings.SITE_URL, "SOURCE_CODE_URL": settings.SOURCE_CODE_URL}

"""The home page: open petitions and public campaigns, from every feature at once."""

from django.shortcuts import render

from groundswell.campaigns.queries import list_public_campaigns
from groundswell.core.pagecache import anonymous_page
from groundswell.petitions.queries import open_petitions

HOME_PETITIONS = 5


def home(request):
    """Open petitions (the most signed, then the newest of the rest) and the public campaigns.

    The same for every anonymous visitor, so served from the page cache: a petition opened or
    closed shows within PUBLIC_PAGE_CACHE_SECONDS.
    """
    return anonymous_page(request, key="home", render=lambda extra: _home_page(request, extra))


def _home_page(request, extra_context):
    most_signed = list(open_petitions(order="signatures")[:HOME_PETITIONS])
    shown = [p.pk for p in most_signed]
    newest = list(open_petitions(order="newest").exclude(pk__in=shown)[:HOME_PETITIONS])
    return render(
        request,
        "composition/home.html",
        {
            "campaigns": list_public_campaigns(),
            "most_signed": most_signed,
            "newest": newest,
            "open_count": open_petitions().count(),
            **extra_context,
        },
    )

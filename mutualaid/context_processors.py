from django.utils.functional import SimpleLazyObject

from mutualaid.lib import network_name


def site(request):
    # The network's name, read only if the page shows it, and then from the cache: no query.
    return {"site_name": SimpleLazyObject(network_name.get)}

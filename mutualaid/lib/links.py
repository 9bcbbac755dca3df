"""Full addresses of the site's pages, for text that leaves the app (emails, chat, pasted lists)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def absolute(path: str, request=None) -> str:
    """``path`` on SITE_URL, the one address members know the site by.

    Without SITE_URL (a laptop), a page may fall back on the address ``request`` came in at; a
    message sent from the worker has no request, and refuses.
    """
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    raise ImproperlyConfigured("SITE_URL must be set to send links by email or chat")

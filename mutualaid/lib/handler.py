"""Django's WSGI handler, remembering which view each address leads to.

Every app's addresses are included at the site's root, so Django finds a request's view by trying
the patterns one after the other: about 80 of them for a page of the privacy app, some 45
microseconds of every request. What it finds for an address never changes while the process runs
(the URL configuration is read once), so here it is kept per address, at most KEPT addresses (all
are dropped when there would be more: simpler than dropping the oldest, and as cheap). An address
that leads nowhere raises Django's 404 as before and is not kept.

Each request gets its own copy of what was found, so that a middleware or view that changes it
(its keyword arguments) changes no other request's.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import ResolverMatch

KEPT = 4096


class Handler(WSGIHandler):
    def __init__(self):
        super().__init__()
        self._resolved = {}

    def resolve_request(self, request):
        if hasattr(request, "urlconf"):  # a request's own URL configuration: Django's way
            return super().resolve_request(request)
        key = (settings.ROOT_URLCONF, request.path_info)
        found = self._resolved.get(key)
        if found is None:
            found = super().resolve_request(request)  # an address that leads nowhere raises
            if len(self._resolved) >= KEPT:
                self._resolved.clear()
            self._resolved[key] = found
        match = object.__new__(ResolverMatch)  # a copy (Django refuses copy.copy of one)
        match.__dict__.update(found.__dict__)  # its args are a tuple: shared as they are
        match.kwargs = dict(found.kwargs)
        for name in ("captured_kwargs", "extra_kwargs"):
            value = getattr(found, name)
            setattr(match, name, None if value is None else dict(value))
        request.resolver_match = match
        return match

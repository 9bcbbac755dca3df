from django.utils.cache import add_never_cache_headers


class NoStoreForMembersMiddleware:
    """Pages seen by a logged-in member may show private data: no cache keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # Cache-Control: no-store, no-cache, ... private
        return response

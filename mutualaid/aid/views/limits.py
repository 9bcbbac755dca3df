"""The rate limits the aid views share."""

from mutualaid.lib import ratelimit


def newcomer_post_limit(request):
    """Needs and offers posted by a newcomer count together, per day; a vouched member is free.

    Returns the 429 response once over the limit, or None.
    """
    member = request.user
    if member.is_vouched() or member.is_organizer:
        return None
    return ratelimit.limit("newcomer-posts", str(member.code), request)

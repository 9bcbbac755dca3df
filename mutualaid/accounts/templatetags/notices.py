from django import template

from ..selectors import unread_notice_count as _unread_notice_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """Notices the member has not read yet, in one query: ``{% unread_notice_count as n %}``."""
    request = context.get("request")
    member = getattr(request, "user", None)
    if member is None or not member.is_authenticated:
        return 0
    return _unread_notice_count(member)

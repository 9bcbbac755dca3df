"""``{% site_nav %}``: every page's menu, rendered once for everyone who sees the same one and kept.

The menu shows what the viewer may do (their capabilities), which page they are on, and how many
new notices they have: those, with the language and the minute (lib/fragments.py), are its key.
What is the viewer's own, their CSRF token and their handle on "Log out", is put back each time it
is served. Its key is made here, from the request's member as read with the session, rather than
in the template: half the cost of the menu on a page that has nothing else was resolving the
template variables of its key.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from mutualaid.lib.fragments import fragment_key, served

from ..selectors import unread_notice_count

register = template.Library()

TEMPLATE = "includes/nav.html"
HANDLE_MARK = "\x00handle\x00"  # where the viewer's handle goes; no page holds a NUL


@register.simple_tag(takes_context=True)
def site_nav(context) -> str:
    request = context.get("request")
    member = getattr(request, "user", None)
    signed_in = member is not None and member.is_authenticated
    unread = unread_notice_count(member) if signed_in else 0
    match = getattr(request, "resolver_match", None)
    vary = [
        signed_in,
        sorted(member.capabilities) if signed_in else [],
        unread,
        getattr(match, "url_name", None),
        getattr(match, "app_name", None),
    ]

    def render() -> str:
        with context.push(unread_notices=unread, logout_handle=HANDLE_MARK):
            return context.template.engine.get_template(TEMPLATE).render(context)

    handle = escape(member.handle) if signed_in else ""
    html = served(f"fragment:nav:{fragment_key(vary=vary)}", render, context, {HANDLE_MARK: handle})
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, the handle escaped)

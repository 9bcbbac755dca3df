"""A template node whose output depends only on a few things the page does not choose (the
language, the URL configuration, whether it escapes): rendered once per such key, kept on the
node and served again from there. lib/i18n.py and lib/url_tag.py mix it into Django's own
nodes, and call ``render_kept`` when their node is one of constants.

What a kept node's key reads of the request's own state (its language, URL configuration and
script prefix) is read once per render (``render_state``): each is a lookup in Django's
request-local storage, 1 to 2 microseconds, and a page has dozens of kept nodes. Rendering a
template changes none of them, but for ``{% language %}``, whose block reads them afresh
(``forgetting_state``, lib/i18n.py).
"""

from contextlib import contextmanager

from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

STATE = "mutualaid.kept_node.state"  # its key in the render context


def render_state(context) -> tuple:
    """(language, URL configuration, script prefix) of this render, read on its first use."""
    state = context.render_context.get(STATE)
    if state is None:
        state = context.render_context[STATE] = (get_language(), get_urlconf(), get_script_prefix())
    return state


@contextmanager
def forgetting_state(context):
    """Within it, render_state is read afresh; after it, the render's own comes back."""
    current = context.render_context.dicts[-1]
    saved = current.pop(STATE, None)
    try:
        yield
    finally:
        current.pop(STATE, None)
        if saved is not None:
            current[STATE] = saved


class KeptNode:
    # Subclasses set self.kept = {} in __init__; self.asvar is the node's own (Django's).

    def render_kept(self, context, key):
        value = self.kept.get(key)
        if value is None:
            rendered = super().render(context)  # Django's node, once per key
            value = self.kept[key] = context[self.asvar] if self.asvar else rendered
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

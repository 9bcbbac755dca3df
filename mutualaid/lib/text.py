"""Admins' text on public pages, in plain formatting: paragraphs, lists, emphasis, headings, links.

The text is Markdown (CommonMark) with raw HTML turned off: ``<script>`` or ``<b>`` shows as the
characters typed. Links keep the parser's own check (it refuses ``javascript:``, ``vbscript:``,
``file:`` and most ``data:`` addresses, which then stay plain text) and carry
``rel="nofollow noopener"``. Images are off: a picture from another site would tell that site who
reads the page.

In a template: ``{% load text %}{{ network.scope|plain_markdown }}``.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

LINK_REL = "nofollow noopener"

register = template.Library()


def _link_open(renderer, tokens, idx, options, env):
    tokens[idx].attrSet("rel", LINK_REL)
    return renderer.renderToken(tokens, idx, options, env)


_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")
_markdown.add_render_rule("link_open", _link_open)


@register.filter(name="plain_markdown")
def render_plain_markdown(text: str) -> SafeString:
    """``text`` as safe HTML (empty for no text)."""
    if not text or not text.strip():
        return mark_safe("")
    return mark_safe(_markdown.render(text))  # noqa: S308 (raw HTML is off: the parser escapes it)

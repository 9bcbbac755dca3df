"""Django's i18n template tags, with ``{% translate "words" %}`` of constant words kept.

Django's ``{% translate %}`` looks the words up in the catalog, formats and escapes them every
time it is rendered: about 10 microseconds, a dozen times on a page. When the words, their
context and their filters are all written in the template, what it renders depends only on the
language and on whether the page escapes: here it is kept on the node, per language, and served
again from there. Anything else (words from a variable, a variable context, a filter) is Django's
own, rendered each time.

settings.TEMPLATES names this module as the ``i18n`` library, so ``{% load i18n %}`` loads it;
every other tag is Django's.
"""

from django import template
from django.template.base import Variable
from django.templatetags import i18n

from .kept_node import KeptNode, forgetting_state, render_state

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


class KeptTranslateNode(KeptNode, i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        self.constant = (
            not self.filter_expression.filters
            and isinstance(var, Variable)
            and var.literal is not None
            and (message_context is None or not (message_context.is_var or message_context.filters))
        )
        self.kept: dict[tuple[str | None, bool], str] = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        return self.render_kept(context, (render_state(context)[0], context.autoescape))


class LanguageNode(i18n.LanguageNode):
    """Django's: its block in another language, its kept nodes reading that language."""

    def render(self, context):
        with forgetting_state(context):
            return super().render(context)


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@register.tag("language")
def language(parser, token):
    node = i18n.language(parser, token)
    return LanguageNode(node.nodelist, node.language)

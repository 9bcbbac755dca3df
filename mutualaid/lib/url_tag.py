"""Django's ``{% url %}``, with the address of constant names and arguments kept.

``{% url 'accounts:logout' %}`` reverses the same name to the same address on every page: Django's
tag reverses it each time, about 20 microseconds. When the name and every argument are written in
the template, the address depends only on the URL configuration, the script prefix, the current
application's namespace, the language and whether the page escapes: here it is kept on the node
under those, and served again from there. A name or argument from a variable (a need's code) is
reversed each time, by Django's own code.

settings.TEMPLATES lists this module among the builtins, after Django's, so that its ``url`` is
the one every template uses.
"""

from django import template
from django.template import defaulttags

from .kept_node import KeptNode, render_state

register = template.Library()


def _constant(expression) -> bool:
    return not (expression.is_var or expression.filters)


class KeptURLNode(KeptNode, defaulttags.URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        self.constant = all(map(_constant, [view_name, *args, *kwargs.values()]))
        self.kept: dict[tuple, str] = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        try:  # as Django's URLNode finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        language, urlconf, prefix = render_state(context)
        key = (urlconf, prefix, current_app, language, context.autoescape)
        return self.render_kept(context, key)


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)

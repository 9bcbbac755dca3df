from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_name(context, member, need=None, names=True, subject=False):
    """``{% shown_name event.actor need=need names=show_names %}``: see selectors.shown_name."""
    return selectors.shown_name(
        member, need=need, viewer=context["user"], names=names, subject=subject
    )

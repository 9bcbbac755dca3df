from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def api_tokens_of(member):
    """``{% api_tokens_of user as tokens %}``: the member's live tokens (one query)."""
    return list(selectors.member_tokens(member))

from django import template

register = template.Library()


@register.filter
def can(member, capability: str) -> bool:
    """``{% if request.user|can:"read_private" %}``: the policy's answer, never a role's name."""
    return bool(getattr(member, "is_authenticated", False) and member.can(capability))

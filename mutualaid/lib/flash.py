"""``{% flash %}``: the page's notice area (includes/messages.html), where Django's messages show.

Every page has one, and on almost every request it is empty: then the template's empty rendering,
made once per compiled template (a changed template is compiled anew, and rendered anew), is
served as it is. With messages, the template is rendered as ``{% include %}`` would render it.
``{% flash oob=True %}`` is the same area for an htmx answer, swapped in out of band.

settings.TEMPLATES names this library ``flash``.
"""

import weakref

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

TEMPLATE = "includes/messages.html"
_empty: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # template -> {oob: html}


@register.simple_tag(takes_context=True)
def flash(context, oob=False) -> str:
    compiled = context.template.engine.get_template(TEMPLATE)
    oob = bool(oob)
    if context.get("messages"):  # Django's messages, read (and so marked shown) when rendered
        with context.push(oob=oob):
            return mark_safe(compiled.render(context))  # noqa: S308 (the engine's escaping)
    kept = _empty.setdefault(compiled, {})
    if oob not in kept:
        with context.push(oob=oob, messages=()):
            kept[oob] = compiled.render(context)
    return mark_safe(kept[oob])  # noqa: S308 (rendered by the engine, from no one's data)

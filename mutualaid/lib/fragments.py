"""Keys for rendered fragments kept in the cache: a fragment is rendered once and served again
until a row of a table it shows changes (mutualaid/lib/versions.py), the minute turns (so that
"waiting 3 hours" and what turns stale stay true to the minute), or FRAGMENT_SECONDS pass.

A view passes ``fragment_key(tables..., vary=...)`` to the template, which wraps the fragment in
``{% load fragments %}{% fragment "name" key %}...{% endfragment %}``; the fragment's data is read
lazily inside it (a queryset, a ``cached_property``), so a fragment served from the cache costs its
key's one query. Only what every viewer of the page may see goes into a shared fragment: anything
that depends on the viewer is part of ``vary``. The one exception is handled here: a form's CSRF
token is the viewer's own, so it is kept out of the stored fragment and put back, the viewer's,
each time the fragment is served.
"""

import hashlib
import re

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from . import idempotency, versions

FRAGMENT_SECONDS = 300
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"

register = template.Library()


def fragment_key(*tables: str, vary=()) -> str:
    """The versions of ``tables``, the minute, the language and ``vary`` (what else the fragment
    depends on: the page's address with its filters and page number, the viewer's reach), as one
    short key."""
    parts = [
        versions.read(*tables) if tables else "",
        str(int(timezone.now().timestamp() // 60)),
        get_language() or "",
        *map(str, vary),
    ]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def form_state(form) -> list:
    """What a filter form was given (its defaults included), in a stable order: for ``vary``."""
    data = form.data
    listed = hasattr(data, "getlist")  # a QueryDict, or the dict of a form given its defaults
    return sorted((name, data.getlist(name) if listed else data[name]) for name in data)


def cached(name: str, tables: tuple[str, ...], compute, *, vary=()):
    """``compute()``'s value, kept like a fragment: under ``fragment_key`` of ``tables`` with
    ``name`` and ``vary``, for FRAGMENT_SECONDS at most. For a value a page shows rather than
    markup (the counts of what waits for each role)."""
    key = f"value:{fragment_key(*tables, vary=[name, *vary])}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        vary = self.key.resolve(context)
        if not vary:  # no key: a view of the viewer's own, rendered each time and never kept
            return self.nodelist.render(context)
        key = f"fragment:{self.name.resolve(context)}:{vary}"
        token = str(context.get("csrf_token") or "")
        kept = cache.get(key)
        if kept is None:
            rendered = self.nodelist.render(context)
            if f'name="{idempotency.FIELD}"' not in rendered:  # a one-time key is never kept
                kept = CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", rendered)
                cache.set(key, kept, FRAGMENT_SECONDS)
            return rendered
        return kept.replace(CSRF_MARK, token)


@register.simple_tag
def fragment_vary(*vary) -> str:
    """``{% fragment_vary a b as key %}``: a fragment's key for a block that shows no table's rows,
    only ``vary`` (and the minute and language, as every fragment): no query. A set is taken in
    order, so that every process makes the same key of it."""
    return fragment_key(vary=[sorted(v) if isinstance(v, (set, frozenset)) else v for v in vary])


@register.tag
def fragment(parser, token):
    """``{% fragment "name" key %}...{% endfragment %}``: the block as rendered under ``key``
    (fragment_key's), rendered only when it is not kept already; an empty key (None, "") renders
    the block every time and keeps nothing."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% fragment %} takes a name and a key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))

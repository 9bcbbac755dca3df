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

A fragment served is also kept in the process's own memory (at most HERE_CHARACTERS of them all,
for at most FRAGMENT_SECONDS each), so that a page asks the shared cache only for fragments this
process has not served yet. A copy kept here is never older than the shared one: a key names what
the fragment shows (the versions of its tables, the minute, the language, what it varies by).
"""

import hashlib
import re
import time

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from . import idempotency, versions
from .cache import also_forget

FRAGMENT_SECONDS = 300
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"
HERE_CHARACTERS = 4_000_000  # about 4 MB of a worker's memory (mostly ASCII)
_here: dict[str, tuple[float, str]] = {}  # key -> (until, fragment with the CSRF mark)
_here_size = [0]

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
    # What {% extends %} searches for the blocks of the page it renders, on every render: a
    # fragment holds none (a block's content is each page's own, never shared), so not searched.
    child_nodelists = ()

    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        vary = self.key.resolve(context)
        if not vary:  # no key: a view of the viewer's own, rendered each time and never kept
            return self.nodelist.render(context)
        key = f"fragment:{self.name.resolve(context)}:{vary}"
        return served(key, lambda: self.nodelist.render(context), context)


def served(key: str, render, context, put_back: dict[str, str] | None = None) -> str:
    """The fragment kept under ``key`` (in this process, else in the shared cache), or
    ``render()``'s, kept there; with the viewer's own CSRF token, and each mark of ``put_back``
    (a string no page holds, which ``render()`` wrote where a viewer's own value goes) replaced
    by its value (escaped already, where it must be)."""
    now = time.time()
    here = _here.get(key)
    if here is not None and here[0] > now:
        kept = here[1]
    else:
        kept = cache.get(key)
        if kept is None:
            rendered = render()
            if f'name="{idempotency.FIELD}"' in rendered:  # a one-time key is never kept
                return _put_back(rendered, put_back)
            kept = CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", rendered)
            cache.set(key, kept, FRAGMENT_SECONDS)
        keep_here(key, kept, now + FRAGMENT_SECONDS)
    if CSRF_MARK in kept:
        kept = kept.replace(CSRF_MARK, str(context.get("csrf_token") or ""))
    return _put_back(kept, put_back)


def _put_back(fragment: str, put_back) -> str:
    for mark, value in (put_back or {}).items():
        fragment = fragment.replace(mark, value)
    return fragment


def keep_here(key: str, fragment: str, until: float) -> None:
    """Keep a fragment in this process's memory. When they would hold more than HERE_CHARACTERS,
    all are dropped first: simpler than dropping the oldest, and as cheap, since keys turn with
    the minute and those of the minute are asked for again of the shared cache once each."""
    if _here_size[0] + len(fragment) > HERE_CHARACTERS:
        forget_here()
    _here[key] = (until, fragment)
    _here_size[0] += len(fragment)


def forget_here() -> None:
    """Drop this process's copies (when the cache is cleared: lib/cache.py)."""
    _here.clear()
    _here_size[0] = 0


also_forget(forget_here)


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

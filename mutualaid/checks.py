from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

DEV_KEY_MESSAGE = (
    "SECRET_KEY is the development key. Set SECRET_KEY (or SECRET_KEY_FILE) before running "
    "with DEBUG off; `make demo` runs with DEBUG on."
)


def refuse_dev_secret_key() -> None:
    """Called where production starts (wsgi.py): a server never runs on the published key."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured(DEV_KEY_MESSAGE)


@register()
def check_secret_key(app_configs, **kwargs):
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [Error(DEV_KEY_MESSAGE, id="mutualaid.E001")]
    return []

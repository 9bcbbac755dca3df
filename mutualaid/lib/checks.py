from django.conf import settings
from django.core.checks import Error, Warning, register
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


@register()
def check_field_keys(app_configs, **kwargs):
    from .crypto import KeyRing

    if not settings.FIELD_KEYS:
        make = Warning if settings.DEBUG else Error
        return [
            make(
                "MUTUALAID_FIELD_KEYS (or MUTUALAID_FIELD_KEYS_FILE) is not set: private details "
                "and messages cannot be stored. `manage.py generate_field_key` makes a key.",
                id="mutualaid.E002",
            )
        ]
    try:
        KeyRing.parse(settings.FIELD_KEYS)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="mutualaid.E003")]
    return []

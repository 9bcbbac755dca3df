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


def several_processes_problem(processes: int, *, redis_url: str, allowed: bool) -> str | None:
    """Why ``processes`` web processes may not run, or None. Each process without a shared cache
    counts rate limits and caches pages on its own: a limit of 5 becomes 5 per process, and a page
    cached in one is stale in another. gunicorn.conf.py and wsgi.py both ask this."""
    if processes <= 1 or redis_url or allowed:
        return None
    return (
        f"{processes} web processes would run without REDIS_URL: each would keep its own rate "
        "limits and cache. Set REDIS_URL, run one process (WEB_CONCURRENCY=1), or set "
        "ALLOW_PROCESSES_WITHOUT_REDIS=1 to run them so all the same."
    )


def _processes_problem() -> str | None:
    return several_processes_problem(
        settings.WEB_CONCURRENCY,
        redis_url=settings.REDIS_URL,
        allowed=settings.ALLOW_PROCESSES_WITHOUT_REDIS,
    )


def refuse_processes_without_redis() -> None:
    """Called where production starts (wsgi.py), in each web process."""
    if problem := _processes_problem():
        raise ImproperlyConfigured(problem)


@register()
def check_processes_share_a_cache(app_configs, **kwargs):
    if problem := _processes_problem():
        return [Error(problem, id="mutualaid.E004")]
    return []

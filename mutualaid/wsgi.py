import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")

application = get_wsgi_application()

from mutualaid.lib.checks import (  # noqa: E402
    refuse_dev_secret_key,
    refuse_processes_without_redis,
)

refuse_dev_secret_key()
refuse_processes_without_redis()

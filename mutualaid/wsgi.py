import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualaid.settings")

# As django.core.wsgi.get_wsgi_application, with Django's handler remembering which view each
# address leads to (lib/handler.py).
django.setup(set_prefix=False)

from mutualaid.lib.handler import Handler  # noqa: E402

application = Handler()

from mutualaid.lib.checks import (  # noqa: E402
    refuse_dev_secret_key,
    refuse_processes_without_redis,
)

refuse_dev_secret_key()
refuse_processes_without_redis()

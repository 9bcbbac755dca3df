from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import spec
from .views import directory, docs, figures, me, needs, offers, tokens  # noqa: F401 (they register)

app_name = "api"

urlpatterns = [
    *spec.urlpatterns(),
    path(f"api/{spec.VERSION}/docs/", docs.docs, name="docs"),
    # The pages where members and organizers make and revoke their tokens.
    path("me/account/api-tokens/", tokens.token_new, name="token_new"),
    path("me/account/api-tokens/<uuid:code>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("organize/integrations/", tokens.integrations, name="integrations"),
    path(
        "organize/integrations/<uuid:code>/revoke/",
        tokens.integration_revoke,
        name="integration_revoke",
    ),
    # Last: anything else under /api/ is a JSON 404.
    re_path(r"^api/[\s\S]*$", csrf_exempt(docs.unknown), name="unknown"),
]

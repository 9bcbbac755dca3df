"""django-csp's middleware, with each policy built once per process instead of on every response.

The site's policy is the same for every page: no view changes it (no ``@csp_update``, no
``@csp_replace``) and no template asks for a nonce. django-csp builds both headers afresh for
each response all the same, from the settings, which cost a logged-in page more than reading its
session. Here a response that asks for nothing of its own gets the headers built from the settings
once (again after a change of those settings, as in tests); one that does ask (a decorator, a
nonce) goes through django-csp unchanged.
"""

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

# What a view or a template may set to change the policy of one response (django-csp's names).
OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built: dict[bool, str] = {}  # report_only -> the header, from the settings


def _policy(report_only: bool) -> str:
    policy = _built.get(report_only)
    if policy is None:
        policy = _built[report_only] = build_policy(report_only=report_only)
    return policy


def _forget(setting, **_kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


setting_changed.connect(_forget)


class CSPMiddleware(middleware.CSPMiddleware):
    """settings.MIDDLEWARE names this one."""

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500):  # Django's debug pages
            return response
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in OWN_POLICY
        ):
            return super().process_response(request, response)
        for report_only, header, setting, exempt in (
            (False, HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
        ):
            policy = _policy(report_only)
            if not policy or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for once the header is written would be a silent hole.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

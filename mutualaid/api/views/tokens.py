"""The pages where tokens are made and revoked: a member's own (from their account page), and the
network's integration tokens (organizers who configure the network).

A token's secret is shown once, on the page that answers its making, and never again: the
database keeps only its digest. That page is not kept by any cache (the member's pages never
are, privacy.middleware), and nothing else puts the secret anywhere (no message, no session).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualaid.accounts.policy import Capability
from mutualaid.lib.access import capability_required
from mutualaid.lib.refusal import Refusal

from .. import selectors, services, spec
from ..forms import IntegrationTokenForm, TokenForm
from ..models import ApiToken, TokenKind


def _made(request, token, secret, *, back: str):
    context = {"token": token, "secret": secret, "back": back, "docs": spec.BASE + "/docs/"}
    return render(request, "api/token_made.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def token_new(request):
    """Make a token acting as the member: named, read-only or able to act."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                member=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except Refusal as refusal:
            field = refusal.extra.get("field")
            form.add_error(field if field in form.fields else None, refusal.message)
        else:
            return _made(request, token, secret, back=reverse("accounts:account") + "#api-tokens")
    status = 422 if request.method == "POST" else 200
    return render(request, "api/token_new.html", {"form": form}, status=status)


@require_POST
@login_required
def token_revoke(request, code):
    """Revoke one of the member's own tokens: anyone else's is not found."""
    token = get_object_or_404(ApiToken, code=code, member=request.user, kind=TokenKind.MEMBER)
    try:
        services.token_revoke(token=token, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Revoked: “%(name)s” no longer works.") % {"name": token})
    return redirect(reverse("accounts:account") + "#api-tokens")


@require_http_methods(["GET", "POST"])
@capability_required(Capability.CONFIGURE)
def integrations(request):
    """The network's integration tokens: read-only, for the anonymous figures and the directory."""
    form = IntegrationTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.integration_token_create(
                by=request.user, name=form.cleaned_data["name"]
            )
        except Refusal as refusal:
            form.add_error("name" if refusal.extra.get("field") else None, refusal.message)
        else:
            return _made(request, token, secret, back=reverse("api:integrations"))
    context = {"form": form, "tokens": selectors.integration_tokens(), "docs": spec.BASE + "/docs/"}
    status = 422 if request.method == "POST" else 200
    return render(request, "api/integrations.html", context, status=status)


@require_POST
@capability_required(Capability.CONFIGURE)
def integration_revoke(request, code):
    token = get_object_or_404(ApiToken, code=code, kind=TokenKind.INTEGRATION)
    try:
        services.token_revoke(token=token, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Revoked: “%(name)s” no longer works.") % {"name": token})
    return redirect("api:integrations")

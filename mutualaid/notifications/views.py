"""How we tell you: the member's own choices, and the unsubscribe link from an email.

The choices page is about ``request.user`` only. The unsubscribe page needs no login: the signed
token in its address names the member and the kind; GET only shows a button (mail scanners fetch
links), POST unsubscribes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mutualaid.accounts.models import Member

from . import content, selectors, services
from .forms import PreferencesForm


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    member = request.user
    form = PreferencesForm(
        selectors.modes_of(member),
        request.POST if request.method == "POST" else None,
        initial={"chat_url": selectors.chat_url_of(member)},
    )
    if request.method == "POST" and form.is_valid():
        services.chat_url_set(member=member, url=form.cleaned_data["chat_url"])
        services.preferences_set(member=member, modes=form.modes())
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "has_email": bool(member.email)}
    status = 422 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", context, status=status)


# The token is the credential (nobody else has it), and mail clients' one-click unsubscribe
# (RFC 8058) POSTs without a CSRF token: the check would add nothing and break that.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        code, kind = content.read_unsubscribe_token(token)
        Member.objects.get(code=code, is_active=True)
    except (signing.BadSignature, Member.DoesNotExist, ValueError):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {"title": content.title(kind)}
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe.html", context)
